package io.ekslookout.aws;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An in-memory Logs Insights for the cases a local mock cannot produce: throttling, slow queries, the row cap,
 * Failed/Cancelled/Timeout statuses. It understands only the filters the back end prepends
 * ({@code @ingestionTime} and {@code @timestamp} ranges) plus the seconds time range; every event in range is a
 * row (@timestamp, @message, @ptr). A query containing {@code stats} returns one row per distinct message.
 */
class FakeInsights implements InsightsApi {
    record Event(long timestamp, long ingestionTime, String message, String logStream) {
        Event(long timestamp, long ingestionTime, String message) {
            this(timestamp, ingestionTime, message, null);
        }
    }

    /** How real Logs Insights renders {@code @timestamp} and {@code @ingestionTime}: UTC, milliseconds. */
    static final java.time.format.DateTimeFormatter RENDERED = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(java.time.ZoneOffset.UTC);
    static final String ACCOUNT = "123456789012";

    record Start(long at, String logGroup, long startSeconds, long endSeconds, String text, int limit) {
    }

    private static final Pattern ING = Pattern.compile("@ingestionTime >= (\\d+) and @ingestionTime < (\\d+)");
    private static final Pattern TS = Pattern.compile("@timestamp >= (\\d+) and @timestamp < (\\d+)");

    final FakeTicker ticker;
    final List<Event> events = new ArrayList<>();
    final List<Start> starts = new ArrayList<>();
    final List<String> stops = new ArrayList<>();
    final List<Long> callTimes = new ArrayList<>();
    final Map<String, Query> queries = new LinkedHashMap<>();
    /** Starts to refuse with LimitExceededException before accepting. */
    int throttleStarts;
    /** Polls to refuse with throttling. */
    int throttlePolls;
    /** Polls answered "Running" before a query completes. */
    int pollsBeforeComplete = 1;
    /** Queries whose text matches never complete (for deadlines). */
    Predicate<String> hangs = t -> false;
    /** Final status by text (default Complete). */
    final Map<String, String> statusByMarker = new HashMap<>();
    /** Starts fail with ResourceNotFound when false. */
    boolean logGroupExists = true;
    String malformedMarker;
    /**
     * Rows shaped as the real service returns them (true): {@code @timestamp} and {@code @ingestionTime} rendered
     * {@code yyyy-MM-dd HH:mm:ss.SSS}, {@code @log} as {@code account:group}, {@code @logStream}; or as moto does
     * (false, the default): {@code @timestamp} in epoch milliseconds and no more than @message and @ptr.
     */
    boolean realRows;
    int running;
    int maxRunning;
    int next;

    final class Query {
        final String id;
        final Start start;
        int polls;
        boolean done;

        Query(String id, Start start) {
            this.id = id;
            this.start = start;
        }
    }

    FakeInsights(FakeTicker ticker) {
        this.ticker = ticker;
    }

    @Override
    public String startQuery(String logGroup, long startSeconds, long endSeconds, String queryText, int limit) {
        callTimes.add(ticker.now().toEpochMilli());
        if (!logGroupExists) {
            throw new LogGroupNotFound("The specified log group does not exist.");
        }
        if (throttleStarts > 0) {
            throttleStarts--;
            throw new Throttled("LimitExceededException: too many concurrent queries");
        }
        if (malformedMarker != null && queryText.contains(malformedMarker)) {
            throw new ApiError("MalformedQueryException: unexpected symbol at line 1");
        }
        Start s = new Start(ticker.now().toEpochMilli(), logGroup, startSeconds, endSeconds, queryText, limit);
        starts.add(s);
        String id = "q-" + (next++);
        queries.put(id, new Query(id, s));
        running++;
        maxRunning = Math.max(maxRunning, running);
        return id;
    }

    /** The log groups of each StartQuery given several (or an ARN), in order. */
    final List<List<String>> groupsStarted = new ArrayList<>();

