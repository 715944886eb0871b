package io.ekslookout.query;

import com.fasterxml.jackson.core.JsonToken;

/**
 * A strict, lazy JSON tokenizer over a message String for {@link EventView}'s discovery: it yields the same
 * tokens as Jackson's streaming parser but builds nothing it is not asked for (no key Strings unless a key is
 * looked up, no value Strings unless a wanted leaf is read, no copy of the message, no symbol table), so skipping
 * the parts of an audit event no query reads costs one pass over its characters.
 * <p>
 * It accepts only plain RFC 8259 JSON in the shapes logs use and gives up ({@link #GIVE_UP}) on anything else:
 * any syntax error, an escape inside a key, an integer of more than 18 digits, a number longer than 100
 * characters. The caller then rereads the message with Jackson from its start, which decides exactly what a
 * malformed or unusual message yields ("the leaves before the error"). So this tokenizer never accepts what Jackson
 * rejects, and on what both accept it yields the same tokens and values ({@code DiscoveryPropertyTest},
 * {@code ShortcutEquivalenceTest}).
 */
final class FastJson {
    /** Thrown (preallocated, no stack trace) when the message needs Jackson. */
    static final RuntimeException GIVE_UP = new RuntimeException("needs the Jackson path", null, false, false) {
    };

    private static final int MAX_STACK = 128;
    private static final int MAX_NUMBER = 100;

    private final String s;
    private final int end;
    private int pos;
    /** Open containers: true for an object. */
    private final boolean[] objects = new boolean[MAX_STACK];
    private int depth;
    /** In the current container, an element was read (a comma must come before the next one). */
    private boolean needComma;
    /** A key was read: its value comes next. */
    private boolean afterName;

    /** Current key: [nameStart, nameEnd) of {@link #s}, no escapes. */
    int nameStart;
    int nameEnd;
    /** Current string value: [textStart, textEnd), with escapes when {@link #textEscaped}. */
    private int textStart;
    private int textEnd;
    private boolean textEscaped;
    /** Current number: [numStart, numEnd), integral when {@link #numInt}. */
    private int numStart;
    private int numEnd;
    private boolean numInt;

    FastJson(String s) {
        this.s = s;
        this.end = s.length();
    }

    /** The next token, or null after the top-level value closed. */
    JsonToken next() {
        if (afterName) {
            afterName = false;
            return value(nonBlank());
        }
        if (depth == 0) {
            if (needComma) {
                return null; // the top-level value is complete; what follows is not read
            }
            return value(nonBlank());
        }
        char c = nonBlank();
        boolean object = objects[depth - 1];
        if (c == (object ? '}' : ']')) {
            pos++;
            depth--;
            needComma = true;
            return object ? JsonToken.END_OBJECT : JsonToken.END_ARRAY;
        }
        if (needComma) {
            if (c != ',') {
                throw GIVE_UP;
            }
            pos++;
            c = nonBlank();
        }
        if (!object) {
            return value(c);
        }
        if (c != '"') {
            throw GIVE_UP;
        }
        int start = ++pos;
        while (true) {
            if (pos >= end) {
                throw GIVE_UP;
            }
            char k = s.charAt(pos);
            if (k == '"') {
                break;
            }
            if (k == '\\' || k < 0x20) {
                throw GIVE_UP;
            }
            pos++;
        }
        nameStart = start;
        nameEnd = pos++;
        if (nonBlank() != ':') {
            throw GIVE_UP;
        }
        pos++;
        afterName = true;
        needComma = false;
        return JsonToken.FIELD_NAME;
    }

