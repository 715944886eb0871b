package io.ekslookout.query;

/**
 * A message not decoded yet: the body of the JSON string holding it in a log line (between its quotes, escapes
 * as written), ASCII only, already checked to be a well-formed JSON string by the reader. A batch's prefilter
 * ({@link Prefilter}) can rule an event out on it, so the reader builds the message String only for the events some
 * query may keep ({@link QueryBatch#skipsUnread}). Mutable and reused by one reader, line after line.
 * <p>
 * Its answers are conservative: "may contain" whenever the decoded message could hold a literal. Outside escapes,
 * the raw bytes are the message's characters; the escapes {@code \"}, {@code \\}, {@code \n} and the other
 * one-letter ones spell characters no literal checked here contains (quotes, backslashes, controls), so a
 * literal in the message is in the raw bytes verbatim, unless the raw text spells characters with {@code \/} or
 * {@code \}{@code u} escapes: then every check answers "may contain".
 */
public final class RawMessage {
    private byte[] buf;
    private int from;
    private int to;
    private int length;
    private boolean charEscapes;
    private boolean innerEscapes = true;
    /** The text holds UTF-8 beyond ASCII: a literal with such a character may then be in it. */
    private boolean nonAscii;

    /**
     * @param length      the decoded message's length in characters
     * @param charEscapes the raw text holds a {@code \/} or {@code \}{@code u} escape
     */
    public void set(byte[] buf, int from, int to, int length, boolean charEscapes) {
        set(buf, from, to, length, charEscapes, true);
    }

    /**
     * @param innerEscapes false only when the raw text holds no escaped backslash followed by {@code u} or
     *                     {@code /}: then the message has no escape of its own ({@code \}{@code u....},
     *                     {@code \/}) that could spell a character, and {@link #escaped} needs no search (the
     *                     reader saw every escape as it checked the line)
     */
    public void set(byte[] buf, int from, int to, int length, boolean charEscapes, boolean innerEscapes) {
        set(buf, from, to, length, charEscapes, innerEscapes, false);
    }

    /**
     * @param nonAscii the raw text holds well-formed UTF-8 beyond ASCII (its bytes as they are, not escaped): a
     *                 literal with a character beyond ASCII is then never ruled out; every other literal is looked
     *                 for in the bytes as before (no byte of a multi-byte character is ASCII)
     */
    public void set(byte[] buf, int from, int to, int length, boolean charEscapes, boolean innerEscapes,
                    boolean nonAscii) {
        this.nonAscii = nonAscii;
        this.innerEscapes = innerEscapes;
        this.lines++;
        this.buf = buf;
        this.from = from;
        this.to = to;
        this.length = length;
        this.charEscapes = charEscapes;
        this.escaped = null;
        this.badEscape = false;
        this.covered = -1;
    }

    /** The characters escapes inside the message may spell (over-approximated); null: not scanned yet. */
    private String escaped;
    /** An escape inside the message is malformed: it may spell anything. */
    private boolean badEscape;

    /** The decoded message's length in characters. */
    public int length() {
        return length;
    }

    /** False only when the decoded message certainly contains none of the literals verbatim. */
    boolean containsVerbatim(String[] literals) {
        if (charEscapes) {
            return true;
        }
        for (String l : literals) {
            Literal x = forms.computeIfAbsent(l, registrar);
            if (x.form == NEVER ? nonAscii && x.beyondAscii : occurs(x)) {
                return true;
            }
        }
        return false;
    }

    /** Each literal as the raw text spells it ({@link #rawForm}); one reader sees the same few literals. */
    private final java.util.Map<String, Literal> forms = new java.util.HashMap<>();
    /** {@link #register} as one object: a method reference written at each call would be a new one per line. */
    private final java.util.function.Function<String, Literal> registrar = this::register;
    static final byte[] NEVER = new byte[0];

