package io.ekslookout.query;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One log event as the queries see it: system fields plus the JSON fields discovered from the message.
 * Discovery is lazy (the message is parsed on the first access to a JSON field) and happens at most once, and
 * materializes only the names in the {@link FieldTrie} (the union of what the queries of a batch reference).
 * <p>
 * Discovery rules: the message (after leading blanks) must be a JSON object; nested objects flatten to
 * dot-separated paths, array elements to 0-based index segments; only leaves become fields; JSON booleans become
 * 1/0; JSON null leaves are absent; top-level keys starting with {@code @} gain another {@code @}; at most
 * {@link #MAX_FIELDS} leaves (document order) are discovered; when two leaves flatten to the same name the first
 * wins; a malformed or truncated object keeps the leaves before the error.
 */
final class EventView {
    /** The service's per-event discovery cap. */
    static final int MAX_FIELDS = 200;

    /** JSON parses performed (all events, all batches): lets tests check laziness and sharing. */
    static final java.util.concurrent.atomic.AtomicLong PARSES = new java.util.concurrent.atomic.AtomicLong();

    final LogEvent event;
    final long seq;
    private final FieldTrie wanted;
    private Map<String, Object> json;
    private int leaves;
    private int found;

    EventView(LogEvent event, long seq, FieldTrie wanted) {
        this.event = event;
        this.seq = seq;
        this.wanted = wanted;
    }

    boolean parsed() {
        return json != null;
    }

    /**
     * False only when the raw message certainly holds none of the literals as a JSON string: none occurs
     * verbatim and the message has no escape that could spell one ({@code \\u....}, or {@code \\/} for a
     * literal with a slash). The planner only passes literals free of quotes, backslashes and control characters.
     */
    boolean mayContainAny(String[] literals) {
        String m = event.message();
        if (m == null) {
            return false;
        }
        boolean slash = false;
        for (String l : literals) {
            if (m.contains(l)) {
                return true;
            }
            slash |= l.indexOf('/') >= 0;
        }
        return m.contains("\\u") || slash && m.contains("\\/");
    }

    Object json(String name) {
        if (json == null) {
            discover();
        }
        return json.get(name);
    }

    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    private static final Stop STOP = new Stop();

    private void discover() {
        json = new HashMap<>(8);
        String m = event.message();
        if (m == null || wanted.size == 0) {
            return;
        }
        int i = 0;
        while (i < m.length() && Character.isWhitespace(m.charAt(i))) {
            i++;
        }
        if (i >= m.length() || m.charAt(i) != '{') {
            return;
        }
        PARSES.incrementAndGet();
        try (JsonParser p = Json.FACTORY.createParser(m)) {
            p.nextToken();
            walkObject(p, wanted, true);
        } catch (IOException | RuntimeException e) {
            // Stop: everything wanted was found or the cap was reached; errors keep the leaves read so far.
        }
    }

    private void walkObject(JsonParser p, FieldTrie node, boolean top) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            FieldTrie child = null;
            if (node != null) {
                String key = p.currentName();
                child = node.child(top && key.startsWith("@") ? "@" + key : key);
            }
            walk(p, p.nextToken(), child);
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IOException("unexpected " + t);
        }
    }

    private void walk(JsonParser p, JsonToken t, FieldTrie node) throws IOException {
        if (t == null) {
            throw new IOException("truncated");
        }
        switch (t) {
            case START_OBJECT -> walkObject(p, node, false);
            case START_ARRAY -> {
                int index = 0;
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    walk(p, e, node == null ? null : node.children.get(index(index)));
                    index++;
                }
            }
            case VALUE_NULL -> {
            }
            default -> leaf(p, t, node);
        }
    }

    private void leaf(JsonParser p, JsonToken t, FieldTrie node) throws IOException {
        if (++leaves > MAX_FIELDS) {
            throw STOP;
        }
        if (node == null || node.name == null || json.containsKey(node.name)) {
            return;
        }
        Object v = switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> Json.number(p);
            case VALUE_TRUE -> Values.TRUE;
            case VALUE_FALSE -> Values.FALSE;
            default -> null;
        };
        json.put(node.name, v);
        if (++found == wanted.size) {
            throw STOP;
        }
    }

    private static final String[] INDEX = new String[64];

    static {
        for (int i = 0; i < INDEX.length; i++) {
            INDEX[i] = Integer.toString(i);
        }
    }

    private static String index(int i) {
        return i < INDEX.length ? INDEX[i] : Integer.toString(i);
    }
}
