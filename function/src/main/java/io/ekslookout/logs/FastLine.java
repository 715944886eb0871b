package io.ekslookout.logs;

/**
 * A hand parser for the common shape of a JSON Lines record: one flat object whose values are ASCII strings with
 * simple escapes or integers, e.g. {@code {"logStreamName":"..","timestamp":1,"message":"..","ingestionTime":2,
 * "eventId":".."}}; the message (and values nobody reads) may also hold well-formed UTF-8 beyond ASCII. It reads the
 * line's bytes once (finding the end of the line as it goes) and builds the message straight from the bytes (a
 * Latin-1 String when they are ASCII). Anything else — nested values, other non-ASCII text, \\u escapes beyond
 * ASCII, floats, literals, invalid JSON, an audit event — makes it give up ({@link #FALLBACK}) so the Jackson path
 * reads the line and reports exactly what is wrong. Not thread-safe; one per reader.
 */
final class FastLine {
    static final int OK = 0;
    static final int BLANK = 1;
    static final int FALLBACK = -1;
    static final int NEED_MORE = -2;

    /** Index of the '\n' ending the line (or the end of the data at end of input), set when OK or BLANK. */
    int lineEnd;

    /**
     * When set, the message is not decoded: {@link #parse} checks it and records where it is ({@link #message}),
     * {@link EventFields#message} is an empty placeholder, and {@link #decodeMessage()} builds it on demand.
     */
    boolean deferMessage;
    /** The raw message of the last line parsed with {@link #deferMessage}. */
    final io.ekslookout.query.RawMessage message = new io.ekslookout.query.RawMessage();
    private int msgStart;
    private int msgEnd;
    private int msgLen;
    private boolean msgCharEscapes;
    private boolean msgInnerEscapes;
    /** The deferred message holds UTF-8 text beyond ASCII ({@link #skipString} checked every sequence). */
    private boolean msgNonAscii;
    /**
     * The current string holds an escaped backslash followed by {@code u} or {@code /} ({@code \\u},
     * {@code \\/}): in a message, the start of an escape of the message's own JSON.
     */
    private boolean innerEscape;
    /** Where the event id's string starts (after its quote) when {@link #deferMessage}: built by {@link #eventId()}. */
    private int idStart = -1;
    /** A {@code \/} or {@code \}{@code u} escape was read in the current string. */
    private boolean charEscape;
    /** The current string holds a well-formed UTF-8 sequence beyond ASCII (read with {@code utf8} allowed). */
    private boolean nonAscii;

    private byte[] scratch = new byte[1 << 16];
    private final String[] recentStreams = new String[8];
    /** The bytes of {@link #recentStreams}, compared without {@code String.charAt}. */
    private final byte[][] recentStreamBytes = new byte[8][];
    /** Whether each of them is written the same raw as decoded ({@link #plain}): then compared in the line. */
    private final boolean[] recentPlain = new boolean[8];
    private int nextStream;

    private static final byte[] K_STREAM = ascii("logStreamName");
    private static final byte[] K_TIMESTAMP = ascii("timestamp");
    private static final byte[] K_MESSAGE = ascii("message");
    private static final byte[] K_INGESTION = ascii("ingestionTime");
    private static final byte[] K_EVENT_ID = ascii("eventId");

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    // parse state
    private byte[] b;
    private int end;
    private boolean eof;
    private int pos;
    private int strStart;
    private int strEnd;
    private int strLen;

    /** Gives up this line: more input needed, or the Jackson path must read it. */
    private static final class GiveUp extends RuntimeException {
        final int code;