    /**
     * A literal this reader was asked about: its raw form and, for one of at least two bytes, its number in the
     * one-pass search ({@link #pass}), else -1.
     */
    private static final class Literal {
        final byte[] form;
        final int id;
        /** The literal has a character beyond ASCII (its form is then {@link #NEVER}). */
        final boolean beyondAscii;
        /** Where in the form the two bytes the one-pass search looks up start ({@link #anchor}). */
        final int anchor;
        /** The next literal anchored on the same two bytes, or -1. */
        int next = -1;

        Literal(byte[] form, int id, boolean beyondAscii) {
            this.form = form;
            this.id = id;
            this.beyondAscii = beyondAscii;
            this.anchor = id < 0 ? 0 : anchor(form);
        }
    }

    /**
     * The first two bytes of the literal that are not JSON punctuation, else its first two: in an audit message an
     * escaped quote ({@code \"}) starts every key and value, so a literal {@code "privileged":} (raw
     * {@code \"privileged\":}) looked up by its first two bytes would be compared at every one of them.
     */
    static int anchor(byte[] form) {
        for (int k = 0; k + 1 < form.length; k++) {
            if (!punctuation(form[k]) && !punctuation(form[k + 1])) {
                return k;
            }
        }
        return 0;
    }

    private static boolean punctuation(byte c) {
        return c == '\\' || c == '"' || c == ':' || c == ',' || c == ' ' || c == '{' || c == '}' || c == '['
                || c == ']';
    }

    /**
     * From this many literals on, a line is searched for all of them in one pass ({@link #pass}) instead of one
     * {@link #indexOf} pass each: a batch of rules asks each audit event for a dozen or two literals (resources,
     * verbs, stages), most of them absent, so each would cost a whole pass; with fewer, the early exit of
     * {@code indexOf} on a literal found near the start (a stage, a key) is cheaper.
     */
    static final int ONE_PASS_FROM = 6;
    /**
     * ... and only while this reader is asked, on average, at least this many times per line: a single query's
     * {@code and} stops at its first absent literal (one ask per line, one early-exit search), a batch of rules asks
     * a dozen or two. Counted over the reader's life, so it follows what the batch really asks.
     */
    static final int ONE_PASS_ASKS = 3;
    /** Lines this reader was set to, and literal look-ups asked of them ({@link #occurs}). */
    private long lines;
    private long asks;

    private Literal[] byId = new Literal[16];
    private int count;
    /** For each pair of first bytes (7 bits each): the first literal starting with it, or -1. */
    private final int[] heads = newHeads();
    /** The same as bits: some literal starts with this pair (a test that stays in the L1 cache). */
    private final long[] starts = new long[128 * 128 / 64];
    /** The literals [0, covered) were looked for by this line's pass; -1: no pass for this line yet. */
    private int covered = -1;
    /** Which of them the pass found. */
    private long[] found = new long[1];

    private static int[] newHeads() {
        int[] h = new int[128 * 128];
        java.util.Arrays.fill(h, -1);
        return h;
    }

    private Literal register(String l) {
        byte[] form = rawForm(l);
        if (form == NEVER || form.length < 2) {
            return new Literal(form, -1, l.chars().anyMatch(c -> c > 0x7f));
        }
        Literal x = new Literal(form, count, false);
        if (count == byId.length) {
            byId = java.util.Arrays.copyOf(byId, count * 2);
        }
        byId[count++] = x;
        if ((count + 63) >>> 6 > found.length) {
            found = java.util.Arrays.copyOf(found, found.length * 2);
        }
        int pair = pair(form[x.anchor], form[x.anchor + 1]);
        x.next = heads[pair];
        heads[pair] = x.id;
        starts[pair >>> 6] |= 1L << pair;
        return x;
    }

    private static int pair(byte a, byte b) {
        return (a & 0x7f) << 7 | (b & 0x7f);
    }

