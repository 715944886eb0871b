package io.ekslookout.query;

import java.util.List;
import java.util.Set;

/**
 * A necessary condition for a filter comparing a JSON field with a number ({@code responseStatus.code >= 500},
 * {@code 500 <= code}, {@code code in [500, 503]}), checked on the message text without parsing it: some occurrence
 * of the field's last key segment as a key ({@code code"}, blanks, {@code :}, blanks) has a value that may satisfy
 * the comparison. A value that is a plain JSON number is read where it stands and tested with the engine's own
 * comparison ({@link Expr.Compare#apply}, {@link Expr.In#apply}) on the same {@code Long} or {@code Double} discovery
 * would give; anything else (a string such as {@code "503"} or {@code "abc"}, an object, an array, a literal, a
 * number past 18 integer digits or 100 characters, a number not followed by a JSON delimiter) answers "may".
 * <p>
 * Why it is necessary: every comparison here is null (so the filter drops the event) when the field is absent
 * (UNK-14), and a present field is a leaf whose JSON key ends with the name's last segment (discovery flattens
 * the path with dots, and arrays give numeric segments, which are refused here). The key is spelled verbatim unless
 * escapes spell one of its characters: {@link EventView#escapesMaySpell} (and, on the undecoded message, the line's
 * own {@code \/} and {@code \}{@code u} escapes) then make the answer "may". Occurrences that are not keys (inside
 * a string value, a longer key ending the same way) only add candidates, never hide the real one, so a "no" means
 * no present value of the field can satisfy the comparison.
 * <p>
 * Cost: one {@code indexOf} pass over the message for {@code seg"}, and per occurrence a few characters (blanks,
 * colon, at most 100 number characters); no allocation except for a fractional number's {@code Double}. Linear
 * time: an occurrence's tail (blanks, colon, number) holds no quote, so tails never overlap.
 */
final class KeyNumber {
    /** Longest number read (FastJson's bound too); longer ones answer "may". */
    private static final int MAX_NUMBER = 100;

    /** The last segment of the field name: the key ends with it. */
    final String segment;
    /** {@code segment"}: how the key's end is spelled in the decoded message. */
    final String key;
    /** The same in the undecoded message (quote as {@code \"}); {@link RawMessage#NEVER} when it cannot occur. */
    final byte[] rawKey;
    /** Names what is tested, so that equal conditions of a batch share one slot. */
    final String id;

    private final Token.Type op;
    private final boolean fieldLeft;
    private final Object constant;
    private final List<Object> values;
    private final boolean negated;

    private KeyNumber(String segment, Token.Type op, boolean fieldLeft, Object constant, List<Object> values,
                      boolean negated) {
        this.segment = segment;
        this.key = segment + "\"";
        byte[] form = RawMessage.rawForm(segment);
        this.rawKey = form == RawMessage.NEVER ? form : RawMessage.rawForm(key);
        this.op = op;
        this.fieldLeft = fieldLeft;
        this.constant = constant;
        this.values = values;
        this.negated = negated;
        String what = values != null ? (negated ? "!in" : "in") + values.stream()
                .map(v -> v.getClass().getSimpleName() + ":" + v).toList()
                : op + (fieldLeft ? "<" : ">") + constant.getClass().getSimpleName() + ":" + constant;
        this.id = "n" + segment + "\u0000" + what;
    }

    /**
     * The condition for {@code e} when it compares a JSON field with a numeric constant ({@code = != < <= > >=},
     * either side, or {@code [not] in} a list of numbers), else null. (Against a non-numeric string, a number
     * value would mostly answer "may" anyway, and {@code =}/{@code in} already have a literal pre-check.)
     */
    static KeyNumber of(Expr e, Set<String> created) {
        if (e instanceof Expr.Compare c) {
            boolean left = Plan.isJsonField(c.left, created);
            Expr field = left ? c.left : Plan.isJsonField(c.right, created) ? c.right : null;
            Object k = constant(left ? c.right : c.left);
            String seg = field == null ? null : segment(((Expr.Field) field).name);
            return seg == null || k == null ? null : new KeyNumber(seg, c.op, left, k, null, false);
        }
        if (e instanceof Expr.In in && Plan.isJsonField(in.subject, created)) {
            String seg = segment(((Expr.Field) in.subject).name);
            boolean numbers = in.values.stream().allMatch(v -> Values.num(v) != null);
            return seg == null || !numbers ? null
                    : new KeyNumber(seg, null, true, null, List.copyOf(in.values), in.negated);
        }
        return null;
    }

    /** The value of a numeric literal or a negated one ({@code -1}, {@code "500"}), or null. */
    private static Object constant(Expr e) {
        if (e instanceof Expr.Literal l) {
            return l.value instanceof String || l.value instanceof Long || l.value instanceof Double
                    ? (Values.num(l.value) != null ? l.value : null) : null;
        }
        if (e instanceof Expr.Negate n && constant(n.operand) != null) {
            return n.eval(null);
        }
        return null;
    }

    /**
     * The last segment of a JSON field name, which ends the key of the leaf; null when it is empty, an array index
     * (digits: no key), a top-level {@code @@} name or not a literal the checks can look for.
     */
    static String segment(String name) {
        String seg = name.substring(name.lastIndexOf('.') + 1);
        if (seg.isEmpty() || seg.startsWith("@") || seg.chars().allMatch(Character::isDigit)
                || !Plan.eligible(seg)) {
            return null;
        }
        return seg;
    }