        GiveUp(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    private static final GiveUp NEED = new GiveUp(NEED_MORE);
    private static final GiveUp FALL = new GiveUp(FALLBACK);

    /**
     * Parses the line starting at {@code start} into {@code f}; returns OK, BLANK, FALLBACK or NEED_MORE.
     * Reads only {@code buf[start, dataEnd)}; {@code start <= dataEnd <= buf.length}.
     */
    int parse(byte[] buf, int start, int dataEnd, boolean atEof, EventFields f) {
        if (start > dataEnd || dataEnd > buf.length) {
            throw new IllegalArgumentException("line start " + start + " past data end " + dataEnd);
        }
        this.b = buf;
        this.end = dataEnd;
        this.eof = atEof;
        this.pos = start;
        try {
            skipSpace();
            if (pos == end) {
                if (!eof) {
                    return NEED_MORE;
                }
                lineEnd = end;
                return BLANK;
            }
            if (b[pos] == '\n') {
                lineEnd = pos;
                return BLANK;
            }
            if (b[pos] != '{') {
                return FALLBACK;
            }
            pos++;
            f.reset();
            idStart = -1;
            skipSpace();
            if (peek() == '}') {
                return FALLBACK;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    return FALLBACK;
                }
                pos++;
                int keyStart = pos;
                int keyEnd = scanKey();
                skipSpace();
                if (peek() != ':') {
                    return FALLBACK;
                }
                pos++;
                skipSpace();
                byte c = peek();
                int key = keyOf(keyStart, keyEnd);
                if (c == '"') {
                    pos++;
                    boolean isMessage = key == MESSAGE;
                    boolean isId = key == EVENT_ID;
                    if (key == STREAM) {
                        String known = recentStream();
                        if (known != null) {
                            f.logStream = known;
                        } else {
                            scanString(true, false);
                            f.logStream = streamName();
                        }
                    } else {
                        int bodyStart = pos;
                        // UTF-8 beyond ASCII in the message (decoded as UTF-8, now or by decodeMessage) and in values
                        // nobody reads; not in an id, built as a Latin-1 String
                        scanString((isMessage || isId) && !deferMessage, !isId);
                        if (isMessage && deferMessage) {
                            f.message = "";
                            msgStart = strStart;
                            msgEnd = strEnd;
                            msgLen = strLen;
                            msgCharEscapes = charEscape;
                            msgInnerEscapes = innerEscape;
                            msgNonAscii = nonAscii;
                        } else if (isMessage) {
                            f.message = nonAscii ? utf8Value() : stringValue();
                        } else if (isId && deferMessage) {
                            idStart = bodyStart; // checked now, built only for an event someone reads
                        } else if (isId) {
                            f.eventId = stringValue();
                        } else if (key == TIMESTAMP || key == INGESTION) {
                            return FALLBACK; // a string timestamp: rare, let Jackson and EventFields handle it
                        }
                    }
                } else if (c == '-' || (c >= '0' && c <= '9')) {
                    long v = number();
                    if (key == TIMESTAMP) {
                        f.timestamp = epochMillis(v);
                        f.hasTimestamp = true;
                    } else if (key == INGESTION) {
                        f.ingestionTime = epochMillis(v);
                        f.hasIngestionTime = true;
                    } else if (key != OTHER) {
                        return FALLBACK;
                    }
                } else {
                    return FALLBACK;
                }
                skipSpace();
                c = peek();
                pos++;
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    return FALLBACK;
                }
            }
            skipSpace();
            if (pos == end) {
                if (!eof) {
                    return NEED_MORE;
                }
                lineEnd = end;
            } else if (b[pos] == '\n') {
                lineEnd = pos;
            } else {
                return FALLBACK;
            }
            if (!f.isCloudWatchEvent()) {
                return FALLBACK;
            }
            if (deferMessage) {
                message.set(b, msgStart, msgEnd, msgLen, msgCharEscapes, msgInnerEscapes, msgNonAscii);
            }
            return OK;
        } catch (GiveUp g) {
            return g == NEED && eof ? FALLBACK : g.code;
        }
    }

