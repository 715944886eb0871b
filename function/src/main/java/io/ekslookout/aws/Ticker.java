package io.ekslookout.aws;

import java.time.Instant;

/** Time for the back end: the wall clock in production, a simulated clock in tests (sleep advances it). */
public interface Ticker {
    /** The current instant. */
    Instant now();

    /** Waits this many milliseconds (no-op for 0 or less). */
    void sleep(long millis);

    Ticker SYSTEM = new Ticker() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleep(long millis) {
            if (millis <= 0) {
                return;
            }
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Logs Insights", e);
            }
        }
    };
}
