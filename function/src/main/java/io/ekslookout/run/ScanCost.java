package io.ekslookout.run;

import io.ekslookout.detect.BatchResult;
import io.ekslookout.detect.ScanStats;

import java.util.List;
import java.util.Locale;

/**
 * What one run of the rules cost on Logs Insights and how that compares with one query per rule, for the run's log
 * line (and EMF) and the CLI's cost line. Logs Insights bills every byte in a query's time range, whatever its
 * filters, so a run scans its window once per query: one query per rule scans it {@code rules} times, the planned
 * run once per prefilter and separate rule (plus the parts of a split). "Passes" counts that from the billed bytes:
 * bytes scanned / the bytes one query over the whole window scanned.
 *
 * @param planned         whether the rules ran planned (one prefilter) or one query per rule
 * @param rules           rules run
 * @param queries         queries the run needed before any split: prefilters + separate rules (planned), or rules
 * @param queriesStarted  StartQuery calls, split parts included
 * @param bytesScanned    bytes Logs Insights scanned (billed), all queries together
 * @param recordsScanned  events Logs Insights scanned, all queries together
 * @param bytesOnePass    bytes one query over the whole window scanned; 0 when the service reported none (moto)
 * @param eventsReturned  events the prefilters returned (planned), else 0
 * @param bytesReturned   their message bytes
 */
public record ScanCost(boolean planned, int rules, int queries, int queriesStarted, long bytesScanned,
                       long recordsScanned, long bytesOnePass, long eventsReturned, long bytesReturned) {

    /** The cost of a batch of {@code rules} rules, planned or one query per rule, from its result. */
    public static ScanCost of(BatchResult batch, int rules) {
        ScanStats s = batch.scan();
        BatchResult.Planned planned = batch.planned();
        int queries = rules;
        long events = 0;
        long returned = 0;
        if (planned != null) {
            queries = planned.queries();
            events = planned.fetched().eventsReturned();
            returned = planned.fetched().bytesReturned();
        }
        return new ScanCost(planned != null, rules, queries, s.queriesStarted(), s.bytesScanned(), s.recordsScanned(),
                s.bytesOnePass(), events, returned);
    }

    /** The cost of a run over several clusters, one run each: queries, calls and bytes summed. */
    public static ScanCost sum(List<ScanCost> costs) {
        if (costs.size() == 1) {
            return costs.get(0);
        }
        ScanCost first = costs.get(0);
        int queries = 0;
        int started = 0;
        long bytes = 0;
        long records = 0;
        long onePass = 0;
        long events = 0;
        long returned = 0;
        for (ScanCost c : costs) {
            queries += c.queries();
            started += c.queriesStarted();
            bytes += c.bytesScanned();
            records += c.recordsScanned();
            onePass += c.bytesOnePass();
            events += c.eventsReturned();
            returned += c.bytesReturned();
        }
        return new ScanCost(first.planned(), first.rules(), queries, started, bytes, records, onePass, events,
                returned);
    }

    /**
     * How many times the run scanned its window: from the billed bytes when the service reported them, else the
     * number of queries (each scans the window once, splits aside).
     */
    public double passes() {
        return bytesOnePass > 0 ? (double) bytesScanned / bytesOnePass : queries;
    }

    /** How many times one query per rule scans the window (each rule's own query, splits aside). */
    public int passesOneQueryPerRule() {
        return rules;
    }

    /** One query per rule's passes over this run's: how many times less this run scanned (1 unplanned). */
    public double multiplier() {
        double p = passes();
        return p <= 0 ? 0 : rules / p;
    }

    /** The CLI's words for it, after "Logs Insights: N queries, ... scanned in T s". */
    public String describe() {
        if (!planned) {
            return String.format(Locale.ROOT, "one query per rule (--no-plan): the window was scanned %.1f times",
                    passes());
        }
        return String.format(Locale.ROOT, "planned: %d queries for %d rules, the window scanned %.1f times instead of"
                        + " %d (%.1fx less); the prefilter returned %d events, %.1f MB", queries, rules, passes(),
                rules, multiplier(), eventsReturned, bytesReturned / 1e6);
    }
}
