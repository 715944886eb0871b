package io.ekslookout.sigma;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Sigma condition: search identifiers with {@code and}, {@code or}, {@code not}, parentheses, and
 * {@code 1 of PATTERN} / {@code all of PATTERN} / {@code 1 of them} / {@code all of them} (a pattern's {@code *}
 * matches any characters; {@code them} is every identifier not starting with {@code _}). Precedence, loosest
 * first: or, and, not, "x of", parentheses. Aggregations ({@code | count() ...}) and {@code near} are refused:
 * they count or correlate events, which a per-event filter cannot express.
 */
final class Condition {
    /** A refused condition: the 0-based index in the condition text, and why. */
    static final class Refused extends Exception {
        final int index;

        Refused(int index, String message) {
            super(message, null, false, false);
            this.index = index;
        }
    }

    /** Deepest nesting of parentheses and {@code not}s (the parser recurses once per level). */
    static final int MAX_DEPTH = 50;

    private record Tok(String text, int at) {
    }

    private final String src;
    private final Map<String, Cond> identifiers;
    private final List<Tok> toks = new ArrayList<>();
    private int pos;
    private int depth;

    private Condition(String src, Map<String, Cond> identifiers) {
        this.src = src;
        this.identifiers = identifiers;
    }

    /**
     * Parses {@code text} over the search identifiers (name → expression, in file order; a null expression is an
     * identifier refused elsewhere, which makes the result null without a second message).
     */
    static Cond parse(String text, Map<String, Cond> identifiers) throws Refused {
        Condition c = new Condition(text, identifiers);
        c.scan();
        if (c.toks.isEmpty()) {
            throw new Refused(0, "empty condition: name the search identifiers to match, e.g. 'selection and not"
                    + " filter'");
        }
        Cond e = c.or();
        if (c.pos < c.toks.size()) {
            Tok t = c.toks.get(c.pos);
            throw new Refused(t.at, "unexpected '" + t.text + "': expected 'and', 'or' or the end of the condition");
        }
        return e;
    }

    private void scan() throws Refused {
        int i = 0;
        while (i < src.length()) {
            char ch = src.charAt(i);
            if (Character.isWhitespace(ch)) {
                i++;
            } else if (ch == '(' || ch == ')') {
                toks.add(new Tok(String.valueOf(ch), i));
                i++;
            } else if (ch == '|') {
                throw new Refused(i, "aggregation ('| count()', '| near' ...) is not supported: a rule's filter sees"
                        + " one event at a time; write a Logs Insights rule with stats and a threshold instead");
            } else if (isWordChar(ch)) {
                int start = i;
                while (i < src.length() && isWordChar(src.charAt(i))) {
                    i++;
                }
                toks.add(new Tok(src.substring(start, i), start));
            } else {
                throw new Refused(i, "unexpected character '" + printable(ch) + "' in the condition");
            }
        }
    }

