package io.ekslookout.aws;

/**
 * A token bucket shared by every Logs Insights call of one back end (StartQuery, GetQueryResults and StopQuery
 * are limited to about 5-6 transactions per second per account, so we pace below that).
 */
public final class RateLimiter {
    private final Ticker ticker;
    private final double perSecond;
    private final double burst;
    private double tokens;
    private long lastMillis;

    public RateLimiter(Ticker ticker, double perSecond, int burst) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
        }
        this.ticker = ticker;
        this.perSecond = perSecond;
        this.burst = burst;
        this.tokens = burst;
        this.lastMillis = ticker.now().toEpochMilli();
    }

    /** Takes one token, waiting until one is available. */
    public void acquire() {
        refill();
        if (tokens < 1) {
            long waitMillis = (long) Math.ceil((1 - tokens) * 1000 / perSecond);
            ticker.sleep(waitMillis);
            refill();
        }
        tokens -= 1;
    }

    private void refill() {
        long now = ticker.now().toEpochMilli();
        tokens = Math.min(burst, tokens + (now - lastMillis) * perSecond / 1000.0);
        lastMillis = now;
    }
}
