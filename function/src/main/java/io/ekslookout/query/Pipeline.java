package io.ekslookout.query;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import com.google.re2j.Matcher;

/**
 * One run of a query. Events are pushed through the streaming prefix (filter, fields, display, parse, unnest;
 * sort keys are captured and applied later) into a sink: the first stats aggregates as it goes, the first limit or
 * dedup (or the end of the query) keeps only the rows it can return. The remaining commands then run over the
 * rows in memory. Memory therefore stays bounded by the row cap, the groups of stats and the keys of dedup.
 */
final class Pipeline {
    /** The most rows a result holds (GetQueryResults' default). */
    static final int ROW_CAP = 10_000;

    private final Plan plan;
    private final Env env;
    private final Sink sink;
    private final Comparator<Rec> order;
    private final QueryLimits limits;
    /** Why the result is partial (caps reached), in the order first reached. */
    private final java.util.Set<String> warnings = new java.util.LinkedHashSet<>();
    long scanned;
    long matched;
    private long lastMatchedSeq = -1;

    Pipeline(Plan plan, QueryContext ctx) {
        this(plan, ctx, QueryLimits.DEFAULT);
    }

    Pipeline(Plan plan, QueryContext ctx, QueryLimits limits) {
        this.plan = plan;
        this.limits = limits;
        this.env = new Env(ctx);
        this.order = streamOrder(plan);
        Command barrier = plan.barrier < plan.commands.size() ? plan.commands.get(plan.barrier) : null;
        if (barrier instanceof Command.Stats s) {
            sink = new Aggregation(s, plan.statsSlots.get(0), env, limits);
        } else if (barrier instanceof Command.Limit l) {
            sink = new TopK(Math.min(l.count, ROW_CAP), order);
        } else if (barrier instanceof Command.Dedup d) {
            sink = new DedupSink(d, order, limits);
        } else {
            sink = new TopK(ROW_CAP, order);
        }
    }

    void accept(EventView ev) {
        scanned++;
        if (!plan.optimize) {
            ev.settle();
        }
        push(new Rec(ev, env), 0);
    }

    /** An event the batch's prefilter ruled out for this query: scanned, never matched. */
    void skip() {
        scanned++;
    }

    /** What the query's expressions read besides the record (immutable: the prefilter's checks use it too). */
    Env env() {
        return env;
    }

    private void push(Rec r, int from) {
        List<Command> cmds = plan.streaming;
        int sortIndex = 0;
        for (int i = 0; i < from; i++) {
            if (cmds.get(i) instanceof Command.Sort) {
                sortIndex++;
            }
        }
        for (int i = from; i < cmds.size(); i++) {
            Command c = cmds.get(i);
            if (c instanceof Command.Filter f) {
                if (!Values.truthy(f.condition.eval(r))) {
                    return;
                }
            } else if (c instanceof Command.Fields f) {
                assign(f, r);
            } else if (c instanceof Command.Sort s) {
                if (r.sortKeys == null) {
                    r.sortKeys = new Object[plan.streamingSorts][];
                } else if (r.sortKeys[sortIndex] != null) {
                    r.sortKeys = r.sortKeys.clone();
                }
                Object[] keys = new Object[s.keys.size()];
                for (int k = 0; k < keys.length; k++) {
                    keys[k] = sortable(s.keys.get(k).expr().eval(r));
                }
                r.sortKeys[sortIndex++] = keys;
            } else if (c instanceof Command.Parse p) {
                if (p.multi) {
                    for (Rec out : parseMulti(p, r)) {
                        push(out, i + 1);
                    }
                    return;
                }
                parse(p, r);
            } else if (c instanceof Command.Unnest u) {
                for (Rec out : unnest(u, r)) {
                    push(out, i + 1);
                }
                return;
            }
        }
        if (r.ev != null && r.ev.seq != lastMatchedSeq) {
            lastMatchedSeq = r.ev.seq;
            matched++;
        }
        sink.accept(r);
    }

    /** Groups the streaming stats holds now (0 without one): what {@link QueryLimits#maxGroups()} bounds. */
    int groupsHeld() {
        return sink instanceof Aggregation a ? a.groupCount() : 0;
    }

