package io.ekslookout.detect;

import io.ekslookout.query.Query;
import io.ekslookout.query.QueryException;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything one {@link QueryBackend#run} call needs, given up front: the parsed queries and the time they cover.
 * Nothing is set on a back end before the call and nothing is read from it after ({@link BatchResult}).
 *
 * <p>Built to grow: the targets (log groups, clusters) a batch reads are one more component here, and the cluster
 * of an outcome one more on {@link QueryOutcome}; entries and their order stay as they are.
 *
 * @param entries         the queries, ids unique; one outcome per entry comes back, in this order
 * @param window          the {@code @timestamp} range to scan, [start, end)
 * @param ingestionWindow when not null, only events whose {@code @ingestionTime} lies in [start, end) count (the
 *                        scheduled path tiles time by ingestion so late events are neither missed nor seen twice);
 *                        null for ad-hoc scans
 * @param deadline        queries not finished by then fail with that reason (the Lambda's remaining time); null for
 *                        none
 */
public record Batch(List<Entry> entries, TimeWindow window, TimeWindow ingestionWindow, Instant deadline) {
    public Batch {
        entries = List.copyOf(entries);
        Objects.requireNonNull(window, "window");
    }

    /** A batch without deadline. */
    public static Batch of(List<Entry> entries, TimeWindow window, TimeWindow ingestionWindow) {
        return new Batch(entries, window, ingestionWindow, null);
    }

    /** One entry over a window: a hunt, an ad-hoc query, a prefilter's time part. */
    public static Batch one(Entry entry, TimeWindow window, TimeWindow ingestionWindow, Instant deadline) {
        return new Batch(List.of(entry), window, ingestionWindow, deadline);
    }

    /** The same batch over another {@code @timestamp} range (a time part of it). */
    public Batch withWindow(TimeWindow range) {
        return new Batch(entries, range, ingestionWindow, deadline);
    }

    /** The same windows and deadline with other entries. */
    public Batch withEntries(List<Entry> others) {
        return new Batch(others, window, ingestionWindow, deadline);
    }

    /**
     * One query to run: a rule's or hunt's parsed query under its id. An entry whose text did not parse carries
     * the reason instead ({@link #parse}): every back end answers it with a failed outcome of its own and runs
     * the others.
     *
     * @param id      the rule id (unique within a batch)
     * @param query   the parsed query (its {@link Query#text()} is what Logs Insights is sent); null when
     *                {@code problem} is set
     * @param problem why the entry cannot run, or null
     */
    public record Entry(String id, Query query, String problem) {
        public Entry {
            Objects.requireNonNull(id, "id");
            if ((query == null) == (problem == null)) {
                throw new IllegalArgumentException("an entry holds either a query or the problem of one");
            }
        }

        public Entry(String id, Query query) {
            this(id, query, null);
        }

        /**
         * An entry for query text given at run time (the {@code query} command, tests): parsed here, once; text
         * that does not parse gives an entry that fails alone with "query does not parse: line:column: reason".
         * Rules and hunts never come here: they hold their parsed query.
         */
        public static Entry parse(String id, String text) {
            try {
                return new Entry(id, Query.parse(text));
            } catch (QueryException e) {
                return new Entry(id, null, "query does not parse: " + e.getMessage());
            } catch (RuntimeException e) {
                return new Entry(id, null, "query could not start: " + e);
            }
        }

        /** True when the entry has a query to run. */
        public boolean runnable() {
            return problem == null;
        }
    }
}
