package io.ekslookout.query;

/**
 * Memory bounds of one query run. Logs Insights bounds its own queries; the embedded engine runs on a laptop or in
 * a Lambda, so a query whose state grows with the number of distinct values (a {@code stats … by} over millions of
 * keys, a {@code dedup} on a unique id, a {@code count_distinct} over request ids) stops growing at a cap instead:
 * what falls past the cap is dropped and the result carries a warning saying so (never silently).
 *
 * @param maxGroups most groups one {@code stats} keeps, most keys one {@code dedup} keeps, and most distinct values
 *                  one {@code count_distinct} counts (per group)
 */
public record QueryLimits(int maxGroups) {
    /** Default cap: far above what a detection rule groups by (users, verbs, names), far below a memory problem. */
    public static final int DEFAULT_MAX_GROUPS = 100_000;

    public static final QueryLimits DEFAULT = new QueryLimits(DEFAULT_MAX_GROUPS);

    public QueryLimits {
        if (maxGroups < 1) {
            throw new IllegalArgumentException("the group cap must be at least 1, got " + maxGroups);
        }
    }
}