    QueryResult finish() {
        List<Rec> rows = sink.rows();
        sink.warn(warnings);
        List<Command> cmds = plan.commands;
        int statsSeen = plan.barrier < cmds.size() && cmds.get(plan.barrier) instanceof Command.Stats ? 1 : 0;
        for (int i = plan.barrier + 1; i < cmds.size(); i++) {
            rows = apply(cmds.get(i), rows, statsSeen);
            if (cmds.get(i) instanceof Command.Stats) {
                statsSeen++;
            }
        }
        List<ResultRow> out = new ArrayList<>(Math.min(rows.size(), ROW_CAP));
        for (Rec r : rows) {
            if (out.size() >= ROW_CAP) {
                break;
            }
            List<ResultRow.Field> fields = new ArrayList<>(plan.columns.size() + 1);
            for (String col : plan.columns) {
                String v = Values.render(r.get(col));
                if (v != null) {
                    fields.add(new ResultRow.Field(col, v));
                }
            }
            if (!plan.aggregate && r.ev != null) {
                fields.add(new ResultRow.Field("@ptr", r.ptr()));
            }
            out.add(new ResultRow(fields));
        }
        return new QueryResult(plan.columns, out, plan.aggregate, scanned, matched, 0, null, List.copyOf(warnings));
    }

    // ------------------------------------------------------------------ commands over rows in memory

