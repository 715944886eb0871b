package io.ekslookout.state;

import java.time.Instant;

/**
 * Where alert state lives between runs: one entry per finding fingerprint. Every write is a single conditional step
 * so that two runs (or a retried run) racing on the same fingerprint cannot both win a notification: the DynamoDB
 * store maps each method to one {@code UpdateItem} with a {@code ConditionExpression}, the file store does the same
 * under a lock and writes the file atomically on {@link #flush()}.
 */
public interface StateStore {
    /**
     * Records that the fingerprint was seen in the window ending at {@code windowEnd}: first seen when new, last seen
     * {@code now}, the count up by one, the expiry moved. Seeing the same window again (a retried run, the same
     * --since/--until twice) does not count again.
     *
     * @return the entry after the update
     */
    StateEntry observe(String fingerprint, String ruleId, Instant windowEnd, Instant now, Instant expiresAt);

    /**
     * Claims the right to notify: sets last notified to {@code now} only when the entry has never been notified or
     * was last notified at or before {@code cutoff}. Exactly one of two racing claims wins.
     *
     * @return the claim (won, and the last-notified time it replaced, for {@link #release})
     */
    Claim claim(String fingerprint, Instant now, Instant cutoff);

    /**
     * Gives back a claim whose notification did not go out: last notified goes back to {@code previous} (null: never
     * notified), but only while it is still {@code claimedAt} (a later run's claim is left alone).
     */
    void release(String fingerprint, Instant claimedAt, Instant previous);

    /** Makes the run's writes durable (the file store writes its file; DynamoDB writes as it goes). */
    default void flush() {
    }

    /** What a claim did. */
    record Claim(boolean won, Instant previous) {
    }
}
