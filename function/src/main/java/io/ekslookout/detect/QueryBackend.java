package io.ekslookout.detect;

/**
 * Runs a batch of parsed queries: the embedded engine over local files (one read for all queries), CloudWatch Logs
 * Insights, or planned (one prefilter through another back end, every rule evaluated locally on what it returned).
 * Everything a run needs is in the {@link Batch}, everything it did in the {@link BatchResult}: no setters before
 * the call, no getters after it. One failing query never stops the others: it comes back as a failed
 * {@link QueryOutcome}.
 */
public interface QueryBackend {
    /** Returns one outcome per entry, in entry order, with what the batch covered, warned about, read and scanned. */
    BatchResult run(Batch batch);
}