    private char nonBlank() {
        while (pos < end) {
            char c = s.charAt(pos);
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                pos++;
            } else {
                return c;
            }
        }
        throw GIVE_UP;
    }

    private JsonToken value(char c) {
        switch (c) {
            case '{':
            case '[':
                if (depth == MAX_STACK) {
                    throw GIVE_UP;
                }
                pos++;
                objects[depth++] = c == '{';
                needComma = false;
                return c == '{' ? JsonToken.START_OBJECT : JsonToken.START_ARRAY;
            case '"':
                string();
                needComma = true;
                return JsonToken.VALUE_STRING;
            case 't':
                literal("true");
                return JsonToken.VALUE_TRUE;
            case 'f':
                literal("false");
                return JsonToken.VALUE_FALSE;
            case 'n':
                literal("null");
                return JsonToken.VALUE_NULL;
            default:
                if (c == '-' || c >= '0' && c <= '9') {
                    return numberToken();
                }
                throw GIVE_UP;
        }
    }

    private void literal(String word) {
        if (!s.startsWith(word, pos)) {
            throw GIVE_UP;
        }
        pos += word.length();
        delimiter();
        needComma = true;
    }

    /** What follows a scalar must end it: a blank, a comma or a closing bracket (Jackson rejects {@code truex}). */
    private void delimiter() {
        if (pos >= end) {
            throw GIVE_UP;
        }
        char c = s.charAt(pos);
        if (!(c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
            throw GIVE_UP;
        }
    }

    private void string() {
        int p = ++pos;
        boolean escaped = false;
        while (true) {
            if (p >= end) {
                throw GIVE_UP;
            }
            char c = s.charAt(p);
            if (c == '"') {
                break;
            }
            if (c == '\\') {
                if (p + 1 >= end) {
                    throw GIVE_UP;
                }
                char x = s.charAt(p + 1);
                if (x == 'u') {
                    if (p + 6 > end || hex(s.charAt(p + 2)) < 0 || hex(s.charAt(p + 3)) < 0
                            || hex(s.charAt(p + 4)) < 0 || hex(s.charAt(p + 5)) < 0) {
                        throw GIVE_UP;
                    }
                    p += 6;
                } else if (x == '"' || x == '\\' || x == '/' || x == 'b' || x == 'f' || x == 'n' || x == 'r'
                        || x == 't') {
                    p += 2;
                } else {
                    throw GIVE_UP;
                }
                escaped = true;
                continue;
            }
            if (c < 0x20) {
                throw GIVE_UP;
            }
            p++;
        }
        textStart = pos;
        textEnd = p;
        textEscaped = escaped;
        pos = p + 1;
    }

    private JsonToken numberToken() {
        int start = pos;
        int p = pos;
        if (s.charAt(p) == '-') {
            p++;
        }
        int digits = p;
        if (p >= end) {
            throw GIVE_UP;
        }
        char c = s.charAt(p);
        if (c == '0') {
            p++;
        } else if (c >= '1' && c <= '9') {
            while (p < end && (c = s.charAt(p)) >= '0' && c <= '9') {
                p++;
            }
        } else {
            throw GIVE_UP;
        }
        int intDigits = p - digits;
        boolean integral = true;
        if (p < end && s.charAt(p) == '.') {
            integral = false;
            int f = ++p;
            while (p < end && (c = s.charAt(p)) >= '0' && c <= '9') {
                p++;
            }
            if (p == f) {
                throw GIVE_UP;
            }
        }
        if (p < end && ((c = s.charAt(p)) == 'e' || c == 'E')) {
            integral = false;
            p++;
            if (p < end && ((c = s.charAt(p)) == '+' || c == '-')) {
                p++;
            }
            int e = p;
            while (p < end && (c = s.charAt(p)) >= '0' && c <= '9') {
                p++;
            }
            if (p == e) {
                throw GIVE_UP;
            }
        }
        if (integral && intDigits > 18 || p - start > MAX_NUMBER) {
            throw GIVE_UP; // long/BigInteger boundaries and Jackson's number limits: its path decides
        }
        pos = p;
        delimiter();
        numStart = start;
        numEnd = p;
        numInt = integral;
        needComma = true;
        return integral ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_NUMBER_FLOAT;
    }

    /** {@link #skip} result: a container nested past the depth limit. */
    static final int TOO_DEEP = -1;
    /** {@link #skip} result: more leaves than the budget. */
    static final int CAPPED = -2;

    /**
     * Skips the rest of the container whose start was just returned, validating it as {@link #next()} does: its
     * leaves (non-null scalars) counted, or {@link #CAPPED} at the first past {@code leafBudget}, or
     * {@link #TOO_DEEP} at the first container nested {@code depthLimit} levels inside it (discovery's rules, without
     * one frame per container).
     */
    int skip(int depthLimit, int leafBudget) {
        int nested = 0;
        int leaves = 0;
        while (true) {
            JsonToken t = next();
            if (t == null) {
                throw GIVE_UP;
            }
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    if (++nested >= depthLimit) {
                        return TOO_DEEP;
                    }
                }
                case END_OBJECT, END_ARRAY -> {
                    if (nested == 0) {
                        return leaves;
                    }
                    nested--;
                }
                case FIELD_NAME, VALUE_NULL -> {
                }
                default -> {
                    if (++leaves > leafBudget) {
                        return CAPPED;
                    }
                }
            }
        }
    }

    /** The current string value, escapes decoded. */
    String text() {
        if (!textEscaped) {
            return s.substring(textStart, textEnd);
        }
        StringBuilder sb = new StringBuilder(textEnd - textStart);
        for (int p = textStart; p < textEnd; p++) {
            char c = s.charAt(p);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char x = s.charAt(++p);
            switch (x) {
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    sb.append((char) (hex(s.charAt(p + 1)) << 12 | hex(s.charAt(p + 2)) << 8
                            | hex(s.charAt(p + 3)) << 4 | hex(s.charAt(p + 4))));
                    p += 4;
                }
                default -> sb.append(x); // " \ /
            }
        }
        return sb.toString();
    }

    /** The current number: a Long when integral (at most 18 digits), else a Double. */
    Object numberValue() {
        if (numInt) {
            int p = numStart;
            boolean negative = s.charAt(p) == '-';
            if (negative) {
                p++;
            }
            long v = 0;
            for (; p < numEnd; p++) {
                v = v * 10 + (s.charAt(p) - '0');
            }
            return negative ? -v : v;
        }
        return Double.parseDouble(s.substring(numStart, numEnd));
    }

    /** The current key as a String (its characters need no decoding). */
    String name() {
        return s.substring(nameStart, nameEnd);
    }

    String source() {
        return s;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