    /** True when the raw text holds the literal's raw form. */
    private boolean occurs(Literal x) {
        asks++;
        if (x.id >= 0 && count >= ONE_PASS_FROM && (covered >= 0 || asks >= ONE_PASS_ASKS * lines)) {
            if (covered < 0) {
                pass();
            }
            if (x.id < covered) {
                return (found[x.id >>> 6] & 1L << x.id) != 0;
            }
        }
        return indexOf(x.form) >= 0; // short, registered after this line's pass, or few literals
    }

    /**
     * Finds every registered literal in the line in one pass: at each position, a bit test on the next two bytes
     * (a 2 KB table) and, only where some literal has them at its {@link #anchor}, a byte comparison with those
     * literals. A byte's high bit is dropped (the text is ASCII): that can only add candidates, which the comparison
     * rejects.
     */
    private void pass() {
        int words = (count + 63) >>> 6;
        java.util.Arrays.fill(found, 0, words, 0L);
        byte[] b = buf;
        long[] st = starts;
        for (int i = from; i < to - 1; i++) {
            int pair = pair(b[i], b[i + 1]);
            if ((st[pair >>> 6] & 1L << pair) == 0) {
                continue;
            }
            for (int id = heads[pair]; id >= 0; id = byId[id].next) {
                Literal x = byId[id];
                byte[] f = x.form;
                int at = i - x.anchor;
                if ((found[id >>> 6] & 1L << id) == 0 && at >= from && at + f.length <= to && matches(b, at, f)) {
                    found[id >>> 6] |= 1L << id;
                }
            }
        }
        covered = count;
    }

