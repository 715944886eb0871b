package io.ekslookout.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Several queries over one read of the events. Each event is wrapped once; its message is parsed as JSON at most
 * once (lazily, on the first query that reads a JSON field) and only the fields referenced by any of the queries
 * are materialized. Events outside the context's window {@code [startMillis, endMillis)} are skipped.
 * <p>
 * Faults are isolated per event and per query: when evaluating one event for one query throws (which the engine is
 * built to avoid), or the event's message nests JSON too deeply to discover a field the query asked for
 * ({@link Json#MAX_DEPTH}), that is counted for that query with the first location and reason
 * ({@link QueryResult#eventErrors()}), and the query goes on with the next event; the other queries never notice.
 * A query whose end of run fails (the commands after the streaming part) fails alone: its entry in
 * {@link #finish()} is null and {@link #failures()} holds the cause.
 *
 * <pre>
 * QueryBatch batch = QueryBatch.start(queries, context);
 * source.forEach(batch::accept);
 * List&lt;QueryResult&gt; results = batch.finish();   // same order as queries
 * </pre>
 */
public final class QueryBatch {
    /** Longest reason kept for an event error (reasons may quote attacker-controlled text). */
    private static final int MAX_REASON = 200;

    private final QueryContext context;
    private final FieldTrie wanted;
    private final List<Pipeline> pipelines = new ArrayList<>();
    private final Map<Integer, RuntimeException> failures = new LinkedHashMap<>();
    /**
     * Off ({@code -Dekslookout.prefilter=false}): no batch prefilter, so benchmarks and tests can compare both ways.
     */
    static boolean prefilter = !"false".equals(System.getProperty("ekslookout.prefilter"));

    /** Per query: its prefilter ({@link Prefilter}), or null. */
    private final Prefilter.Check[] checks;
    private final int slots;
    private final long[] eventErrors;
    private final String[] firstEventError;
    private long seq;
    /**
     * Off ({@code -Dekslookout.rawskip=false}): readers build every message, even for events the prefilter rejects
     * ({@link #skipsUnread}), so benchmarks and tests can compare both ways.
     */
    static boolean rawSkip = !"false".equals(System.getProperty("ekslookout.rawskip"));
    /**
     * The raw gate of the thread feeding the batch ({@link #skipsUnread}), or null when some query has no
     * prefilter (it keeps every event) or the raw skip is off. It turns itself off for good when it lets most events
     * through ({@link #RAW_PROBE}): then asking first only adds work (a query whose prefilter passes every audit
     * event makes the batch decode them all anyway; a filter on a number has its own check, {@link KeyNumber}).
     */
    private final RawCheck gate;
    /** Every this many events offered, a raw gate must have ruled out a quarter of them to stay on. */
    static final int RAW_PROBE = 4096;

    private QueryBatch(List<Query> queries, QueryContext context, QueryLimits limits) {
        this.context = context;
        Set<String> names = new HashSet<>();
        for (Query q : queries) {
            names.addAll(q.referencedFields());
            pipelines.add(new Pipeline(q.plan(), context, limits));
        }
        this.wanted = FieldTrie.of(names);
        Prefilter.Slots compiler = new Prefilter.Slots();
        this.checks = new Prefilter.Check[queries.size()];
        for (int i = 0; i < checks.length; i++) {
            checks[i] = prefilter ? compiler.compile(queries.get(i).plan()) : null;
        }
        this.slots = compiler.count();
        this.gate = rawSkip && prefilter && rawGate(checks) ? newRawCheck() : null;
        this.eventErrors = new long[queries.size()];
        this.firstEventError = new String[queries.size()];
    }

    public static QueryBatch start(List<Query> queries, QueryContext context) {
        return start(queries, context, QueryLimits.DEFAULT);
    }

    public static QueryBatch start(List<Query> queries, QueryContext context, QueryLimits limits) {
        return new QueryBatch(List.copyOf(queries), context, limits);
    }

    public void accept(LogEvent event) {
        accept(event, null);
    }

    /**
     * @param where where the event came from ("file:line"), asked only when it is the first event a query could not
     *              evaluate; null: the event's stream and timestamp
     */
    public void accept(LogEvent event, Supplier<String> where) {
        long ts = event.timestamp();
        if (ts < context.startMillis() || ts >= context.endMillis()) {
            return;
        }
        EventView view = new EventView(event, seq++, wanted, slots);
        boolean anyFailed = !failures.isEmpty();
        for (int i = 0; i < pipelines.size(); i++) {
            if (anyFailed && failures.containsKey(i)) {
                continue;
            }
            Prefilter.Check check = checks[i];
            if (check != null && !check.test(view, pipelines.get(i).env())) {
                pipelines.get(i).skip();
                continue;
            }
            view.missedByDepth = false;
            try {
                pipelines.get(i).accept(view);
            } catch (RuntimeException | StackOverflowError e) {
                eventError(i, event, where, reason(e));
                continue;
            }
            if (view.missedByDepth) {
                eventError(i, event, where, "too deep: the message nests JSON deeper than " + Json.MAX_DEPTH
                        + " levels; the fields past that point were not discovered");
            }
        }
        view.close(); // events kept by a query were read to the end when kept
    }

    /**
     * Handles an event whose message is not decoded yet when no query of the batch can keep it: outside the window,
     * or ruled out by every query's prefilter on the raw message ({@link RawMessage}); then the event counts as
     * scanned, exactly as {@link #accept} would count it, and true is returned. False: nothing was done, the
     * caller decodes the message and calls {@link #accept}.
     */
    public boolean skipsUnread(long timestamp, long ingestionTime, String logStream, String logGroup,
                               RawMessage message) {
        if (gate == null) {
            return timestamp < context.startMillis() || timestamp >= context.endMillis();
        }
        if (!gate.rulesOut(timestamp, ingestionTime, logStream, logGroup, message)) {
            return false;
        }
        skipUnread(timestamp); // nothing outside the window
        return true;
    }

    /**
     * The consumer's half of a {@link RawCheck}: accounts for an event that a reader thread's check ruled out, on
     * the thread feeding the batch, in the event's place in the read, exactly as {@link #skipsUnread} does when it
     * answers true (the event counts as scanned by every query and takes its sequence number).
     */
    public void skipUnread(long timestamp) {
        if (timestamp < context.startMillis() || timestamp >= context.endMillis()) {
            return;
        }
        seq++;
        boolean anyFailed = !failures.isEmpty();
        for (int i = 0; i < pipelines.size(); i++) {
            if (!(anyFailed && failures.containsKey(i))) {
                pipelines.get(i).skip();
            }
        }
    }

    /**
     * A check of undecoded events for one reader thread, or null when {@link #skipsUnread} answers false for every
     * event in the window now (then readers decode every message). Made on the thread feeding the batch, before
     * the reader thread starts; each reader thread needs its own.
     */
    public RawCheck rawCheck() {
        return gate == null || !gate.active() ? null : newRawCheck();
    }

    private RawCheck newRawCheck() {
        Env[] envs = new Env[pipelines.size()];
        for (int i = 0; i < envs.length; i++) {
            envs[i] = pipelines.get(i).env();
        }
        return new RawCheck(context, wanted, slots, checks.clone(), envs);
    }

    /**
     * The side-effect-free half of {@link #skipsUnread} (which asks one of its own): for a parallel reader, asks the
     * prefilter checks about an undecoded event on a reader thread, touching none of the batch's state (sequence numbers, pipelines,
     * counters: {@link #skipUnread} does that part, in order, on the thread feeding the batch). What it reads is
     * immutable (the window, the field trie, the compiled checks, each query's {@link Env}); what it writes is its
     * own: the event's view and slots, the reader's {@link RawMessage}, its own probe. {@code @ptr} of an event
     * without an id depends on its sequence number, unknown here: a check reading it lets the event through.
     * Thread-confined: one per reader thread.
     */
    public static final class RawCheck {
        private final QueryContext context;
        private final FieldTrie wanted;
        private final int slots;
        private final Prefilter.Check[] checks;
        private final Env[] envs;
        private boolean on = true;
        private long offered;
        private long ruledOut;
        /** The one view this reader's checks see, reset per line ({@link EventView#probe}). */
        private final EventView probe;

        private RawCheck(QueryContext context, FieldTrie wanted, int slots, Prefilter.Check[] checks, Env[] envs) {
            this.context = context;
            this.wanted = wanted;
            this.slots = slots;
            this.checks = checks;
            this.envs = envs;
            this.probe = new EventView(null, EventView.UNKNOWN_SEQ, wanted, slots, null);
        }

        /**
         * False once this reader's probe found that the checks rule out fewer than a quarter of the events
         * ({@link #RAW_PROBE}): asking first would only add work.
         */
        public boolean active() {
            return on;
        }

        /**
         * True when no query of the batch can keep the event: outside the window, or ruled out by every query's
         * prefilter on the raw message; false: the message must be decoded and the event offered to the batch.
         */
        public boolean rulesOut(long timestamp, long ingestionTime, String logStream, String logGroup,
                                RawMessage message) {
            if (timestamp < context.startMillis() || timestamp >= context.endMillis()) {
                return true;
            }
            if (!on) {
                return false;
            }
            if (++offered % RAW_PROBE == 0 && ruledOut * 4 < offered) {
                on = false; // the answer is the same either way: only the cost differs
            }
            LogEvent head = new LogEvent(timestamp, ingestionTime, null, logStream, logGroup, null); // id: not read yet
            EventView view = probe;
            view.probe(head, message);
            for (int i = 0; i < checks.length; i++) {
                if (checks[i].test(view, envs[i])) {
                    return false;
                }
            }
            ruledOut++;
            return true;
        }
    }

    /** False when {@link #skipsUnread} answers false for every event in the window (for now on). */
    public boolean skipsSomeUnread() {
        return gate != null && gate.active();
    }

    /** True when every query has a prefilter (a query without one keeps every event). */
    private static boolean rawGate(Prefilter.Check[] checks) {
        for (Prefilter.Check c : checks) {
            if (c == null) {
                return false;
            }
        }
        return true;
    }

    private void eventError(int query, LogEvent event, Supplier<String> where, String reason) {
        if (eventErrors[query]++ == 0) {
            String at = where == null ? null : where.get();
            if (at == null) {
                at = "stream " + event.logStream() + " at " + Instant.ofEpochMilli(event.timestamp());
            }
            firstEventError[query] = at + ": " + reason;
        }
    }

    private static String reason(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "stack overflow while evaluating the event";
        }
        String m = e.getMessage() == null ? e.getClass().getSimpleName()
                : e instanceof QueryException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
        m = m.replaceAll("\\p{Cntrl}", " ");
        return m.length() > MAX_REASON ? m.substring(0, MAX_REASON) + "…" : m;
    }

    /** Results in the order of the queries; null for a query listed in {@link #failures()}. */
    public List<QueryResult> finish() {
        List<QueryResult> out = new ArrayList<>();
        for (int i = 0; i < pipelines.size(); i++) {
            QueryResult r = null;
            if (!failures.containsKey(i)) {
                try {
                    r = pipelines.get(i).finish();
                    if (eventErrors[i] > 0) {
                        r = r.withEventErrors(eventErrors[i], firstEventError[i]);
                    }
                } catch (RuntimeException | StackOverflowError e) {
                    failures.put(i, e instanceof RuntimeException re ? re
                            : new IllegalStateException(reason(e), e));
                }
            }
            out.add(r);
        }
        return out;
    }

    /** Query index to the exception that stopped it. */
    public Map<Integer, RuntimeException> failures() {
        return Map.copyOf(failures);
    }
}
