package io.ekslookout.detect;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a rule found in one window: the stable, documented shape that {@code scan --format json} prints and
 * notifications are built from.
 *
 * @param ruleId      the rule's id
 * @param severity    info|low|medium|high|critical
 * @param title       the rule's title
 * @param windowStart the scanned window's start
 * @param windowEnd   the scanned window's end (exclusive)
 * @param groupKey    the value of the rule's groupBy fields for this finding, or null without groupBy
 * @param matchCount  result rows folded into this finding
 * @param rows        the first rows (field → value, display order), capped
 * @param rowsOmitted rows left out by the cap
 * @param cluster     the EKS cluster whose logs it was found in (from the event's {@code @log}, or the one cluster
 *                    a run read); null only where no cluster is known (local files whose log group is not an EKS
 *                    control-plane group). The same rule and group key in two clusters are two findings.
 */
public record Finding(String ruleId, String severity, String title, Instant windowStart, Instant windowEnd,
                      String groupKey, long matchCount, List<Map<String, String>> rows, long rowsOmitted,
                      String cluster) {
    public Finding {
        rows = List.copyOf(rows);
    }

    /** A finding whose cluster is not known. */
    public Finding(String ruleId, String severity, String title, Instant windowStart, Instant windowEnd,
                   String groupKey, long matchCount, List<Map<String, String>> rows, long rowsOmitted) {
        this(ruleId, severity, title, windowStart, windowEnd, groupKey, matchCount, rows, rowsOmitted, null);
    }

    /** This finding, found in {@code cluster}. */
    public Finding withCluster(String cluster) {
        return new Finding(ruleId, severity, title, windowStart, windowEnd, groupKey, matchCount, rows, rowsOmitted,
                cluster);
    }
}
