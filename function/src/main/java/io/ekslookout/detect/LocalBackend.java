package io.ekslookout.detect;

import io.ekslookout.logs.LogSource;
import io.ekslookout.logs.ReadReport;
import io.ekslookout.query.LogEvent;
import io.ekslookout.query.Query;
import io.ekslookout.query.QueryContext;
import io.ekslookout.query.QueryException;
import io.ekslookout.query.QueryResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs every query with the embedded engine over a {@link LogSource}, reading the source ONCE for all of them.
 * Requests are grouped by (time range, ingestion window); each event read is offered to every group whose
 * windows contain it. The ingestion window is applied here, before the engine: an event whose
 * {@code @ingestionTime} is outside it is never fed to that group's queries (the @timestamp range is applied here
 * too, and passed on to the engine as the query context). A query that does not parse, or that fails while
 * running, fails alone.
 */
public final class LocalBackend implements QueryBackend {
    /** "Everything in the input": pass as the window to scan whole files; reports then show the events' span. */
    public static final TimeWindow WHOLE_INPUT =
            new TimeWindow(Instant.EPOCH, Instant.parse("9999-01-01T00:00:00Z"));

    private final LogSource source;
    private final Clock clock;
    private ReadReport lastRead;
    private long minTimestamp = Long.MAX_VALUE;
    private long maxTimestamp = Long.MIN_VALUE;

    public LocalBackend(LogSource source) {
        this(source, Clock.systemUTC());
    }

    public LocalBackend(LogSource source, Clock clock) {
        this.source = Objects.requireNonNull(source);
        this.clock = clock;
    }

    /** What the last read saw (events, malformed lines with their first locations, bytes); null before a run. */
    public ReadReport lastRead() {
        return lastRead;
    }

    @Override
    public TimeWindow effectiveWindow(TimeWindow requested) {
        if (requested.equals(WHOLE_INPUT) && minTimestamp <= maxTimestamp) {
            return new TimeWindow(Instant.ofEpochMilli(minTimestamp), Instant.ofEpochMilli(maxTimestamp + 1));
        }
        return requested;
    }

    /** One query being run. */
    private static final class Running {
        final int index;
        final String id;
        Query.Execution execution;
        String error;

        Running(int index, String id) {
            this.index = index;
            this.id = id;
        }
    }

    /** Requests sharing the same windows: they see exactly the same events. */
    private static final class Group {
        final long start;
        final long end;
        final long ingestStart;
        final long ingestEnd;
        final List<Running> queries = new ArrayList<>();
        long scanned;
        long bytes;

        Group(QueryRequest r) {
            start = r.timeRange().start().toEpochMilli();
            end = r.timeRange().end().toEpochMilli();
            ingestStart = r.ingestionWindow() == null ? Long.MIN_VALUE : r.ingestionWindow().start().toEpochMilli();
            ingestEnd = r.ingestionWindow() == null ? Long.MAX_VALUE : r.ingestionWindow().end().toEpochMilli();
        }

        boolean admits(LogEvent e) {
            return e.timestamp() >= start && e.timestamp() < end
                    && e.ingestionTime() >= ingestStart && e.ingestionTime() < ingestEnd;
        }
    }

    @Override
    public List<QueryOutcome> runAll(List<QueryRequest> requests) {
        Instant now = clock.instant();
        QueryOutcome[] outcomes = new QueryOutcome[requests.size()];
        Map<List<Object>, Group> groups = new LinkedHashMap<>();
        List<Running> all = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            QueryRequest r = requests.get(i);
            Running run = new Running(i, r.id());
            try {
                Query q = Query.parse(r.queryText());
                Group g = groups.computeIfAbsent(java.util.Arrays.asList(r.timeRange(), r.ingestionWindow()),
                        k -> new Group(r));
                run.execution = q.start(new QueryContext(g.start, g.end, now, "000000000000", "local"));
                g.queries.add(run);
                all.add(run);
            } catch (QueryException e) {
                outcomes[i] = QueryOutcome.failure(r.id(), "query does not parse: " + e.getMessage(),
                        QueryStats.NONE);
            } catch (RuntimeException e) {
                outcomes[i] = QueryOutcome.failure(r.id(), "query could not start: " + e, QueryStats.NONE);
            }
        }
        long t0 = System.nanoTime();
        minTimestamp = Long.MAX_VALUE;
        maxTimestamp = Long.MIN_VALUE;
        String readError = null;
        try {
            lastRead = source.read(e -> {
                minTimestamp = Math.min(minTimestamp, e.timestamp());
                maxTimestamp = Math.max(maxTimestamp, e.timestamp());
                for (Group g : groups.values()) {
                    if (!g.admits(e)) {
                        continue;
                    }
                    g.scanned++;
                    g.bytes += e.message() == null ? 0 : e.message().length();
                    for (Running run : g.queries) {
                        if (run.error != null) {
                            continue;
                        }
                        try {
                            run.execution.accept(e);
                        } catch (QueryException ex) {
                            run.error = "query failed: " + ex.getMessage();
                        } catch (RuntimeException ex) {
                            run.error = "query failed: " + ex;
                        }
                    }
                }
            });
        } catch (IOException | UncheckedIOException e) {
            readError = "cannot read the logs: " + e.getMessage();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        for (Group g : groups.values()) {
            for (Running run : g.queries) {
                if (readError != null) {
                    outcomes[run.index] = QueryOutcome.failure(run.id, readError, QueryStats.NONE);
                    continue;
                }
                if (run.error != null) {
                    outcomes[run.index] = QueryOutcome.failure(run.id, run.error,
                            new QueryStats(g.scanned, g.bytes, 0, took));
                    continue;
                }
                try {
                    QueryResult result = run.execution.finish();
                    outcomes[run.index] = QueryOutcome.success(run.id, result,
                            new QueryStats(g.scanned, g.bytes, result.recordsMatched(), took));
                } catch (RuntimeException ex) {
                    outcomes[run.index] = QueryOutcome.failure(run.id, "query failed: " + ex.getMessage(),
                            new QueryStats(g.scanned, g.bytes, 0, took));
                }
            }
        }
        return List.of(outcomes);
    }
}
