package io.ekslookout.fuzz;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.query.LogEvent;
import io.ekslookout.rules.RuleTest;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Log events an attacker could write, made from the rules' own test events (so they get past the rules' first
 * filters): text edits, odd scalar values, very long values, deep nesting, extreme timestamps.
 */
final class HostileEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final List<String> JSON_PIECES = List.of("{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "\\ud800",
            "null", "true", "1e309", "-0", "NaN", "\"*\"", "\n", " ", "\u00A0", "\uFEFF", "\u202E", "\uD83D\uDE00",
            "{\"a\":", "[[[[", "]]]]", "99999999999999999999999", "\"\"");
    private static final List<String> ODD_STRINGS = List.of("", "*", " ", "\u0000", "\n", "\"", "\\", "%s", "${x}",
            "\u202Eevil", "\uFEFF", "\uD800", "x".repeat(300), "system:masters", "0", "-1", "1e400", "NaN",
            "2026-11-20T10:00:00Z", "+999999999-12-31T23:59:59Z", "..", "a.b.c", "[", "{}");

    private HostileEvents() {
    }

    /** {@code n} rule-test events, each message edited as text. */
    static List<LogEvent> mutated(Random r, int n) {
        List<LogEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            RuleTest.Event e = Fuzz.pick(r, Corpus.testEvents());
            out.add(event(e, Mutate.text(r, e.message(), JSON_PIECES, 3), e.timestamp().toEpochMilli()));
        }
        return out;
    }

    /** A rule-test event with one to five JSON values replaced by odd ones (wrong types, huge numbers…). */
    static List<LogEvent> oddValues(Random r) {
        return List.of(editTree(r, (tree, rr) -> {
            for (int i = 1 + rr.nextInt(5); i > 0; i--) {
                replaceRandom(rr, tree, oddValue(rr));
            }
        }));
    }

    /** One to three values replaced by numbers out of a double's range (1e309, -1e400) or NaN/Infinity as text. */
    static List<LogEvent> hugeNumbers(Random r) {
        return List.of(editTree(r, (tree, rr) -> {
            for (int i = 1 + rr.nextInt(3); i > 0; i--) {
                replaceRandom(rr, tree, NODES.numberNode(new BigDecimal((rr.nextBoolean() ? "" : "-") + "1e"
                        + (309 + rr.nextInt(5000)))));
            }
        }));
    }

    /** A value thousands of characters long, or an array of thousands of entries, where a rule reads it. */
    static List<LogEvent> longValues(Random r) {
        if (r.nextBoolean()) {
            return List.of(longRuleValue(r));
        }
        return List.of(editTree(r, (tree, rr) -> {
            JsonNode v;
            if (rr.nextBoolean()) {
                ArrayNode a = NODES.arrayNode();
                for (int i = 1000 + rr.nextInt(4000); i > 0; i--) {
                    a.add(Fuzz.pick(rr, List.of("get", "list", "a", "")));
                }
                a.add("*");
                v = a;
            } else {
                v = NODES.textNode(Fuzz.pick(rr, List.of("a", "\",\"", "ab", "\\\"", " ", "x=")) 
                        .repeat(1000 + rr.nextInt(10_000)));
            }
            replaceRandom(rr, tree, v);
        }));
    }

    /**
     * The values two rules' regexes walk, made long: a Role's verbs list with thousands of entries before "*"
     * (wildcard-role) and an authenticator error="…" thousands of characters long (denied-authentication).
     */
    private static LogEvent longRuleValue(Random r) {
        int n = 1000 + r.nextInt(4000);
        List<RuleTest.Event> pool = Corpus.testEvents().stream()
                .filter(e -> e.message().contains("\"verbs\"") || e.message().contains("error=\""))
                .toList();
        RuleTest.Event e = Fuzz.pick(r, pool);
        String m = e.message();
        if (m.contains("\"verbs\":[")) {
            m = m.replace("\"verbs\":[", "\"verbs\":[" + "\"get\",".repeat(n));
        } else {
            m = m.replace("error=\"", "error=\"" + Fuzz.pick(r, List.of("a", "\\\"", "x ")).repeat(n));
        }
        return event(e, m, e.timestamp().toEpochMilli());
    }

    /** One value replaced by objects or arrays nested 1000 to 5000 deep. */
    static List<LogEvent> deepNesting(Random r) {
        int depth = 1000 + r.nextInt(4000);
        boolean arrays = r.nextBoolean();
        String nested = (arrays ? "[" : "{\"a\":").repeat(depth) + "1" + (arrays ? "]" : "}").repeat(depth);
        RuleTest.Event e = Fuzz.pick(r, Corpus.testEvents());
        String m = e.message();
        int brace = m.indexOf('{');
        String message = brace < 0 ? nested : m.substring(0, brace + 1) + "\"deep\":" + nested + ","
                + m.substring(brace + 1);
        return List.of(event(e, message, e.timestamp().toEpochMilli()));
    }

    /** Rule-test events at extreme timestamps (the epoch's edges, far future and past, the long's limits). */
    static List<LogEvent> extremeTimestamps(Random r) {
        List<LogEvent> out = new ArrayList<>();
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            RuleTest.Event e = Fuzz.pick(r, Corpus.testEvents());
            long ts = Fuzz.pick(r, List.of(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1, -1L, 0L,
                    253_402_300_799_999L, 253_402_300_800_000L, -62_135_596_800_000L,
                    e.timestamp().toEpochMilli() * 1000, e.timestamp().toEpochMilli() * 1_000_000));
            out.add(event(e, e.message(), ts));
        }
        return out;
    }

    static String show(List<LogEvent> events) {
        return events.stream().map(e -> e.timestamp() + " " + e.logStream() + " " + Fuzz.escape(e.message()))
                .collect(Collectors.joining("\n"));
    }

    private interface TreeEdit {
        void apply(ObjectNode tree, Random r);
    }

    /** A JSON rule-test event edited as a tree (a non-JSON one, e.g. an authenticator line, is returned as is). */
    private static LogEvent editTree(Random r, TreeEdit edit) {
        RuleTest.Event e = Fuzz.pick(r, Corpus.testEvents());
        String message = e.message();
        try {
            if (JSON.readTree(message) instanceof ObjectNode tree) {
                edit.apply(tree, r);
                message = JSON.writeValueAsString(tree);
            }
        } catch (JsonProcessingException ignored) {
            // not JSON: kept as it is
        }
        return event(e, message, e.timestamp().toEpochMilli());
    }

    private static LogEvent event(RuleTest.Event e, String message, long ts) {
        return new LogEvent(ts, ts, message, e.logStream(), "/aws/eks/fuzz/cluster", null);
    }

    private static JsonNode oddValue(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(r.nextBoolean());
            case 2 -> NODES.numberNode(new BigInteger("9".repeat(1 + r.nextInt(300))));
            case 3 -> NODES.numberNode(new BigDecimal("1e" + (r.nextInt(600) - 300)));
            case 4 -> NODES.numberNode(Fuzz.pick(r, List.of(Long.MAX_VALUE, Long.MIN_VALUE, -1L, 0L)));
            case 5 -> NODES.numberNode(Fuzz.pick(r, List.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0, 1e-320)));
            case 6 -> NODES.arrayNode().add(Fuzz.pick(r, ODD_STRINGS));
            case 7 -> NODES.objectNode().put("", Fuzz.pick(r, ODD_STRINGS));
            default -> NODES.textNode(Fuzz.pick(r, ODD_STRINGS) + Mutate.randomChars(r, r.nextInt(3)));
        };
    }

    /** Replaces a value found by a random walk down the tree (the walk stops at a leaf or at random). */
    private static void replaceRandom(Random r, ContainerNode<?> node, JsonNode value) {
        while (true) {
            int size = node.size();
            if (size == 0) {
                if (node instanceof ArrayNode a) {
                    a.add(value);
                } else {
                    ((ObjectNode) node).set("x", value);
                }
                return;
            }
            int i = r.nextInt(size);
            JsonNode child;
            String key = null;
            if (node instanceof ObjectNode o) {
                Iterator<Map.Entry<String, JsonNode>> it = o.fields();
                Map.Entry<String, JsonNode> en = it.next();
                for (int k = 0; k < i; k++) {
                    en = it.next();
                }
                key = en.getKey();
                child = en.getValue();
            } else {
                child = node.get(i);
            }
            if (child instanceof ContainerNode<?> c && c.size() > 0 && r.nextInt(4) != 0) {
                node = c;
                continue;
            }
            if (node instanceof ObjectNode o) {
                o.set(key, value);
            } else {
                ((ArrayNode) node).set(i, value);
            }
            return;
        }
    }
}