    @Override
    public String startQuery(List<String> logGroups, long startSeconds, long endSeconds, String queryText, int limit) {
        if (logGroups.isEmpty() || logGroups.size() > MAX_LOG_GROUPS) {
            throw new ApiError("InvalidParameterException: 1 to 50 log groups, got " + logGroups.size());
        }
        String id = startQuery(String.join(",", logGroups), startSeconds, endSeconds, queryText, limit);
        groupsStarted.add(List.copyOf(logGroups));
        return id;
    }

    @Override
    public Poll getQueryResults(String queryId) {
        callTimes.add(ticker.now().toEpochMilli());
        if (throttlePolls > 0) {
            throttlePolls--;
            throw new Throttled("ThrottlingException: Rate exceeded");
        }
        Query q = queries.get(queryId);
        if (q.done) {
            throw new AssertionError("polled a finished query " + queryId);
        }
        q.polls++;
        if (hangs.test(q.start.text()) || q.polls <= pollsBeforeComplete) {
            return new Poll("Running", List.of(), 0, 0, 0);
        }
        q.done = true;
        running--;
        for (Map.Entry<String, String> e : statusByMarker.entrySet()) {
            if (q.start.text().contains(e.getKey())) {
                return new Poll(e.getValue(), List.of(), 0, 0, 0);
            }
        }
        return evaluate(q.start);
    }

    @Override
    public void stopQuery(String queryId) {
        callTimes.add(ticker.now().toEpochMilli());
        stops.add(queryId);
        Query q = queries.get(queryId);
        if (q != null && !q.done) {
            q.done = true;
            running--;
        }
    }

    private Poll evaluate(Start s) {
        long from = s.startSeconds() * 1000;
        long to = s.endSeconds() * 1000 + 999; // both ends inclusive, whole seconds
        Matcher ing = ING.matcher(s.text());
        Matcher ts = TS.matcher(s.text());
        boolean hasIng = ing.find();
        boolean hasTs = ts.find();
        List<Event> inRange = new ArrayList<>();
        long bytes = 0;
        for (Event e : events) {
            if (e.timestamp() < from || e.timestamp() > to) {
                continue;
            }
            bytes += e.message().length();
            inRange.add(e);
        }
        List<Event> matched = new ArrayList<>();
        for (Event e : inRange) {
            if (hasIng && (e.ingestionTime() < Long.parseLong(ing.group(1))
                    || e.ingestionTime() >= Long.parseLong(ing.group(2)))) {
                continue;
            }
            if (hasTs && (e.timestamp() < Long.parseLong(ts.group(1)) || e.timestamp() >= Long.parseLong(ts.group(2)))) {
                continue;
            }
            matched.add(e);
        }
        List<List<Map.Entry<String, String>>> rows = new ArrayList<>();
        if (s.text().contains("stats")) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (Event e : matched) {
                counts.merge(e.message(), 1, Integer::sum);
            }
            for (Map.Entry<String, Integer> c : counts.entrySet()) {
                if (rows.size() == s.limit()) {
                    break;
                }
                rows.add(List.of(entry("msg", c.getKey()), entry("count", String.valueOf(c.getValue()))));
            }
        } else {
            matched.sort(Comparator.comparingLong(Event::timestamp).reversed());
            for (Event e : matched) {
                if (rows.size() == s.limit()) {
                    break;
                }
                if (realRows) {
                    rows.add(List.of(entry("@timestamp", RENDERED.format(java.time.Instant.ofEpochMilli(e.timestamp()))),
                            entry("@message", e.message()), entry("@logStream", e.logStream()),
                            entry("@log", ACCOUNT + ":" + s.logGroup()),
                            entry("@ingestionTime", RENDERED.format(java.time.Instant.ofEpochMilli(e.ingestionTime()))),
                            entry("@ptr", "ptr-" + e.timestamp() + "-" + e.message().hashCode())));
                } else {
                    rows.add(List.of(entry("@timestamp", String.valueOf(e.timestamp())), entry("@message", e.message()),
                            entry("@ptr", "ptr-" + e.timestamp() + "-" + e.message())));
                }
            }
        }
        return new Poll("Complete", rows, inRange.size(), bytes, matched.size());
    }

    private static Map.Entry<String, String> entry(String k, String v) {
        return new AbstractMap.SimpleImmutableEntry<>(k, v);
    }
}
