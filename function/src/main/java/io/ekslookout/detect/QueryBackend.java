package io.ekslookout.detect;

import java.util.List;

/**
 * Runs a batch of queries: the embedded engine over local files (one read for all queries) or CloudWatch Logs
 * Insights. One failing query never stops the others: it comes back as a failed {@link QueryOutcome}.
 */
public interface QueryBackend {
    /** Returns one outcome per request, in request order. */
    List<QueryOutcome> runAll(List<QueryRequest> requests);

    /**
     * The window the last {@link #runAll} really covered, for reports: by default the requested one. A local
     * back end asked for "the whole input" narrows it to the events it saw.
     */
    default TimeWindow effectiveWindow(TimeWindow requested) {
        return requested;
    }
}
