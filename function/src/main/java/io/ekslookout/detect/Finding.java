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
 */
public record Finding(String ruleId, String severity, String title, Instant windowStart, Instant windowEnd,
                      String groupKey, long matchCount, List<Map<String, String>> rows, long rowsOmitted) {
    public Finding {
        rows = List.copyOf(rows);
    }
}
