package io.ekslookout.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incremental, selective discovery (EventView) agrees with a straightforward full flattening of the same JSON
 * (document order, first name wins, JSON null absent, booleans 1/0, 200-leaf cap), whatever fields are wanted and
 * in whatever order they are asked for.
 */
class DiscoveryPropertyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] KEYS = {"a", "b", "user", "name", "0", "a.b", "@x", "code", "items"};

    /** A message and the fields asked of it, in asking order. */
    record Case(String doc, Set<String> wanted, List<String> asks) {
        @Override
        public String toString() {
            return "doc=" + doc + "\nwanted=" + wanted + "\nasks=" + asks;
        }
    }

    static Case generate(Random r) {
        String doc = object(r, 0);
        if (r.nextInt(10) == 0) {
            doc = doc.substring(0, r.nextInt(doc.length())); // truncated message
        }
        Map<String, Object> reference = reference(doc);

        List<String> names = new ArrayList<>(reference.keySet());
        Collections.shuffle(names, r);
        Set<String> wanted = new HashSet<>(names.subList(0, names.isEmpty() ? 0 : r.nextInt(names.size() + 1)));
        wanted.add("absent.field");
        wanted.add(KEYS[r.nextInt(KEYS.length)]);
        List<String> asks = new ArrayList<>(wanted);
        Collections.shuffle(asks, r);
        return new Case(doc, wanted, asks);
    }

    @Test
    void incrementalDiscoveryMatchesFullFlattening() {
        Trials.forAll("discovery", 5000, DiscoveryPropertyTest::generate, c -> {
            Map<String, Object> reference = reference(c.doc());
            EventView view = new EventView(new LogEvent(0, 0, c.doc(), "s", "g", "e"), 0, FieldTrie.of(c.wanted()));
            for (String name : c.asks()) {
                assertThat(view.json(name)).as(name + " in " + c.doc()).isEqualTo(reference.get(name));
            }
            for (String name : c.asks()) {
                assertThat(view.json(name)).as("asked again: " + name).isEqualTo(reference.get(name));
            }
        });
    }

    /** Full flattening of the parsable prefix of {@code doc}, by the documented rules. */
    static Map<String, Object> reference(String doc) {
        Map<String, Object> out = new LinkedHashMap<>();
        int[] leaves = {0};
        try (com.fasterxml.jackson.core.JsonParser p = JSON.getFactory().createParser(doc)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return out;
            }
            walk(p, "", true, out, leaves);
        } catch (Exception | CapReached e) {
            // truncated or cap: keep what was read
        }
        return out;
    }

    private static final class CapReached extends Error {
    }

    private static void walk(com.fasterxml.jackson.core.JsonParser p, String prefix, boolean top,
                             Map<String, Object> out, int[] leaves) throws Exception {
        com.fasterxml.jackson.core.JsonToken t;
        boolean array = p.currentToken() == com.fasterxml.jackson.core.JsonToken.START_ARRAY;
        int index = 0;
        while ((t = p.nextToken()) != null) {
            if (t == com.fasterxml.jackson.core.JsonToken.END_OBJECT || t == com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                return;
            }
            String name;
            if (array) {
                name = prefix + index++;
            } else {
                String key = p.currentName();
                name = prefix + (top && key.startsWith("@") ? "@" + key : key);
                t = p.nextToken();
            }
            switch (t) {
                case START_OBJECT, START_ARRAY -> walk(p, name + ".", false, out, leaves);
                case VALUE_NULL -> {
                }
                default -> {
                    if (++leaves[0] > EventView.MAX_FIELDS) {
                        throw new CapReached();
                    }
                    Object v = switch (t) {
                        case VALUE_TRUE -> 1L;
                        case VALUE_FALSE -> 0L;
                        case VALUE_NUMBER_INT -> p.getLongValue();
                        case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
                        default -> p.getText();
                    };
                    out.putIfAbsent(name, v);
                }
            }
        }
    }

    private static String object(Random r, int depth) {
        StringBuilder sb = new StringBuilder("{");
        int n = r.nextInt(depth == 0 ? 8 : 5);
        Set<String> used = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String key = KEYS[r.nextInt(KEYS.length)];
            if (!used.add(key)) {
                continue;
            }
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(key).append("\":").append(value(r, depth + 1));
        }
        return sb.append('}').toString();
    }

    private static String value(Random r, int depth) {
        int k = r.nextInt(depth > 4 ? 6 : 9);
        return switch (k) {
            case 0 -> "\"s" + r.nextInt(100) + "\"";
            case 1 -> Integer.toString(r.nextInt(1000) - 10);
            case 2 -> "2.5";
            case 3 -> r.nextBoolean() ? "true" : "false";
            case 4 -> "null";
            case 5 -> "\"esc\\\"aped\\u00e9\"";
            case 6 -> {
                StringBuilder sb = new StringBuilder("[");
                int n = r.nextInt(r.nextInt(20) == 0 ? 120 : 4);
                for (int i = 0; i < n; i++) {
                    sb.append(i > 0 ? "," : "").append(value(r, depth + 1));
                }
                yield sb.append(']').toString();
            }
            default -> object(r, depth);
        };
    }
}
