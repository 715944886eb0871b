package io.ekslookout.aws;

import java.time.Instant;

/** A simulated clock: sleeping advances it instantly. */
final class FakeTicker implements Ticker {
    private long millis;
    long slept;

    FakeTicker(Instant start) {
        this.millis = start.toEpochMilli();
    }

    @Override
    public Instant now() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public void sleep(long ms) {
        if (ms > 0) {
            millis += ms;
            slept += ms;
        }
    }

    void advance(long ms) {
        millis += ms;
    }
}
