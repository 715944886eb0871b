package io.ekslookout.detect;

import io.ekslookout.logs.LogSource;
import io.ekslookout.logs.RawEventSink.UnreadCheck;
import io.ekslookout.logs.ReadReport;
import io.ekslookout.query.LogEvent;
import io.ekslookout.query.Query;
import io.ekslookout.query.QueryBatch;
import io.ekslookout.query.QueryContext;
import io.ekslookout.query.QueryLimits;
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
 * Runs every query of a {@link Batch} with the embedded engine over a {@link LogSource}, reading the source ONCE for
 * all of them as one {@link QueryBatch} (each event's JSON parsed at most once for all its queries). The ingestion
 * window is applied here, before the engine: an event whose {@code @ingestionTime} is outside it is never fed to
 * the queries (the @timestamp range is applied here too, and passed on to the engine as the query context). The
 * result's read report says what the read saw (events, malformed lines with their first locations, bytes). An
 * entry that did not parse, or a query that fails while running, fails alone; an event a query cannot evaluate is counted for that query with its file:line (the
 * source's {@link LogSource#location()}) and the query goes on.
 */
public final class LocalBackend implements QueryBackend {
    /**
     * "Everything in the input": pass as the window to scan whole files; reports then show the events' span. It
     * spans every instant the readers accept (1970-01-01 to the end of 9999), so no event read is left out.
     */
    public static final TimeWindow WHOLE_INPUT =
            new TimeWindow(Instant.EPOCH, Instant.parse("+10000-01-01T00:00:00Z"));
    private static final long WHOLE_START = WHOLE_INPUT.start().toEpochMilli();
    private static final long WHOLE_END = WHOLE_INPUT.end().toEpochMilli();

    /** The account id {@code @log} shows for local files ({@code 000000000000:<log group>}). */
    public static final String ACCOUNT = "000000000000";

    private final LogSource source;
    private final Clock clock;
    private final QueryLimits limits;
    private final String accountId;

    public LocalBackend(LogSource source) {
        this(source, Clock.systemUTC());
    }

    public LocalBackend(LogSource source, Clock clock) {
        this(source, clock, QueryLimits.DEFAULT);
    }

    /** @param limits memory caps of every query (stats groups, dedup keys); what a cap cuts is warned about */
    public LocalBackend(LogSource source, Clock clock, QueryLimits limits) {
        this(source, clock, limits, ACCOUNT);
    }

    /** @param accountId the account {@code @log} shows (events fetched from an account keep theirs) */
    public LocalBackend(LogSource source, Clock clock, QueryLimits limits, String accountId) {
        this.source = Objects.requireNonNull(source);
        this.clock = clock;
        this.limits = Objects.requireNonNull(limits);
        this.accountId = Objects.requireNonNull(accountId);
    }

    /**
     * For {@link #WHOLE_INPUT}: the span of the events in it, [first, last + 1 ms). Only events inside it count
     * (an in-memory source can hand over any long, e.g. a timestamp in µs or Long.MAX_VALUE: such an event is in
     * no window and must not stretch, or overflow, the one shown), so the span never leaves 1970–9999.
     */
    private static TimeWindow covered(TimeWindow requested, long minTimestamp, long maxTimestamp) {
        if (requested.equals(WHOLE_INPUT) && minTimestamp <= maxTimestamp) {
            long first = Math.max(minTimestamp, WHOLE_START);
            long end = Math.min(maxTimestamp, WHOLE_END - 1) + 1;
            return new TimeWindow(Instant.ofEpochMilli(first), Instant.ofEpochMilli(Math.max(first, end)));
        }
        return requested;
    }

    /** One query being run: its request index and id. */
    private record Running(int index, String id) {
    }

    /** Requests sharing the same windows: they see exactly the same events. */
    private static final class Group {
        final long start;
        final long end;
        final long ingestStart;
        final long ingestEnd;
        final List<Running> queries = new ArrayList<>();
        final List<Query> parsed = new ArrayList<>();
        QueryBatch batch;
        String error;
        long scanned;
        long bytes;

        Group(Batch b) {
            start = b.window().start().toEpochMilli();
            end = b.window().end().toEpochMilli();
            ingestStart = b.ingestionWindow() == null ? Long.MIN_VALUE : b.ingestionWindow().start().toEpochMilli();
            ingestEnd = b.ingestionWindow() == null ? Long.MAX_VALUE : b.ingestionWindow().end().toEpochMilli();
        }

        boolean admits(LogEvent e) {
            return admits(e.timestamp(), e.ingestionTime());
        }

        boolean admits(long timestamp, long ingestionTime) {
            return timestamp >= start && timestamp < end && ingestionTime >= ingestStart && ingestionTime < ingestEnd;
        }
    }

    @Override
    public BatchResult run(Batch batch) {
        Instant now = clock.instant();
        List<Batch.Entry> entries = batch.entries();
        QueryOutcome[] outcomes = new QueryOutcome[entries.size()];
        // one group: every entry of a batch sees the same events (kept as a map for the shared read loop below)
        Map<List<Object>, Group> groups = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Batch.Entry r = entries.get(i);
            if (!r.runnable()) {
                outcomes[i] = QueryOutcome.failure(r.id(), r.problem(), QueryStats.NONE);
                continue;
            }
            Group g = groups.computeIfAbsent(List.of(), k -> new Group(batch));
            g.queries.add(new Running(i, r.id()));
            g.parsed.add(r.query());
        }
        for (Group g : groups.values()) {
            try {
                g.batch = QueryBatch.start(g.parsed, new QueryContext(g.start, g.end, now, accountId, "local"),
                        limits);
            } catch (RuntimeException e) {
                g.error = "queries could not start: " + e;
            }
        }
        long t0 = System.nanoTime();
        long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
        ReadReport read = null;
        String readError = null;
        java.util.function.Supplier<String> where = source::location;
        try {
            read = source.read(new io.ekslookout.logs.RawEventSink() {
                @Override
                public void accept(LogEvent e) {
                    long ts = e.timestamp();
                    if (ts >= WHOLE_START && ts < WHOLE_END) {
                        span[0] = Math.min(span[0], ts);
                        span[1] = Math.max(span[1], ts);
                    }
                    for (Group g : groups.values()) {
                        if (!g.admits(e)) {
                            continue;
                        }
                        g.scanned++;
                        g.bytes += e.message() == null ? 0 : e.message().length();
                        if (g.error == null) {
                            try {
                                g.batch.accept(e, where);
                            } catch (RuntimeException ex) {
                                g.error = "query failed: " + ex;
                            }
                        }
                    }
                }

                @Override
                public boolean wantsUnread() {
                    if (groups.size() != 1) {
                        return false;
                    }
                    Group g = groups.values().iterator().next();
                    return g.error == null && g.batch.skipsSomeUnread();
                }

                @Override
                public boolean skipsUnread(long ts, long ingestionTime, String logStream, String logGroup,
                                           io.ekslookout.query.RawMessage message) {
                    if (groups.size() != 1) {
                        return false;
                    }
                    Group g = groups.values().iterator().next();
                    if (g.error != null) {
                        return false;
                    }
                    boolean admitted = g.admits(ts, ingestionTime);
                    try {
                        if (admitted
                                && !g.batch.skipsUnread(ts, ingestionTime, logStream, logGroup, message)) {
                            return false;
                        }
                    } catch (RuntimeException ex) {
                        return false; // accept() meets it again and records it
                    }
                    if (ts >= WHOLE_START && ts < WHOLE_END) {
                        span[0] = Math.min(span[0], ts);
                        span[1] = Math.max(span[1], ts);
                    }
                    if (admitted) {
                        g.scanned++;
                        g.bytes += message.length();
                    }
                    return true;
                }

                /** The one group an {@link #unreadCheck} was made for: {@link #skipUnread} accounts to it. */
                private Group checked;

                @Override
                public UnreadCheck unreadCheck() {
                    if (groups.size() != 1) {
                        return null;
                    }
                    Group g = groups.values().iterator().next();
                    QueryBatch.RawCheck check = g.error == null ? g.batch.rawCheck() : null;
                    if (check == null) {
                        return null;
                    }
                    checked = g;
                    return new UnreadCheck() { // reads only the group's windows (final) and its own check
                        @Override
                        public boolean active() {
                            return check.active();
                        }

                        @Override
                        public boolean rulesOut(long ts, long ingestionTime, String logStream, String logGroup,
                                                io.ekslookout.query.RawMessage message) {
                            if (!g.admits(ts, ingestionTime)) {
                                return true;
                            }
                            try {
                                return check.rulesOut(ts, ingestionTime, logStream, logGroup, message);
                            } catch (RuntimeException ex) {
                                return false; // accept() meets it again and records it
                            }
                        }
                    };
                }

                @Override
                public void skipUnread(long ts, long ingestionTime, String logStream, String logGroup,
                                       int messageLength) {
                    // as skipsUnread answering true, or (the batch failed since) as accept() of the event
                    if (ts >= WHOLE_START && ts < WHOLE_END) {
                        span[0] = Math.min(span[0], ts);
                        span[1] = Math.max(span[1], ts);
                    }
                    Group g = checked;
                    if (g.admits(ts, ingestionTime)) {
                        if (g.error == null) {
                            g.batch.skipUnread(ts);
                        }
                        g.scanned++;
                        g.bytes += messageLength;
                    }
                }
            });
        } catch (IOException | UncheckedIOException e) {
            readError = "cannot read the logs: " + e.getMessage();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        for (Group g : groups.values()) {
            List<QueryResult> results = null;
            String groupError = readError != null ? readError : g.error;
            if (groupError == null) {
                try {
                    results = g.batch.finish();
                } catch (RuntimeException ex) {
                    groupError = "query failed: " + ex;
                }
            }
            for (int k = 0; k < g.queries.size(); k++) {
                Running run = g.queries.get(k);
                QueryStats failedStats = readError != null ? QueryStats.NONE
                        : new QueryStats(g.scanned, g.bytes, 0, took);
                if (groupError != null) {
                    outcomes[run.index()] = QueryOutcome.failure(run.id(), groupError, failedStats);
                    continue;
                }
                QueryResult result = results.get(k);
                if (result == null) {
                    RuntimeException why = g.batch.failures().get(k);
                    String reason = why == null ? "no result"
                            : why.getMessage() == null ? why.toString() : why.getMessage();
                    outcomes[run.index()] = QueryOutcome.failure(run.id(), "query failed: " + reason, failedStats);
                    continue;
                }
                outcomes[run.index()] = QueryOutcome.success(run.id(), result,
                        new QueryStats(g.scanned, g.bytes, result.recordsMatched(), took));
            }
        }
        return new BatchResult(List.of(outcomes), covered(batch.window(), span[0], span[1]), List.of(), read,
                ScanStats.NONE, null, null);
    }
}
