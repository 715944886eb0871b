package io.ekslookout.query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Necessary conditions on the raw event, checked by a batch before any JSON parsing: an event for which a query's
 * condition is false cannot pass that query's streaming filters, so the query only counts it as scanned; an event
 * no query of the batch can keep is never parsed at all (most audit events are reads by system identities).
 * <p>
 * Derived from each streaming filter, by structure ({@code and} → all, {@code or} → any):
 * <ul>
 *   <li>a predicate with a literal pre-check ({@code f = "lit"}, {@code f in [...]}, {@code f like "lit"},
 *       {@code strcontains(f, "lit")}, see {@link Plan}): the message contains one of the literals, allowing for JSON
 *       escapes ({@link EventView#mayContain});</li>
 *   <li>{@code ispresent(a.b)} on a JSON field: the message contains its longest key segment (same escape rule);</li>
 *   <li>a comparison of a JSON field with a constant ({@code responseStatus.code >= 500}, {@code code in [500, 503]}):
 *       some occurrence of its key in the message has a value that may satisfy it ({@link KeyNumber}: a plain
 *       number that does, or anything else);</li>
 *   <li>{@code @message like "text"} or {@code like /regex/}: the message contains the text, or the literal every
 *       match of the regex contains, verbatim;</li>
 *   <li>a condition reading only system fields ({@code @logStream like /^kube-apiserver-audit/}): itself;</li>
 *   <li>anything else: unknown (true).</li>
 * </ul>
 * Each condition is necessary for the predicate it comes from to be true, so for the filter to keep the event: the
 * results never change (the differential tests compare with the plain evaluation). A batch checks each distinct
 * literal once per event, whatever the number of queries naming it.
 */
final class Prefilter {
    private Prefilter() {
    }

    /** A condition tree; null stands for "unknown" (always true). */
    sealed interface Node permits All, Any, Contains, Local, Numeric {
    }

    record All(List<Node> parts) implements Node {
    }

    record Any(List<Node> parts) implements Node {
    }

    /** The message contains one of the literals: as JSON text ({@code json}, escapes allowed for) or verbatim. */
    record Contains(String[] literals, boolean json) implements Node {
        String key() {
            return (json ? "j" : "m") + String.join("\u0000", literals);
        }
    }

    /** Some occurrence of a JSON key in the message may hold a value satisfying a comparison. */
    record Numeric(KeyNumber test) implements Node {
    }

    /** A condition that reads only the event's system fields, evaluated as is. */
    record Local(Expr condition) implements Node {
    }

    private static final Set<String> RUN_DEPENDENT = Set.of("querystarttime", "queryendtime", "querytimerange",
            "now");

    /** A necessary condition for {@code e} to be true, or null when none is known. */
    static Node necessary(Expr e, Set<String> created) {
        if (e instanceof Expr.Logical l) {
            Node a = necessary(l.left, created);
            Node b = necessary(l.right, created);
            if (l.and) {
                return a == null ? b : b == null ? a : all(a, b);
            }
            return a == null || b == null ? null : new Any(List.of(a, b));
        }
        if (local(e, created) && Plan.cost(e, created) == 0) {
            return new Local(e); // a regex over the whole message is not run here: its literal is (below)
        }
        if (e instanceof Expr.Predicate p && p.guard != null) {
            return new Contains(p.guard, true);
        }
        KeyNumber number = KeyNumber.of(e, created);
        if (number != null) {
            return new Numeric(number);
        }
        if (e instanceof Expr.Like l && !l.negated && l.subject instanceof Expr.Field f && f.name.equals("@message")
                && !Plan.isCreated(f.name, created)) {
            String lit = l.substring != null ? l.substring : l.regex.requiredLiteral();
            return lit == null || lit.isEmpty() ? null : new Contains(new String[] {lit}, false);
        }
        if (e instanceof Expr.Call c && c.name.equals("ispresent") && c.args.length == 1
                && Plan.isJsonField(c.args[0], created)) {
            String seg = keySegment(((Expr.Field) c.args[0]).name);
            return seg == null ? null : new Contains(new String[] {seg}, true);
        }
        return null;
    }

    private static Node all(Node a, Node b) {
        List<Node> parts = new ArrayList<>();
        for (Node n : new Node[] {a, b}) {
            if (n instanceof All all) {
                parts.addAll(all.parts);
            } else {
                parts.add(n);
            }
        }
        return new All(parts);
    }

    /** True when {@code e} reads no JSON field and no name the query created, and no run-dependent function. */
    private static boolean local(Expr e, Set<String> created) {
        boolean[] ok = {true};
        e.walk(x -> {
            if (x instanceof Expr.Field f && (Plan.isJsonField(f, created) || Plan.isCreated(f.name, created))
                    || x instanceof Expr.Call c && RUN_DEPENDENT.contains(c.name) || x instanceof Expr.AggCall) {
                ok[0] = false;
            }
        });
        return ok[0];
    }

    /**
     * The longest segment of a JSON field name that must appear inside one of the message's keys: every segment of
     * a discovered name is part of a key, except array indexes (numeric segments) and the top-level {@code @@} form.
     */
    private static String keySegment(String name) {
        String best = null;
        for (String seg : name.split("\\.", -1)) {
            if (seg.isEmpty() || seg.startsWith("@") || seg.chars().allMatch(Character::isDigit)
                    || !Plan.eligible(seg)) {
                continue;
            }
            if (best == null || seg.length() > best.length()) {
                best = seg;
            }
        }
        return best;
    }

    // ------------------------------------------------------------------ per batch

    /**
     * A query's conditions compiled for one batch: distinct literals share one slot, checked once per event.
     * Immutable: what one test changes is the event's own {@link EventView#slots} (and the {@link RawMessage} it
     * reads), so reader threads may test events concurrently, each with its own views
     * ({@link QueryBatch.RawCheck}).
     */
    abstract static class Check {
        /** False only when the event cannot pass the query's streaming filters; {@code env}: the query's. */
        abstract boolean test(EventView v, Env env);
    }

    /** Compiles the plans' conditions for one batch; the number of literal slots is {@link Slots#count}. */
    static final class Slots {
        private final Map<String, Integer> ids = new HashMap<>();

        int count() {
            return ids.size();
        }

        /** The check of a plan, or null when it has no known condition. */
        Check compile(Plan plan) {
            List<Check> parts = new ArrayList<>();
            List<Check> later = new ArrayList<>();
            for (Node n : plan.prefilter) {
                if (n instanceof Local) {
                    parts.add(compile(n)); // system-field tests first: cheapest
                } else if (n != null) {
                    later.add(compile(n));
                }
            }
            parts.addAll(later);
            if (parts.isEmpty()) {
                return null;
            }
            return parts.size() == 1 ? parts.get(0) : new AllCheck(parts.toArray(new Check[0]));
        }

        private Check compile(Node n) {
            if (n instanceof All a) {
                return new AllCheck(a.parts.stream().map(this::compile).toArray(Check[]::new));
            }
            if (n instanceof Any a) {
                return new AnyCheck(a.parts.stream().map(this::compile).toArray(Check[]::new));
            }
            if (n instanceof Contains c) {
                int slot = ids.computeIfAbsent(c.key(), k -> ids.size());
                return new ContainsCheck(c.literals, c.json, slot);
            }
            if (n instanceof Numeric num) {
                return new NumberCheck(num.test, ids.computeIfAbsent(num.test.id, k -> ids.size()));
            }
            Expr e = ((Local) n).condition;
            String key = sharedKey(e);
            return new LocalCheck(e, key == null ? -1 : ids.computeIfAbsent(key, k -> ids.size()));
        }

        /**
         * A key naming what a local condition computes when the same test recurs across the rules of a batch
         * ({@code @logStream like /^kube-apiserver-audit/} in almost every rule): one evaluation per event serves
         * them all. Null: not shared.
         */
        private static String sharedKey(Expr e) {
            if (e instanceof Expr.Like l && l.subject instanceof Expr.Field f) {
                return "like\u0000" + f.name + "\u0000" + l.negated + "\u0000"
                        + (l.substring != null ? "s" + l.substring : "r" + l.regex.pattern());
            }
            return null;
        }
    }

    private static final class AllCheck extends Check {
        private final Check[] parts;

        AllCheck(Check[] parts) {
            this.parts = parts;
        }

        @Override
        boolean test(EventView v, Env env) {
            for (Check c : parts) {
                if (!c.test(v, env)) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final class AnyCheck extends Check {
        private final Check[] parts;

        AnyCheck(Check[] parts) {
            this.parts = parts;
        }

        @Override
        boolean test(EventView v, Env env) {
            for (Check c : parts) {
                if (c.test(v, env)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A check whose answer is the same for every query asking it about one event: kept in the event's slot. */
    private abstract static class SlotCheck extends Check {
        private final int slot;

        SlotCheck(int slot) {
            this.slot = slot;
        }

        @Override
        final boolean test(EventView v, Env env) {
            byte known = v.slots[slot];
            if (known != 0) {
                return known > 0;
            }
            boolean r = compute(v);
            v.slots[slot] = (byte) (r ? 1 : -1);
            return r;
        }

        abstract boolean compute(EventView v);
    }

    private static final class ContainsCheck extends SlotCheck {
        private final String[] literals;
        private final boolean json;

        ContainsCheck(String[] literals, boolean json, int slot) {
            super(slot);
            this.literals = literals;
            this.json = json;
        }

        @Override
        boolean compute(EventView v) {
            return json ? v.mayContain(literals) : v.containsVerbatim(literals);
        }
    }

    private static final class NumberCheck extends SlotCheck {
        private final KeyNumber test;

        NumberCheck(KeyNumber test, int slot) {
            super(slot);
            this.test = test;
        }

        @Override
        boolean compute(EventView v) {
            return v.mayHoldNumber(test);
        }
    }

    /** System fields a local condition may read without the message. */
    private static final Set<String> SYSTEM_NOT_MESSAGE = Set.of("@timestamp", "@logStream", "@log",
            "@ingestionTime", "@ptr");

    private static final class LocalCheck extends Check {
        private final Expr condition;
        private final int slot;

        /** The condition reads the message: an undecoded one ({@link EventView#raw}) gets {@link #onRaw}. */
        private final boolean readsMessage;
        /** What an undecoded message must contain verbatim for the condition to hold; null: unknown. */
        private final String[] rawLiteral;
        /**
         * The condition reads {@code @ptr}: the event's id, or {@code local-<seq>} for an event without one. An
         * undecoded event's id is not read yet (readers build it only for events someone keeps), and a reader
         * thread's view has no sequence number yet ({@link EventView#UNKNOWN_SEQ}): such a view may pass.
         */
        private final boolean readsPtr;
        /**
         * The condition is {@code @logStream like ...} (in almost every rule): tested on the stream name directly,
         * as {@link Expr.Like#eval} would (no guard: it reads no JSON field), with no record made per event.
         */
        private final Expr.Like onStream;

        LocalCheck(Expr condition, int slot) {
            this.condition = condition;
            this.slot = slot;
            this.readsMessage = readsMessage(condition);
            this.rawLiteral = rawLiteral(condition);
            boolean[] ptr = {false};
            condition.walk(x -> ptr[0] |= x instanceof Expr.Field f && f.name.equals("@ptr"));
            this.readsPtr = ptr[0];
            this.onStream = condition instanceof Expr.Like l && l.guard == null
                    && l.subject instanceof Expr.Field f && f.name.equals("@logStream") ? l : null;
        }

        private static boolean readsMessage(Expr e) {
            boolean[] reads = {false};
            e.walk(x -> {
                if (x instanceof Expr.Field f && !SYSTEM_NOT_MESSAGE.contains(f.name)) {
                    reads[0] = true; // @message, or anything else: the decoded message may be needed
                }
            });
            return reads[0];
        }

        private static String[] rawLiteral(Expr e) {
            if (e instanceof Expr.Like l && !l.negated && l.subject instanceof Expr.Field f
                    && f.name.equals("@message")) {
                String lit = l.substring != null ? l.substring : l.regex.requiredLiteral();
                return lit == null || lit.isEmpty() ? null : new String[] {lit};
            }
            return null;
        }

        /** A necessary condition on an undecoded message: contains the literal, or unknown (true). */
        private boolean onRaw(EventView v) {
            return rawLiteral == null || v.containsVerbatim(rawLiteral);
        }

        @Override
        boolean test(EventView v, Env env) {
            if (readsMessage && v.undecoded()) {
                return onRaw(v);
            }
            if (readsPtr && (v.seq == EventView.UNKNOWN_SEQ || v.undecoded())) {
                return true;
            }
            if (slot >= 0 && v.slots[slot] != 0) {
                return v.slots[slot] > 0;
            }
            boolean r;
            try {
                if (onStream != null) {
                    String stream = v.event.logStream();
                    r = stream != null && onStream.matches(stream) != onStream.negated;
                } else {
                    r = Values.truthy(condition.eval(new Rec(v, env)));
                }
            } catch (RuntimeException | StackOverflowError e) {
                return true; // the query itself evaluates the event and reports the error
            }
            if (slot >= 0) {
                v.slots[slot] = (byte) (r ? 1 : -1);
            }
            return r;
        }
    }
}