    private static boolean isWordChar(char c) {
        return c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == '*' || c == '-' || c == '.');
    }

    private static String printable(char c) {
        return QueryText.unsafe(c) ? String.format("U+%04X", (int) c) : String.valueOf(c);
    }

    private Tok peek() {
        return pos < toks.size() ? toks.get(pos) : null;
    }

    private boolean word(Tok t, String w) {
        return t != null && t.text.toLowerCase(Locale.ROOT).equals(w);
    }

    private Cond or() throws Refused {
        List<Cond> items = new ArrayList<>();
        items.add(and());
        while (word(peek(), "or")) {
            pos++;
            items.add(and());
        }
        return combine(items, false);
    }

    private Cond and() throws Refused {
        List<Cond> items = new ArrayList<>();
        items.add(not());
        while (word(peek(), "and")) {
            pos++;
            items.add(not());
        }
        return combine(items, true);
    }

    private static Cond combine(List<Cond> items, boolean and) {
        if (items.contains(null)) {
            return null;
        }
        return and ? Cond.and(items) : Cond.or(items);
    }

    private Cond not() throws Refused {
        if (word(peek(), "not")) {
            Tok t = toks.get(pos++);
            if (++depth > MAX_DEPTH) {
                throw new Refused(t.at, "'not' and parentheses nested deeper than " + MAX_DEPTH);
            }
            Cond c = not();
            depth--;
            return c == null ? null : new Cond.Not(c);
        }
        return primary();
    }

    private Cond primary() throws Refused {
        Tok t = peek();
        if (t == null) {
            throw new Refused(src.length(), "the condition ends too early: expected a search identifier, 'not',"
                    + " '(' or '1 of'/'all of'");
        }
        if (t.text.equals("(")) {
            if (++depth > MAX_DEPTH) {
                throw new Refused(t.at, "'not' and parentheses nested deeper than " + MAX_DEPTH);
            }
            pos++;
            Cond c = or();
            Tok close = peek();
            if (close == null || !close.text.equals(")")) {
                throw new Refused(close == null ? src.length() : close.at, "expected ')' to close the '(' at column "
                        + (t.at + 1));
            }
            pos++;
            depth--;
            return c;
        }
        if (t.text.equals(")")) {
            throw new Refused(t.at, "unexpected ')': expected a search identifier");
        }
        Tok next = pos + 1 < toks.size() ? toks.get(pos + 1) : null;
        if (word(next, "of")) {
            return of(t);
        }
        String lower = t.text.toLowerCase(Locale.ROOT);
        if (lower.equals("near")) {
            throw new Refused(t.at, "'near' is not supported: it correlates events, a rule's filter sees one event");
        }
        if (List.of("and", "or", "them", "of").contains(lower)) {
            throw new Refused(t.at, "unexpected '" + t.text + "': expected a search identifier");
        }
        pos++;
        if (t.text.contains("*")) {
            throw new Refused(t.at, "'" + t.text + "' is a pattern: write '1 of " + t.text + "' or 'all of " + t.text
                    + "'");
        }
        if (!identifiers.containsKey(t.text)) {
            throw new Refused(t.at, "unknown search identifier '" + t.text + "'; the detection defines: "
                    + String.join(", ", identifiers.keySet()));
        }
        return identifiers.get(t.text);
    }

    /** {@code 1 of X}, {@code all of X}, X a pattern or {@code them}. */
    private Cond of(Tok quantifier) throws Refused {
        String q = quantifier.text.toLowerCase(Locale.ROOT);
        if (!q.equals("1") && !q.equals("all")) {
            throw new Refused(quantifier.at, "'" + quantifier.text + " of' is not supported: write '1 of' (any) or"
                    + " 'all of'");
        }
        pos += 2;
        Tok target = peek();
        if (target == null || target.text.equals("(") || target.text.equals(")")) {
            throw new Refused(target == null ? src.length() : target.at, "expected a search identifier pattern or"
                    + " 'them' after '" + quantifier.text + " of'");
        }
        pos++;
        boolean them = word(target, "them");
        List<Cond> matched = new ArrayList<>();
        boolean refusedInside = false;
        for (Map.Entry<String, Cond> e : identifiers.entrySet()) {
            boolean hit = them ? !e.getKey().startsWith("_") : glob(target.text, e.getKey());
            if (hit) {
                refusedInside |= e.getValue() == null;
                matched.add(e.getValue());
            }
        }
        if (matched.isEmpty()) {
            throw new Refused(target.at, them ? "'them' matches no search identifier"
                    : "pattern '" + target.text + "' matches no search identifier; the detection defines: "
                    + String.join(", ", identifiers.keySet()));
        }
        if (refusedInside) {
            return null;
        }
        return q.equals("all") ? Cond.and(matched) : Cond.or(matched);
    }

    /** Sigma identifier patterns: {@code *} is any run of characters, the rest literal. */
    static boolean glob(String pattern, String name) {
        return globAt(pattern, 0, name, 0);
    }

    private static boolean globAt(String p, int pi, String s, int si) {
        // iterative with one backtrack point: linear-ish, no recursion depth beyond one level
        int star = -1;
        int mark = 0;
        while (si < s.length()) {
            if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = si;
            } else if (pi < p.length() && p.charAt(pi) == s.charAt(si)) {
                pi++;
                si++;
            } else if (star >= 0) {
                pi = star + 1;
                si = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == p.length();
    }
}
