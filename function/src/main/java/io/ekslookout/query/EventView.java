package io.ekslookout.query;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * One log event as the queries see it: system fields plus the JSON fields discovered from the message.
 * Discovery is lazy and incremental: the message is parsed by one streaming parser, started on the first access
 * to a JSON field and advanced only as far as the field asked for, and materializes only the names in the
 * {@link FieldTrie} (the union of what the queries of a batch reference).
 * <p>
 * Discovery rules: the message (after leading blanks) must be a JSON object; nested objects flatten to
 * dot-separated paths, array elements to 0-based index segments; only leaves become fields; JSON booleans become
 * 1/0; JSON null leaves are absent; top-level keys starting with {@code @} gain another {@code @}; at most
 * {@link #MAX_FIELDS} leaves (document order) are discovered; when two leaves flatten to the same name the first
 * wins; a malformed or truncated object keeps the leaves before the error. Discovery stops at the first container
 * nested deeper than {@link Json#MAX_DEPTH} levels (the leaves before it are kept, as for a malformed object): a
 * lookup that then finds nothing, or a query keeping the event for its result (its columns are read at the end),
 * sets {@link #missedByDepth}, which the batch counts as an event error ("too deep") for that query: a deep message
 * can hide a field, never silently.
 */
final class EventView {
    /** The service's per-event discovery cap. */
    static final int MAX_FIELDS = 200;

    /** JSON parses performed (all events, all batches): lets tests check laziness and sharing. */
    static final java.util.concurrent.atomic.AtomicLong PARSES = new java.util.concurrent.atomic.AtomicLong();

    /** The sequence number of a view made by a reader thread ({@link QueryBatch.RawCheck}): not known yet. */
    static final long UNKNOWN_SEQ = -1;

    LogEvent event; // reassigned only by {@link #probe}
    final long seq;
    private final FieldTrie wanted;
    private Map<String, Object> json;
    private int leaves;
    private int found;
    /** Discovery stopped at a container nested deeper than {@link Json#MAX_DEPTH}. */
    private boolean tooDeep;
    /** Set when a lookup found nothing after discovery stopped too deep (the batch resets it per query). */
    boolean missedByDepth;

    EventView(LogEvent event, long seq, FieldTrie wanted) {
        this(event, seq, wanted, 0);
    }

    EventView(LogEvent event, long seq, FieldTrie wanted, int prefilterSlots) {
        this.event = event;
        this.seq = seq;
        this.wanted = wanted;
        this.slots = prefilterSlots == 0 ? NO_SLOTS : new byte[prefilterSlots];
        this.raw = null;
    }

    /** An event whose message is not decoded yet: only the batch's prefilter reads it ({@link QueryBatch}). */
    EventView(LogEvent event, long seq, FieldTrie wanted, int prefilterSlots, RawMessage raw) {
        this.event = event;
        this.seq = seq;
        this.wanted = wanted;
        this.slots = prefilterSlots == 0 ? NO_SLOTS : new byte[prefilterSlots];
        this.raw = raw;
    }

    /**
     * Makes this view the view of another undecoded event, as if new: a batch's raw check asks one reused view
     * per reader instead of allocating a view, its slots and its discovery state for each of millions of lines
     * (most of a big read's garbage, and so of its heap growth, before). Only for views the caller never hands on.
     */
    void probe(LogEvent event, RawMessage raw) {
        stop();
        this.event = event;
        this.raw = raw;
        java.util.Arrays.fill(slots, (byte) 0);
        json = null;
        leaves = 0;
        found = 0;
        tooDeep = false;
        missedByDepth = false;
        escaped = null;
        badEscape = false;
    }

    /** The undecoded message (the event's message is then null), or null. */
    private RawMessage raw;

    /** True for an event whose message is not decoded: only the prefilter sees it. */
    boolean undecoded() {
        return raw != null;
    }

    private static final byte[] NO_SLOTS = new byte[0];

    /** Per-event results of the batch's prefilter literals ({@link Prefilter}): 0 unknown, 1 found, -1 absent. */
    final byte[] slots;
    /** The characters the message spells with {@code \\u} escapes (and '/' for {@code \\/}); null: not scanned yet. */
    private String escaped;
    private boolean badEscape;

    /**
     * False only when the raw message certainly holds none of the literals as JSON text: none occurs verbatim and no
     * escape in the message ({@code \\uXXXX}, {@code \\/}) spells a character of one of them. The planner only
     * passes literals free of quotes, backslashes and control characters (which only escapes could spell).
     */
    boolean mayContain(String[] literals) {
        if (raw != null) {
            return raw.mayContain(literals);
        }
        if (event.message() == null) {
            return false;
        }
        if (containsVerbatim(literals)) {
            return true;
        }
        for (String l : literals) {
            if (escapesMaySpell(l)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when an escape in the message ({@code \\uXXXX}, {@code \\/}) spells a character of {@code literal}, or
     * is malformed (it may spell anything). The message is scanned for escapes once per event (cached).
     */
    boolean escapesMaySpell(String literal) {
        if (raw != null) {
            return raw.escapesMaySpell(literal);
        }
        String esc = escaped();
        return badEscape || RawMessage.spellsAny(esc, literal);
    }

    /**
     * False only when no occurrence of {@code k}'s key in the message may hold a value satisfying its comparison
     * ({@link KeyNumber}): the field is then absent or fails it, on the decoded or the undecoded message alike.
     */
    boolean mayHoldNumber(KeyNumber k) {
        if (raw != null) {
            return raw.mayHoldNumber(k);
        }
        String m = event.message();
        if (m == null) {
            return false; // no fields
        }
        String key = k.key;
        for (int at = m.indexOf(key); at >= 0; at = m.indexOf(key, at + 1)) {
            if (k.mayAt(m, at + key.length(), false)) {
                return true;
            }
        }
        return escapesMaySpell(k.segment);
    }

    /** True when the message contains one of the literals verbatim. */
    boolean containsVerbatim(String[] literals) {
        if (raw != null) {
            return raw.containsVerbatim(literals);
        }
        String m = event.message();
        if (m == null) {
            return false;
        }
        for (String l : literals) {
            if (m.contains(l)) {
                return true;
            }
        }
        return false;
    }

    private String escaped() {
        if (escaped == null) {
            String m = event.message();
            StringBuilder sb = new StringBuilder();
            int i = m.indexOf('\\');
            while (i >= 0 && i + 1 < m.length()) {
                char c = m.charAt(i + 1);
                if (c == 'u') {
                    int cp = i + 6 <= m.length() ? hex4(m, i + 2) : -1;
                    if (cp < 0) {
                        badEscape = true; // not a valid escape (Jackson rejects it): assume anything
                    } else {
                        sb.append((char) cp);
                    }
                } else if (c == '/') {
                    sb.append('/');
                }
                i = m.indexOf('\\', i + 2);
            }
            escaped = sb.toString();
        }
        return escaped;
    }

    private static int hex4(String m, int at) {
        int v = 0;
        for (int k = at; k < at + 4; k++) {
            int d = Character.digit(m.charAt(k), 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    /** The pre-check of one guarded predicate (see {@link Expr.Predicate#guard}). */
    boolean mayContainAny(String[] literals) {
        return mayContain(literals);
    }

    /** True once discovery has nothing more to read (lookups are then plain map reads). */
    boolean complete() {
        return json != null && !open();
    }

    /**
     * The discovered value of a JSON field, or null. Parsing is incremental: it starts on the first call and
     * stops as soon as the asked field has been read; a later call for a field not seen yet resumes it.
     */
    Object json(String name) {
        if (json == null) {
            start();
        }
        Object v = json.get(name);
        if (v == null && open()) {
            resume(name);
            v = json.get(name);
        }
        if (v == null && tooDeep) {
            missedByDepth = true;
        }
        return v;
    }

    /** Reads the rest of the message, so the event can be kept (rows waiting for the end of the query). */
    void settle() {
        if (json == null) {
            start();
        }
        if (open()) {
            resume(null);
        }
    }

    /**
     * Settles the event because a query keeps it for its result; its columns are read only at the end, so a deep
     * event counts as missed now ({@link #missedByDepth}) for the query keeping it.
     */
    void keep() {
        settle();
        if (tooDeep) {
            missedByDepth = true;
        }
    }

    /** Drops the parser of an event no query keeps (its buffers go back to Jackson's pool). */
    void close() {
        stop();
    }

    /** One open container on the way down the JSON. */
    private static final class Frame {
        final FieldTrie node; // what is wanted below this container, or null
        final boolean array;
        final boolean top;
        FieldTrie pending;    // object: the wanted child for the value after the last key
        int index;            // array: index of the next element

        Frame(FieldTrie node, boolean array, boolean top) {
            this.node = node;
            this.array = array;
            this.top = top;
        }

        FieldTrie child() {
            if (!array) {
                return pending;
            }
            return node == null ? null : node.children.get(index(index));
        }
    }

    /** Discovery's tokenizer: the fast one, or Jackson once the fast one gave up on this message (null: none). */
    private FastJson fast;
    private JsonParser parser;
    /** Made when discovery starts: most views (events ruled out by the prefilter) never need one. */
    private ArrayDeque<Frame> stack;

    private boolean open() {
        return fast != null || parser != null;
    }

    private void start() {
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
        stack = new ArrayDeque<>();
        if (!jacksonOnly) {
            try {
                fast = new FastJson(m); // from the start: blanks other than JSON's are Jackson's to refuse
                if (fast.next() == JsonToken.START_OBJECT) {
                    stack.push(new Frame(wanted, false, true));
                    return;
                }
            } catch (RuntimeException e) {
                // Jackson decides
            }
        }
        startJackson();
    }

    /** Tests: discovery with Jackson alone (the reference the fast tokenizer must agree with). */
    static boolean jacksonOnly = false;

    /** (Re)starts discovery from the message's start with Jackson, forgetting what was discovered. */
    private void startJackson() {
        fast = null;
        json.clear();
        leaves = 0;
        found = 0;
        tooDeep = false;
        stack = new ArrayDeque<>();
        try {
            parser = Json.FACTORY.createParser(event.message());
            parser.nextToken();
            stack.push(new Frame(wanted, false, true));
        } catch (IOException | RuntimeException e) {
            stop();
        }
    }

    private void stop() {
        fast = null;
        if (parser != null) {
            try {
                parser.close();
            } catch (IOException ignored) {
                // nothing to release for a String source
            }
            parser = null;
        }
        if (stack != null) {
            stack.clear();
        }
    }

    /** Reads on until {@code target} has been materialized, the object ends, the cap is hit or all are found. */
    private void resume(String target) {
        if (fast != null) {
            try {
                read(target);
                return;
            } catch (IOException | RuntimeException e) {
                startJackson(); // anything unusual: Jackson rereads the message and decides
            }
        }
        try {
            read(target);
        } catch (IOException | RuntimeException e) {
            tooDeep |= e instanceof StreamConstraintsException;
            stop(); // malformed or truncated: keep the leaves read so far
        }
    }

    private void read(String target) throws IOException {
        while (open()) {
            JsonToken t = fast != null ? fast.next() : parser.nextToken();
            if (t == null) {
                stop();
                return;
            }
            Frame f = stack.peek();
            switch (t) {
                case FIELD_NAME -> {
                    if (f.node != null) {
                        if (fast != null) {
                            f.pending = f.node.child(fast.source(), fast.nameStart, fast.nameEnd, f.top);
                        } else {
                            String key = parser.currentName();
                            f.pending = f.node.child(f.top && key.startsWith("@") ? "@" + key : key);
                        }
                    }
                }
                case START_OBJECT, START_ARRAY -> {
                    if (stack.size() >= Json.MAX_DEPTH) {
                        tooDeep = true;
                        stop();
                        return;
                    }
                    FieldTrie child = f.child();
                    if (child == null && fast != null) { // nothing wanted inside: skipped in one go
                        int n = fast.skip(Json.MAX_DEPTH - stack.size(), MAX_FIELDS - leaves);
                        if (n < 0) {
                            tooDeep |= n == FastJson.TOO_DEEP;
                            stop();
                            return;
                        }
                        leaves += n;
                        if (f.array) {
                            f.index++;
                        }
                    } else {
                        stack.push(new Frame(child, t == JsonToken.START_ARRAY, false));
                    }
                }
                case END_OBJECT, END_ARRAY -> {
                    stack.pop();
                    Frame parent = stack.peek();
                    if (parent == null) {
                        stop(); // the top-level object is complete
                        return;
                    }
                    if (parent.array) {
                        parent.index++;
                    }
                }
                case VALUE_NULL -> {
                    if (f.array) {
                        f.index++;
                    }
                }
                default -> {
                    String name = leaf(t, f.child());
                    if (f.array) {
                        f.index++;
                    }
                    if (open() && name != null && name.equals(target)) { // null target: to the end
                        return;
                    }
                }
            }
        }
    }

    /** Counts a leaf and stores it when wanted; returns the name stored, or null. */
    private String leaf(JsonToken t, FieldTrie node) throws IOException {
        if (++leaves > MAX_FIELDS) {
            stop();
            return null;
        }
        if (node == null || node.name == null || json.containsKey(node.name)) {
            return null;
        }
        Object v = switch (t) {
            case VALUE_STRING -> fast != null ? fast.text() : parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> fast != null ? fast.numberValue() : Json.number(parser);
            case VALUE_TRUE -> Values.TRUE;
            case VALUE_FALSE -> Values.FALSE;
            default -> null;
        };
        json.put(node.name, v);
        if (++found == wanted.size) {
            stop();
        }
        return node.name;
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
