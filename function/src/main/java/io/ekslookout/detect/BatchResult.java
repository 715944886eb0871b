package io.ekslookout.detect;

import io.ekslookout.logs.ReadReport;
import io.ekslookout.plan.ScanPlan;

import java.util.List;
import java.util.Objects;

/**
 * What one {@link QueryBackend#run} did: everything a caller reports, returned, never read from the back end after.
 *
 * @param outcomes      one per entry of the batch, in its order
 * @param coveredWindow the window the batch really covered, for reports: the requested one, or for a local
 *                      "whole input" ({@link LocalBackend#WHOLE_INPUT}) the span of the events read
 * @param warnings      non-fatal problems of the batch as a whole (a stats result at the row cap ...); those of one
 *                      query are in its result's warnings
 * @param readReport    what reading local input saw (events, malformed lines, bytes); null when nothing local was
 *                      read (Logs Insights)
 * @param scan          what the service scanned ({@link ScanStats#NONE} for a local read)
 * @param planned       the plans and what their prefilters fetched, when the rules ran planned; else null
 * @param halted        the problem that stopped the batch before its end because every further call would have
 *                      met it too (no log group, credentials, access, throttled too long), else null; the entries
 *                      it stopped have failed outcomes with its message
 */
public record BatchResult(List<QueryOutcome> outcomes, TimeWindow coveredWindow, List<String> warnings,
                          ReadReport readReport, ScanStats scan, Planned planned, Halt halted) {
    public BatchResult {
        // unmodifiable, order kept; a missing outcome (null) is the caller's to report, not a crash here
        outcomes = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(outcomes));
        Objects.requireNonNull(coveredWindow, "coveredWindow");
        warnings = List.copyOf(warnings);
        scan = scan == null ? ScanStats.NONE : scan;
    }

    /** Outcomes over the requested window with nothing else to say (fakes in tests, simple back ends). */
    public static BatchResult of(List<QueryOutcome> outcomes, Batch batch) {
        return new BatchResult(outcomes, batch.window(), List.of(), null, ScanStats.NONE, null, null);
    }

    /** The outcome of the entry with this id, or null. */
    public QueryOutcome outcome(String id) {
        return outcomes.stream().filter(o -> id.equals(o.id())).findFirst().orElse(null);
    }

    /**
     * A problem every further call of the batch would have met.
     *
     * @param kind          what kind of problem (for the AWS back end, the name of its error kind)
     * @param message       one line naming the fix
     * @param configuration true when a setting must change (exit 2), false for a problem of the moment (exit 3)
     */
    public record Halt(String kind, String message, boolean configuration) {
    }

    /**
     * The planned run's side: the plans and what their prefilters fetched.
     *
     * @param plans   the plans (one per batch)
     * @param fetched what the fetch back end was sent and returned
     */
    public record Planned(List<ScanPlan> plans, PlannedBackend.Fetched fetched) {
        public Planned {
            plans = List.copyOf(plans);
        }

        /** Queries the plans needed before any split: prefilters + separate rules. */
        public int queries() {
            return plans.stream().mapToInt(ScanPlan::queryCount).sum();
        }
    }
}