    /**
     * The message of the line last parsed OK with {@link #deferMessage}, decoded; the buffer must be unchanged
     * since.
     */
    String decodeMessage() {
        pos = msgStart;
        // checked as it was parsed: its escapes are ASCII, its other bytes (if any) well-formed UTF-8
        scanString(true, msgNonAscii);
        return msgNonAscii ? utf8Value() : stringValue();
    }

    /**
     * The event id of the line last parsed OK with {@link #deferMessage} (null when it has none), built now: most
     * events are ruled out unread, and nothing reads their id. The buffer must be unchanged since.
     */
    String eventId() {
        if (idStart < 0) {
            return null;
        }
        pos = idStart;
        scanString(true, false);
        return stringValue();
    }

    /**
     * Whether the message of the line last parsed with {@link #deferMessage} holds a {@code \/} or {@code \}{@code u}
     * escape.
     */
    boolean messageCharEscapes() {
        return msgCharEscapes;
    }

    /** Whether that message holds an escaped backslash before {@code u} or {@code /} (an escape of its own JSON). */
    boolean messageInnerEscapes() {
        return msgInnerEscapes;
    }

    private byte peek() {
        if (pos >= end) {
            throw NEED;
        }
        return b[pos];
    }

    private void skipSpace() {
        while (pos < end) {
            byte c = b[pos];
            if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
            } else {
                return;
            }
        }
    }

    private int scanKey() {
        while (true) {
            if (pos >= end) {
                throw NEED;
            }
            byte c = b[pos];
            if (c == '"') {
                return pos++;
            }
            if (c == '\\' || c < 0x20) { // negative bytes (non-ASCII) included
                throw FALL;
            }
            pos++;
        }
    }

    private static final int OTHER = 0;
    private static final int STREAM = 1;
    private static final int TIMESTAMP = 2;
    private static final int MESSAGE = 3;
    private static final int INGESTION = 4;
    private static final int EVENT_ID = 5;

    /** Which of the record's keys the key bytes [from, to) spell (one comparison, picked by length), or OTHER. */
    private int keyOf(int from, int to) {
        switch (to - from) {
            case 13:
                return b[from] == 'l' ? (is(K_STREAM, from, to) ? STREAM : OTHER)
                        : is(K_INGESTION, from, to) ? INGESTION : OTHER;
            case 9:
                return is(K_TIMESTAMP, from, to) ? TIMESTAMP : OTHER;
            case 7:
                return b[from] == 'm' ? (is(K_MESSAGE, from, to) ? MESSAGE : OTHER)
                        : is(K_EVENT_ID, from, to) ? EVENT_ID : OTHER;
            default:
                return OTHER;
        }
    }

    /**
     * The stream name at {@link #pos} (after its opening quote) when it is one of the recent ones written plainly
     * (no escape, no byte that would need one) and followed by its closing quote, with {@link #pos} moved past that
     * quote; else null and {@link #pos} unchanged. Compares the line's bytes in place: no copy, no decoding.
     */
    private String recentStream() {
        for (int k = 0; k < recentStreams.length; k++) {
            byte[] known = recentStreamBytes[k];
            if (known == null || !recentPlain[k]) {
                continue;
            }
            int len = known.length;
            int at = pos;
            if (at + len < end && b[at + len] == '"' && sameAt(known, at)) {
                pos = at + len + 1;
                return recentStreams[k];
            }
        }
        return null;
    }

    private boolean sameAt(byte[] known, int at) {
        byte[] a = b;
        for (int i = known.length - 1; i >= 0; i--) { // stream names differ at their ends (the hex id)
            if (known[i] != a[at + i]) {
                return false;
            }
        }
        return true;
    }

    /** No quote, backslash, control character or non-ASCII byte: written the same raw and decoded. */
    private static boolean plain(byte[] s) {
        for (byte c : s) {
            if (c == '"' || c == '\\' || c < 0x20) {
                return false;
            }
        }
        return true;
    }

    private boolean is(byte[] key, int from, int to) {
        if (to - from != key.length) {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            if (b[from + i] != key[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a string body after its opening quote in one pass, unescaping it into {@link #scratch} when
     * {@code copy} (else {@link #skipString}); leaves {@link #pos} after the closing quote and the length in
     * {@link #strLen} (when copying: bytes). {@code utf8}: a well-formed UTF-8 sequence beyond ASCII is taken (as
     * its bytes when copying, to be decoded as UTF-8), where no Latin-1 String is built from the bytes; else such a
     * byte gives the line to the Jackson path.
     */
    private void scanString(boolean copy, boolean utf8) {
        if (!copy) {
            skipString(utf8);
            return;
        }
        startString();
        byte[] a = b;
        int p = pos;
        int e = end;
        if (scratch.length < e - p) {
            scratch = new byte[Math.max(e - p, scratch.length * 2)];
        }
        byte[] out = scratch;
        int n = 0;
        while (true) {
            int q = p;
            while (q + 8 <= e && plainWord((long) LONGS.get(a, q))) { // 8 plain bytes at a time
                q += 8;
            }
            q = plainRun(a, q, e);
            System.arraycopy(a, p, out, n, q - p);
            n += q - p;
            p = q;
            if (utf8 && p < e && a[p] < 0) { // copied as it is: the string is decoded as UTF-8 (utf8Value)
                int k = utf8Sequence(a, p, e);
                System.arraycopy(a, p, out, n, k);
                n += k;
                p += k;
                nonAscii = true;
                continue;
            }
            if (endsString(a, p, e, n)) {
                return;
            }
            p = escape(a, p, e);
            out[n] = escaped;
            n++;
        }
    }

    /**
     * {@link #scanString} without the copy: checks a string body and measures it. An audit event's message is
     * escaped JSON, with a {@code \"} every few bytes, so besides skipping 8 plain bytes at a time it takes a whole
     * word whose only special bytes are {@code \"} pairs (a backslash before every quote, a quote after every
     * backslash; a pair may end one byte into the next word) in one step: such a word holds no end quote, no invalid
     * escape and no escape that sets a flag. Anything else goes through the same byte-at-a-time escape handling as
     * {@link #scanString}, and so does UTF-8 beyond ASCII when {@code utf8}. Measured with the client compiler on the 200 MB corpus of bench/peers.sh: the check of
     * the messages alone runs at 2.6 GB/s instead of 1.4 GB/s with the plain-word skip only, and a whole serial
     * {@code query} takes 0.51 instead of 0.60 CPU s (bench/jar_ab.py, old and new jar alternating).
     */
    private void skipString(boolean utf8) {
        startString();
        byte[] a = b;
        int p = pos;
        int e = end;
        int n = 0;
        while (true) {
            while (p + 9 <= e) { // a word and the byte after it
                long v = (long) LONGS.get(a, p);
                long quote = v ^ (ONES * '"');
                long backslash = v ^ (ONES * '\\');
                long quotes = (quote - ONES) & ~quote & HIGHS;
                long backslashes = (backslash - ONES) & ~backslash & HIGHS;
                long other = ((v - ONES * 0x20) & ~v | v) & HIGHS; // control characters and non-ASCII
                if ((quotes | backslashes | other) == 0) {
                    p += 8;
                    n += 8;
                } else if (other != 0 || backslashes << 8 != quotes) {
                    break; // something else than \" pairs inside the word: byte at a time
                } else if (backslashes >= 0) {
                    p += 8;
                    n += 8 - highBits(backslashes);
                } else if (a[p + 8] == '"') { // the last byte is a backslash, and the next word starts with its quote
                    p += 9;
                    n += 9 - highBits(backslashes);
                } else {
                    break;
                }
            }
            int q = plainRun(a, p, e);
            n += q - p;
            p = q;
            if (utf8 && p < e && a[p] < 0) { // UTF-8 beyond ASCII: "48.97µs" in a controller's log line
                int k = utf8Sequence(a, p, e);
                p += k;
                n += k == 4 ? 2 : 1; // a 4-byte character is two UTF-16 units
                nonAscii = true;
                continue;
            }
            if (p + 1 < e && a[p] == '\\' && a[p + 1] == '"') { // the common escape, without a call
                p += 2;
            } else if (endsString(a, p, e, n)) {
                return;
            } else {
                p = escape(a, p, e);
            }
            n++;
        }
    }

    /**
     * The length of the well-formed UTF-8 sequence starting at {@code p} (a byte >= 0x80), by the Unicode table of
     * well-formed sequences: no overlong form, no surrogate, nothing past U+10FFFF. Anything else gives the line to
     * the Jackson path, which reports or decodes it exactly as before; a sequence cut by the end of the data asks for
     * more.
     */
    private static int utf8Sequence(byte[] a, int p, int e) {
        int c = a[p] & 0xff;
        int k;
        int lo = 0x80;
        int hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            k = 2;
        } else if (c >= 0xe0 && c <= 0xef) {
            k = 3;
            if (c == 0xe0) {
                lo = 0xa0;
            } else if (c == 0xed) {
                hi = 0x9f;
            }
        } else if (c >= 0xf0 && c <= 0xf4) {
            k = 4;
            if (c == 0xf0) {
                lo = 0x90;
            } else if (c == 0xf4) {
                hi = 0x8f;
            }
        } else {
            throw FALL;
        }
        if (p + k > e) {
            throw NEED;
        }
        int second = a[p + 1] & 0xff;
        if (second < lo || second > hi) {
            throw FALL;
        }
        for (int i = 2; i < k; i++) {
            if ((a[p + i] & 0xc0) != 0x80) {
                throw FALL;
            }
        }
        return k;
    }

    /** A string body starts at {@link #pos}: no escapes seen in it yet. */
    private void startString() {
        strStart = pos;
        charEscape = false;
        innerEscape = false;
        nonAscii = false;
    }

    /** Where the plain run from {@code q} ends: the next quote, backslash, control or non-ASCII byte, or {@code e}. */
    private static int plainRun(byte[] a, int q, int e) {
        while (q < e) {
            byte c = a[q];
            if (c == '"' || c == '\\' || c < 0x20) {
                break;
            }
            q++;
        }
        return q;
    }

    /**
     * True at the closing quote (the string is then done: {@link #pos} after it, its end and decoded length {@code n}
     * noted); false at a backslash; a control or non-ASCII byte gives the line up, the end of the data asks for more.
     */
    private boolean endsString(byte[] a, int p, int e, int n) {
        if (p >= e) {
            throw NEED;
        }
        byte c = a[p];
        if (c == '"') {
            pos = p + 1;
            strEnd = p;
            strLen = n;
            return true;
        }
        if (c < 0x20) { // control characters and every non-ASCII byte (negative): the Jackson path
            throw FALL;
        }
        return false;
    }

    /** The character the last {@link #escape} stands for. */
    private byte escaped;

    /**
     * Reads the escape whose backslash is at {@code p}: sets {@link #escaped}, notes {@code \/} and {@code \}{@code u}
     * ({@link #charEscape}) and an escaped backslash before {@code u} or {@code /} ({@link #innerEscape}); returns
     * where the escape ends. An invalid escape, or one for a non-ASCII character, gives the line up.
     */
    private int escape(byte[] a, int p, int e) {
        if (p + 1 >= e) {
            throw NEED;
        }
        byte x = a[p + 1];
        p += 2;
        byte d;
        switch (x) {
            case '/':
                charEscape = true;
                d = x;
                break;
            case '\\':
                innerEscape |= p >= e || a[p] == 'u' || a[p] == '/';
                d = x;
                break;
            case '"':
                d = x;
                break;
            case 'n':
                d = '\n';
                break;
            case 't':
                d = '\t';
                break;
            case 'r':
                d = '\r';
                break;
            case 'b':
                d = '\b';
                break;
            case 'f':
                d = '\f';
                break;
            case 'u': {
                if (p + 4 > e) {
                    throw NEED;
                }
                int cp = (hex(a[p]) << 12) | (hex(a[p + 1]) << 8) | (hex(a[p + 2]) << 4) | hex(a[p + 3]);
                if (cp >= 0x80) {
                    throw FALL; // non-ASCII: the Jackson path builds the UTF-16 string
                }
                charEscape = true;
                d = (byte) cp;
                p += 4;
                break;
            }
            default:
                throw FALL; // an invalid escape (or an escaped line break): the Jackson path reports it
        }
        escaped = d;
        return p;
    }

    /**
     * How many bytes of a word have their high bit set, for a word with no other bits set: a multiply adds the bits
     * into the top byte (Long.bitCount is no intrinsic for the client compiler: 2.0 against 2.4 GB/s for the loop).
     */
    private static int highBits(long highs) {
        return (int) (((highs >>> 7) * ONES) >>> 56);
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /** True when none of the 8 bytes is a quote, a backslash, a control character or non-ASCII (SWAR). */
    static boolean plainWord(long v) {
        long quote = v ^ (ONES * '"');
        long backslash = v ^ (ONES * '\\');
        long special = ((quote - ONES) & ~quote) // a zero byte: a quote
                | ((backslash - ONES) & ~backslash) // a backslash
                | ((v - ONES * 0x20) & ~v) // a byte below 0x20 (the borrow sets its high bit)
                | v; // any byte with its high bit set: non-ASCII
        return (special & HIGHS) == 0;
    }

    /** The string last copied into {@link #scratch}, whose bytes hold UTF-8 beyond ASCII. */
    private String utf8Value() {
        return new String(scratch, 0, strLen, java.nio.charset.StandardCharsets.UTF_8);
    }

    @SuppressWarnings("deprecation")
    private String stringValue() {
        return new String(scratch, 0, 0, strLen); // ASCII bytes: a Latin-1 String, no decoding
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        throw FALL;
    }

    @SuppressWarnings("deprecation")
    private String streamName() {
        int len = strLen;
        for (int k = 0; k < recentStreams.length; k++) {
            byte[] known = recentStreamBytes[k];
            if (known != null && known.length == len && same(known)) {
                return recentStreams[k];
            }
        }
        String s = new String(scratch, 0, 0, len);
        recentStreams[nextStream] = s;
        recentStreamBytes[nextStream] = java.util.Arrays.copyOf(scratch, len);
        recentPlain[nextStream] = plain(recentStreamBytes[nextStream]);
        nextStream = (nextStream + 1) % recentStreams.length;
        return s;
    }

    private boolean same(byte[] known) {
        byte[] s = scratch;
        for (int i = known.length - 1; i >= 0; i--) { // stream names differ at their ends (the hex id)
            if (known[i] != s[i]) {
                return false;
            }
        }
        return true;
    }

    /** An epoch number in any unit as milliseconds; out of range: the Jackson path reports it. */
    private static long epochMillis(long v) {
        if (v < 0) {
            throw FALL;
        }
        return Timestamps.fromEpochNumber(v);
    }

    private long number() {
        int start = pos;
        boolean negative = false;
        if (b[pos] == '-') {
            negative = true;
            pos++;
        }
        int digitsStart = pos;
        long v = 0;
        while (true) {
            if (pos >= end) {
                throw NEED;
            }
            byte c = b[pos];
            if (c < '0' || c > '9') {
                break;
            }
            v = v * 10 + (c - '0');
            pos++;
        }
        int digits = pos - digitsStart;
        byte next = b[pos];
        if (digits == 0 || digits > 18 || (digits > 1 && b[digitsStart] == '0') || next == '.' || next == 'e'
                || next == 'E' || pos - start > 19) {
            throw FALL;
        }
        return negative ? -v : v;
    }
}