    private List<Rec> apply(Command c, List<Rec> rows, int statsSeen) {
        if (c instanceof Command.Filter f) {
            List<Rec> out = new ArrayList<>();
            for (Rec r : rows) {
                if (Values.truthy(f.condition.eval(r))) {
                    out.add(r);
                }
            }
            return out;
        }
        if (c instanceof Command.Fields f) {
            rows.forEach(r -> assign(f, r));
            return rows;
        }
        if (c instanceof Command.Parse p) {
            List<Rec> out = new ArrayList<>();
            for (Rec r : rows) {
                if (p.multi) {
                    out.addAll(parseMulti(p, r));
                } else {
                    parse(p, r);
                    out.add(r);
                }
            }
            return out;
        }
        if (c instanceof Command.Unnest u) {
            List<Rec> out = new ArrayList<>();
            rows.forEach(r -> out.addAll(unnest(u, r)));
            return out;
        }
        if (c instanceof Command.Sort s) {
            List<Object[]> keys = new ArrayList<>(rows.size());
            for (Rec r : rows) {
                Object[] k = new Object[s.keys.size()];
                for (int i = 0; i < k.length; i++) {
                    k[i] = sortable(s.keys.get(i).expr().eval(r));
                }
                keys.add(k);
            }
            Integer[] idx = new Integer[rows.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            Arrays.sort(idx, (a, b) -> compareKeys(s, keys.get(a), keys.get(b)));
            List<Rec> out = new ArrayList<>(rows.size());
            for (Integer i : idx) {
                out.add(rows.get(i));
            }
            return out;
        }
        if (c instanceof Command.Limit l) {
            return rows.size() <= l.count ? rows : new ArrayList<>(rows.subList(0, l.count));
        }
        if (c instanceof Command.Dedup d) {
            DedupSink sink = new DedupSink(d, null, limits);
            rows.forEach(sink::accept);
            sink.warn(warnings);
            return sink.rows();
        }
        if (c instanceof Command.Stats s) {
            Aggregation agg = new Aggregation(s, plan.statsSlots.get(statsSeen), env, limits);
            rows.forEach(agg::accept);
            List<Rec> out = agg.rows();
            agg.warn(warnings);
            return out;
        }
        throw new IllegalStateException("unknown command " + c.name());
    }

    // ------------------------------------------------------------------ per-record work

    private static void assign(Command.Fields f, Rec r) {
        for (Command.Item item : f.items) {
            Expr e = item.expr();
            if (e instanceof Expr.Field fr && fr.name.equals(item.name())) {
                continue; // a plain field is read from the final record
            }
            r.set(item.name(), e.eval(r));
        }
    }

    private static void parse(Command.Parse p, Rec r) {
        String s = Values.text(p.source.eval(r));
        Matcher m = s == null ? null : p.pattern.first(s);
        for (int g = 0; g < p.names.size(); g++) {
            String name = p.names.get(g);
            if (name != null) {
                r.set(name, m != null ? m.group(g + 1) : null);
            }
        }
    }

    private static List<Rec> parseMulti(Command.Parse p, Rec r) {
        List<Rec> out = new ArrayList<>();
        String s = Values.text(p.source.eval(r));
        Matcher m = s == null ? null : p.pattern.first(s);
        if (m == null) {
            return out;
        }
        do {
            Rec c = r.copy();
            for (int g = 0; g < p.names.size(); g++) {
                if (p.names.get(g) != null) {
                    c.set(p.names.get(g), m.group(g + 1));
                }
            }
            out.add(c);
        } while (m.find());
        return out;
    }

    /** A LIST gives one record per element; any other non-null value one record; null or [] none. */
    private static List<Rec> unnest(Command.Unnest u, Rec r) {
        Object v = u.source.eval(r);
        List<Rec> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                Rec c = r.copy();
                c.set(u.into, o);
                out.add(c);
            }
        } else if (v != null) {
            r.set(u.into, v);
            out.add(r);
        }
        return out;
    }

    /** Structures cannot be sorted: they sort as missing. */
    private static Object sortable(Object v) {
        return Values.isStructure(v) ? null : v;
    }

    private static int compareKeys(Command.Sort s, Object[] a, Object[] b) {
        for (int k = 0; k < a.length; k++) {
            int c = NaturalOrder.NULLS_LAST.compare(a[k], b[k]);
            if (c != 0) {
                return s.keys.get(k).descending() ? -c : c;
            }
        }
        return 0;
    }

    /** Order of the streaming part: the last sort first, then earlier sorts, then newest first, then arrival. */
    private static Comparator<Rec> streamOrder(Plan plan) {
        List<Command.Sort> sorts = new ArrayList<>();
        for (Command c : plan.streaming) {
            if (c instanceof Command.Sort s) {
                sorts.add(s);
            }
        }
        return (x, y) -> {
            for (int i = sorts.size() - 1; i >= 0; i--) {
                Object[] a = x.sortKeys == null ? null : x.sortKeys[i];
                Object[] b = y.sortKeys == null ? null : y.sortKeys[i];
                if (a != null && b != null) {
                    int c = compareKeys(sorts.get(i), a, b);
                    if (c != 0) {
                        return c;
                    }
                }
            }
            int c = Long.compare(y.timestamp(), x.timestamp());
            return c != 0 ? c : Long.compare(x.seq(), y.seq());
        };
    }

    // ------------------------------------------------------------------ sinks

    /** A record kept until the end must not hold an open JSON parser: read its message to the end now. */
    static void keep(Rec r) {
        if (r.ev != null) {
            r.ev.keep();
        }
    }

    interface Sink {
        void accept(Rec r);

        List<Rec> rows();

        /** Adds why the rows are partial (a cap was reached), if they are. */
        default void warn(java.util.Set<String> warnings) {
        }
    }

    /** Keeps the first {@code k} records in order (a bounded max-heap of the best). */
    static final class TopK implements Sink {
        private final int k;
        private final Comparator<Rec> order;
        private final PriorityQueue<Rec> heap;

        TopK(int k, Comparator<Rec> order) {
            this.k = k;
            this.order = order;
            this.heap = new PriorityQueue<>(Math.min(k, 1024) + 1, order.reversed());
        }

        @Override
        public void accept(Rec r) {
            if (heap.size() < k) {
                keep(r);
                heap.add(r);
            } else if (order.compare(r, heap.peek()) < 0) {
                keep(r);
                heap.poll();
                heap.add(r);
            }
        }

        @Override
        public List<Rec> rows() {
            List<Rec> out = new ArrayList<>(heap);
            out.sort(order);
            return out;
        }
    }

    /**
     * Keeps the first record (in order) of each distinct combination of the dedup fields; records with a missing
     * dedup field are all kept. Keys compare by rendered value (reference UNK-22). With a null order the input
     * list order is the order.
     */
    static final class DedupSink implements Sink {
        private final Command.Dedup dedup;
        private final Comparator<Rec> order;
        private final Map<List<String>, Rec> first = new LinkedHashMap<>();
        private final List<Rec> kept = new ArrayList<>();
        private final TopK nullKeyed;
        private final int maxKeys;
        private long dropped;

        DedupSink(Command.Dedup dedup, Comparator<Rec> order, QueryLimits limits) {
            this.dedup = dedup;
            this.order = order;
            this.maxKeys = limits.maxGroups();
            this.nullKeyed = order == null ? null : new TopK(ROW_CAP, order);
        }

        @Override
        public void accept(Rec r) {
            List<String> key = new ArrayList<>(dedup.fields.size());
            for (String f : dedup.fields) {
                Object v = r.get(f);
                if (v == null || Values.isStructure(v)) {
                    if (nullKeyed != null) { // TopK keeps (settles) what it retains
                        nullKeyed.accept(r);
                    } else {
                        kept.add(r);
                    }
                    return;
                }
                key.add(Values.render(v));
            }
            Rec old = first.get(key);
            if (old == null && first.size() >= maxKeys) {
                dropped++; // a new key past the cap: not kept, and said so (warn)
                return;
            }
            if (order == null) {
                if (old == null) {
                    first.put(key, r);
                    kept.add(r);
                }
                return;
            }
            if (old == null || order.compare(r, old) < 0) {
                keep(r);
                first.put(key, r);
            }
        }

        @Override
        public List<Rec> rows() {
            if (order == null) {
                return kept;
            }
            List<Rec> out = new ArrayList<>(first.values());
            out.addAll(nullKeyed.rows());
            out.sort(order);
            return out;
        }

        @Override
        public void warn(java.util.Set<String> warnings) {
            if (dropped > 0) {
                warnings.add("dedup keys capped at " + maxKeys + ": results are partial (" + dropped
                        + " records with further keys dropped)");
            }
        }
    }

    /** Hash aggregation for stats: groups by the rendered group-key values. */
    static final class Aggregation implements Sink {
        private final Command.Stats stats;
        private final List<Expr.AggCall> slots;
        private final Env env;
        private final Map<List<String>, Group> groups = new HashMap<>();
        private final QueryLimits limits;
        private long dropped;

        private static final class Group {
            final Object[] keys;
            final Aggregates.Acc[] accs;

            Group(Object[] keys, Aggregates.Acc[] accs) {
                this.keys = keys;
                this.accs = accs;
            }
        }

        Aggregation(Command.Stats stats, List<Expr.AggCall> slots, Env env, QueryLimits limits) {
            this.stats = stats;
            this.slots = slots;
            this.env = env;
            this.limits = limits;
        }

        @Override
        public void accept(Rec r) {
            int n = stats.groups.size();
            Object[] keys = new Object[n];
            List<String> id = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Object v = stats.groups.get(i).expr().eval(r);
                if (Values.isStructure(v)) {
                    v = null;
                }
                keys[i] = v;
                id.add(Values.render(v));
            }
            Group g = groups.get(id);
            if (g == null) {
                if (groups.size() >= limits.maxGroups()) {
                    dropped++; // a new group past the cap is not created (memory stays bounded), and said so
                    return;
                }
                Aggregates.Acc[] accs = new Aggregates.Acc[slots.size()];
                for (int i = 0; i < accs.length; i++) {
                    accs[i] = Aggregates.create(slots.get(i), limits);
                }
                g = new Group(keys, accs);
                groups.put(id, g);
            }
            for (int i = 0; i < g.accs.length; i++) {
                g.accs[i].add(slots.get(i), r);
            }
        }

        @Override
        public List<Rec> rows() {
            List<Group> list = new ArrayList<>(groups.values());
            // Order without a sort is unspecified by the service; group keys ascending (bins chronologically).
            list.sort((a, b) -> {
                for (int i = 0; i < a.keys.length; i++) {
                    int c = NaturalOrder.NULLS_LAST.compare(a.keys[i], b.keys[i]);
                    if (c != 0) {
                        return c;
                    }
                }
                return 0;
            });
            List<Rec> out = new ArrayList<>(list.size());
            for (Group g : list) {
                Rec row = new Rec(null, env);
                row.vals = new HashMap<>();
                for (int i = 0; i < g.keys.length; i++) {
                    row.vals.put(stats.groups.get(i).name(), g.keys[i]);
                }
                Object[] results = new Object[g.accs.length];
                for (int i = 0; i < results.length; i++) {
                    results[i] = g.accs[i].result();
                }
                row.aggs = results;
                for (Command.Item item : stats.aggregates) {
                    row.vals.put(item.name(), item.expr().eval(row));
                }
                row.aggs = null;
                out.add(row);
            }
            return out;
        }

        /** Groups created so far (bounded by {@link QueryLimits#maxGroups()}). */
        int groupCount() {
            return groups.size();
        }

        @Override
        public void warn(java.util.Set<String> warnings) {
            if (dropped > 0) {
                warnings.add("stats groups capped at " + limits.maxGroups() + ": results are partial (" + dropped
                        + " records of further groups dropped)");
            }
            for (Group g : groups.values()) {
                for (Aggregates.Acc a : g.accs) {
                    if (a.capped()) {
                        warnings.add("count_distinct capped at " + limits.maxGroups()
                                + " distinct values: its counts are lower bounds");
                        return;
                    }
                }
            }
        }
    }
}
