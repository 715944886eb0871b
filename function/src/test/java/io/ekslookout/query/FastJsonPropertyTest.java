package io.ekslookout.query;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test of discovery's fast tokenizer ({@link FastJson}) against Jackson, the reference: random messages
 * (valid, with every number form, escape and literal, deep nesting, dotted and {@code @} keys, more than 200 leaves)
 * and the same messages mutated at random characters (invalid JSON of every kind) give the same value for every
 * field, asked in random order, and the same "too deep" verdict, with the fast path on and with Jackson alone.
 */
class FastJsonPropertyTest {
    private static final String[] KEYS = {"a", "b", "user", "name", "0", "a.b", "@x", "code", "é"};
    private static final String[] SCALARS = {"1", "-0", "0", "12", "-7", "1.5", "-0.0", "1e5", "2E-3", "1.5e+2",
            "123456789012345678", "1234567890123456789", "99999999999999999999", "007", "1.", ".5", "-", "01",
            "true", "false", "null", "tru", "nul", "\"x\"", "\"\"", "\"a\\\"b\"", "\"\\u00e9t\\u00E9\"",
            "\"\\ud83d\\ude00\"", "\"tab\\tnl\\n\"", "\"s\\/l\"", "\"bad\\q\"", "\"\\u12\"", "\"é ünï\"", "\"\u0001\""};
    private static final String MUTATIONS = "{}[]\",:\\ \t\n0123456789.-+eEtfnu\u0000\u001f/#'a";

    @AfterEach
    void reset() {
        EventView.jacksonOnly = false;
    }

    record Case(String doc, List<String> asks) {
        @Override
        public String toString() {
            return "doc=" + doc + "\nasks=" + asks;
        }
    }

    static Case generate(Random r) {
        StringBuilder sb = new StringBuilder();
        Set<String> names = new LinkedHashSet<>();
        object(r, sb, "", 0, r.nextInt(10) == 0 ? 95 + r.nextInt(12) : 6, names); // deep: around the limit
        String doc = sb.toString();
        int mutations = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(3);
        for (int i = 0; i < mutations && !doc.isEmpty(); i++) {
            int at = r.nextInt(doc.length());
            char c = MUTATIONS.charAt(r.nextInt(MUTATIONS.length()));
            doc = switch (r.nextInt(3)) {
                case 0 -> doc.substring(0, at) + c + doc.substring(at + 1);
                case 1 -> doc.substring(0, at) + c + doc.substring(at);
                default -> doc.substring(0, at) + doc.substring(at + 1);
            };
        }
        if (r.nextInt(8) == 0) {
            doc = doc.substring(0, r.nextInt(doc.length() + 1));
        }
        if (r.nextInt(6) == 0) {
            doc = " \t" + doc;
        }
        List<String> asks = new ArrayList<>(names);
        asks.add("absent");
        asks.add("@@x");
        asks.add("a.b.c");
        Collections.shuffle(asks, r);
        return new Case(doc, asks.subList(0, 1 + r.nextInt(Math.min(6, asks.size())))); // few: most is skipped
    }

    private static void object(Random r, StringBuilder sb, String path, int depth, int maxDepth, Set<String> names) {
        sb.append('{');
        int n = depth >= maxDepth ? 0 : r.nextInt(depth < 2 ? 8 : 4);
        if (maxDepth > 50) {
            n = depth < maxDepth ? 1 : 0; // one chain past the depth limit
        }
        if (depth <= 1 && maxDepth < 50 && r.nextInt(10) == 0) {
            n = 210; // past the 200-leaf cap, at the top or inside an object
        }
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(r.nextInt(5) == 0 ? " , " : ",");
            }
            String key = n > 20 ? "k" + i : r.nextInt(40) == 0 ? "k\\u0065y" : KEYS[r.nextInt(KEYS.length)];
            sb.append('"').append(key).append('"').append(r.nextInt(5) == 0 ? " : " : ":");
            String plain = key.replace("\\u0065", "e");
            String name = path.isEmpty() ? (plain.startsWith("@") ? "@" + plain : plain) : path + "." + plain;
            value(r, sb, name, depth + 1, maxDepth, names, n > 20);
        }
        sb.append('}');
    }

    private static void value(Random r, StringBuilder sb, String name, int depth, int maxDepth, Set<String> names,
                              boolean flat) {
        int kind = flat || depth >= maxDepth ? 0 : maxDepth > 50 ? 1 + r.nextInt(2) : r.nextInt(4);
        if (kind == 1) {
            object(r, sb, name, depth, maxDepth, names);
        } else if (kind == 2) {
            sb.append('[');
            int n = maxDepth > 50 ? 1 : r.nextInt(4);
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                value(r, sb, name + "." + i, depth + 1, maxDepth, names, false);
            }
            sb.append(']');
        } else {
            names.add(name);
            sb.append(SCALARS[r.nextInt(SCALARS.length)]);
        }
    }

    private static List<Object> discover(Case c, boolean jacksonOnly) {
        EventView.jacksonOnly = jacksonOnly;
        try {
            EventView v = new EventView(new LogEvent(0, 0, c.doc(), "s", "g", "e"), 0,
                    FieldTrie.of(new LinkedHashSet<>(c.asks())));
            List<Object> out = new ArrayList<>();
            for (String name : c.asks()) {
                v.missedByDepth = false;
                out.add(name + "=" + render(v.json(name)) + (v.missedByDepth ? " (too deep)" : ""));
            }
            v.missedByDepth = false;
            v.keep();
            out.add("kept too deep: " + v.missedByDepth);
            return out;
        } finally {
            EventView.jacksonOnly = false;
        }
    }

    private static String render(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName() + ":" + v;
    }

    @Test
    void fastTokenizerAgreesWithJackson() {
        Trials.forAll("fast-json", 20_000, FastJsonPropertyTest::generate, c ->
                assertThat(discover(c, false)).as(c.doc()).isEqualTo(discover(c, true)));
    }
}