    /**
     * The engine's comparison, with the field's value {@code x}; true when it throws (an infinite number against a
     * string has no text): the query then evaluates the event itself and reports the error as it would anyway.
     */
    /**
     * {@link #holds(Number)} for a whole number: against a whole-number constant, the engine's comparison of two
     * Longs ({@link Values#compareNumbers}: {@link Long#compare}) without boxing the value of every event.
     */
    private boolean holds(long x) {
        if (values == null && constant instanceof Long c) {
            int cmp = fieldLeft ? Long.compare(x, c) : Long.compare(c, x);
            switch (op) {
                case EQ: return cmp == 0;
                case NE: return cmp != 0;
                case LT: return cmp < 0;
                case LE: return cmp <= 0;
                case GT: return cmp > 0;
                case GE: return cmp >= 0;
                default: break;
            }
        }
        return holds((Number) Long.valueOf(x));
    }

    boolean holds(Number x) {
        try {
            Long r = values != null ? Expr.In.apply(x, values, negated)
                    : Expr.Compare.apply(op, fieldLeft ? x : constant, fieldLeft ? constant : x);
            return Values.TRUE.equals(r);
        } catch (RuntimeException e) {
            return true;
        }
    }

    /**
     * False only when the JSON text {@code s} certainly gives this field no value that satisfies the comparison:
     * every occurrence of {@link #key} (found by the caller at {@code at}) is either not followed by blanks and a
     * colon (not a key) or followed by a plain number that does not satisfy it.
     *
     * @param s   the message: decoded, or the undecoded body ({@code raw}: quotes spelled {@code \"}, the blanks
     *            {@code \n \t \r} spelled with a backslash)
     * @param end the end of the key occurrence (just after its quote)
     */
    boolean mayAt(CharSequence s, int end, boolean raw) {
        int n = s.length();
        int p = blanks(s, end, raw);
        if (p >= n || s.charAt(p) != ':') {
            return false; // not a key: no value of this field starts here
        }
        p = blanks(s, p + 1, raw);
        if (p >= n) {
            return false; // the message ends before the value: no value
        }
        int start = p;
        char c = s.charAt(p);
        if (c == '-') {
            p++;
        }
        int digits = p;
        if (p < n && s.charAt(p) == '0') {
            p++;
        } else {
            while (p < n && (c = s.charAt(p)) >= '0' && c <= '9') {
                p++;
            }
        }
        int intDigits = p - digits;
        if (intDigits == 0) {
            return true; // a string, object, array, literal or anything else: may
        }
        boolean integral = true;
        if (p < n && s.charAt(p) == '.') {
            integral = false;
            int f = ++p;
            while (p < n && (c = s.charAt(p)) >= '0' && c <= '9') {
                p++;
            }
            if (p == f) {
                return true;
            }
        }
        if (p < n && ((c = s.charAt(p)) == 'e' || c == 'E')) {
            integral = false;
            p++;
            if (p < n && ((c = s.charAt(p)) == '+' || c == '-')) {
                p++;
            }
            int f = p;
            while (p < n && (c = s.charAt(p)) >= '0' && c <= '9') {
                p++;
            }
            if (p == f) {
                return true;
            }
        }
        if (integral && intDigits > 18 || p - start > MAX_NUMBER || p < n && !delimiter(s, p, raw)) {
            return true; // Jackson's number types, or not a number token as discovery reads it: may
        }
        if (integral) { // a Long, as discovery reads it: never widened to a double (18 digits do not fit one)
            return holds(longValue(s, start, p));
        }
        return holds((Number) Double.valueOf(s.subSequence(start, p).toString()));
    }

    /** What may follow a number in JSON: a blank, a comma or the end of a container. */
    private static boolean delimiter(CharSequence s, int p, boolean raw) {
        char c = s.charAt(p);
        return c == ',' || c == '}' || c == ']' || blank(s, p, raw) > 0;
    }

    /** The position after the JSON blanks at {@code p}. */
    private static int blanks(CharSequence s, int p, boolean raw) {
        int w;
        while (p < s.length() && (w = blank(s, p, raw)) > 0) {
            p += w;
        }
        return p;
    }

    /** The width of the JSON blank at {@code p} (space, tab, line feed, carriage return), or 0. */
    private static int blank(CharSequence s, int p, boolean raw) {
        char c = s.charAt(p);
        if (c == ' ') {
            return 1;
        }
        if (!raw) {
            return c == '\t' || c == '\n' || c == '\r' ? 1 : 0;
        }
        if (c == '\\' && p + 1 < s.length()) {
            char e = s.charAt(p + 1);
            return e == 't' || e == 'n' || e == 'r' ? 2 : 0;
        }
        return 0;
    }

    private static long longValue(CharSequence s, int from, int to) {
        boolean negative = s.charAt(from) == '-';
        long v = 0;
        for (int p = negative ? from + 1 : from; p < to; p++) {
            v = v * 10 + (s.charAt(p) - '0');
        }
        return negative ? -v : v;
    }

    @Override
    public String toString() {
        return id.replace('\u0000', ' ');
    }
}