    /**
     * How a literal must appear in the raw text when it is in the message and the raw text has no {@code \/} or
     * {@code \}{@code u} escape: each character has one spelling then (a quote {@code \"}, a backslash
     * {@code \\}, a line feed {@code \n}, ...). {@link #NEVER} for a literal the message cannot hold (a character
     * outside ASCII, or a control character only a {@code \}{@code u} escape spells).
     */
    static byte[] rawForm(String l) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(l.length() + 8);
        for (int i = 0; i < l.length(); i++) {
            char c = l.charAt(i);
            String e = switch (c) {
                case '"' -> "\\\"";
                case '\\' -> "\\\\";
                case '\n' -> "\\n";
                case '\t' -> "\\t";
                case '\r' -> "\\r";
                case '\b' -> "\\b";
                case '\f' -> "\\f";
                default -> null;
            };
            if (e != null) {
                out.writeBytes(e.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } else if (c < 0x20 || c > 0x7f) {
                return NEVER;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    /**
     * False only when {@link EventView#mayContain} would be false on the decoded message: no literal verbatim, and
     * no escape inside the message (written {@code \\u....} or {@code \\/} in the raw text) spelling one of their
     * characters. Every backslash of the message is checked as if it began an escape (more "may" than needed,
     * never less).
     */
    boolean mayContain(String[] literals) {
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
     * True when an escape inside the message ({@code \\u....} or {@code \\/} in the raw text) may spell one of
     * the characters of {@code literal}, or is malformed. Scans the message once per line (cached).
     */
    boolean escapesMaySpell(String literal) {
        if (charEscapes) {
            return true; // the line's own escapes may spell anything (and break the pairing escaped() relies on)
        }
        String esc = escaped();
        return badEscape || spellsAny(esc, literal);
    }

    /** True when one of the characters escapes spell ({@code escaped}) is in {@code literal}. */
    static boolean spellsAny(String escaped, String literal) {
        for (int i = 0; i < escaped.length(); i++) {
            if (literal.indexOf(escaped.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * False only when no occurrence of the key {@code k} names in the message may hold a value satisfying its
     * comparison ({@link KeyNumber}); the line's own {@code \/} or {@code \}{@code u} escapes make it true.
     */
    boolean mayHoldNumber(KeyNumber k) {
        if (charEscapes || (nonAscii && k.rawKey == NEVER)) {
            return true;
        }
        byte[] key = k.rawKey;
        if (key != NEVER) {
            for (int at = indexOf(key, from); at >= 0; at = indexOf(key, at + 1)) {
                if (k.mayAt(text, at + key.length - from, true)) {
                    return true;
                }
            }
        }
        return escapesMaySpell(k.segment); // only when no occurrence may: one scan of the message
    }

    /** The raw text [from, to) as characters (ASCII), for {@link KeyNumber#mayAt}; follows {@link #set}. */
    private final CharSequence text = new CharSequence() {
        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int index) {
            return (char) (buf[from + index] & 0xff);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new String(buf, from + start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return subSequence(0, length()).toString();
        }
    };

    /** A {@code \}{@code u} escape inside the message, as the raw text spells it (its backslash doubled). */
    private static final byte[] U_ESCAPE = {'\\', '\\', 'u'};

    /**
     * The characters the message's escapes spell: every {@code \\u....} and {@code \\/} of the raw text, looked
     * for as literals (in the one-pass search when it runs, so usually at no extra pass; they are rare), not by a
     * loop over every byte: audit messages are full of {@code \"}. Without the line's own {@code \}{@code u} and
     * {@code \/} escapes (the only case asked), such a match starts at a backslash of the message; a message
     * backslash that is itself escaped ({@code \\\\u}) is counted too: more characters than needed, never less.
     */
    private String escaped() {
        if (escaped != null) {
            return escaped;
        }
        if (!innerEscapes) {
            escaped = "";
            return escaped;
        }
        StringBuilder sb = null; // made only when there is an escape: most lines have none
        int first = occurs(forms.computeIfAbsent("\\u", registrar)) ? indexOf(U_ESCAPE, from) : -1;
        for (int at = first; at >= 0; at = indexOf(U_ESCAPE, at + 1)) {
            int cp = hex4(at + 3);
            if (cp < 0) {
                badEscape = true;
            } else {
                sb = sb == null ? new StringBuilder() : sb;
                sb.append((char) cp);
            }
        }
        if (occurs(forms.computeIfAbsent("\\/", registrar))) { // one of the one-pass literals (usually absent)
            sb = sb == null ? new StringBuilder() : sb;
            sb.append('/');
        }
        escaped = sb == null ? "" : sb.toString();
        return escaped;
    }

    private int hex4(int at) {
        if (at + 4 > to) {
            return -1;
        }
        int v = 0;
        for (int k = at; k < at + 4; k++) {
            int d = Character.digit((char) buf[k], 16);
            if (d < 0) {
                return -1;
            }
            v = v << 4 | d;
        }
        return v;
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * Where the literal starts in the raw text, or -1. Eight start positions at a time: a candidate needs the
     * literal's first byte at it and its last byte at the matching place (SWAR zero-byte tests on two words), so a
     * common first letter costs little; candidates are then compared byte by byte.
     */
    private int indexOf(byte[] l) {
        return indexOf(l, from);
    }

    /** Where the literal starts in the raw text at or after {@code start}, or -1. */
    private int indexOf(byte[] l, int start) {
        int n = l.length;
        if (n == 0) {
            return start;
        }
        byte[] b = buf;
        byte first = l[0];
        long pf = ONES * (first & 0xff);
        long pl = ONES * (l[n - 1] & 0xff);
        int lastStart = to - n;
        int i = start;
        for (; i <= to - n - 7; i += 8) { // the words at i and at i + n - 1 are inside the text
            long x = (long) LONGS.get(b, i) ^ pf;
            long y = (long) LONGS.get(b, i + n - 1) ^ pl;
            long m = ((x - ONES) & ~x) & ((y - ONES) & ~y) & HIGHS; // may flag extra bytes, never misses one
            while (m != 0) {
                int at = i + (Long.numberOfTrailingZeros(m) >>> 3);
                if (matches(b, at, l)) {
                    return at;
                }
                m &= m - 1;
            }
        }
        for (; i <= lastStart; i++) {
            if (b[i] == first && matches(b, i, l)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean matches(byte[] b, int at, byte[] l) {
        for (int k = 0; k < l.length; k++) {
            if (b[at + k] != l[k]) {
                return false;
            }
        }
        return true;
    }
}
