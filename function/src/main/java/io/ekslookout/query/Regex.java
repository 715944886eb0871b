package io.ekslookout.query;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

import java.util.Map;

/**
 * A regex from a query, a rule or a {@code suppress} value, matched by RE2/J. Log text is attacker-controlled, and
 * RE2 matches in time linear in the text without backtracking or recursion, so no log line can make a match run
 * away or overflow the stack. It is also the service's dialect: Logs Insights matches with RE2/Hyperscan, which have
 * no back-references and no look-around; both are refused here with a clear message.
 *
 * <p>RE2/J simulates an NFA (it has no DFA), which costs more per character than java.util.regex on easy patterns.
 * Two literal shortcuts keep scans fast: a regex that is only literal text (optionally after {@code ^}) is matched
 * with {@code contains}/{@code startsWith} and never runs the engine, and for the others a literal every match must
 * contain (the longest top-level literal run, see {@link #requiredLiteral()}) is looked for with
 * {@code indexOf} first: most log lines lack it and are rejected without the engine.
 *
 * <p>Compiling is bounded too: group nesting deeper than {@value #MAX_NESTING} and patterns whose counted
 * repetitions would expand past {@value #MAX_SIZE} atoms are refused (RE2/J's compiler recurses on nesting and
 * expands {@code {n}} copies, so either could exhaust the stack or the heap).
 */
public final class Regex {
    /** Deepest group nesting accepted (RE2/J's parser and compiler recurse once per level). */
    static final int MAX_NESTING = 200;
    /** Largest accepted expansion of counted repetitions, in atoms (about the NFA's instruction count). */
    static final int MAX_SIZE = 10_000;

    /** A pattern RE2 (or one of the bounds above) refuses; {@link #index()} is its offset in the pattern, or -1. */
    public static final class Refused extends IllegalArgumentException {
        private final int index;

        Refused(String reason, int index) {
            super(reason);
            this.index = index;
        }

        public int index() {
            return index;
        }
    }

    private final String body;
    private final Pattern pattern;
    /** The whole regex when it is only literal text (after an optional ^), else null. */
    private final String plain;
    private final boolean anchored;
    /** A literal every match contains, else null. */
    private final String required;

    private Regex(String body, Pattern pattern) {
        this.body = body;
        this.pattern = pattern;
        Literals l = Literals.of(body);
        this.plain = l.plain;
        this.anchored = l.anchored;
        this.required = l.required;
    }

    /** Compiles {@code body} (the text between the slashes) or throws {@link Refused} saying why. */
    public static Regex compile(String body) {
        if (body.isEmpty()) {
            throw new Refused("empty regex: expected a pattern between the slashes", -1);
        }
        checkDialect(body);
        try {
            return new Regex(body, Pattern.compile(body));
        } catch (PatternSyntaxException e) {
            String m = e.getMessage();
            String prefix = "error parsing regexp: ";
            throw new Refused("invalid regex: " + (m.startsWith(prefix) ? m.substring(prefix.length()) : m),
                    e.getIndex());
        }
    }

    /** The text the regex was compiled from. */
    public String pattern() {
        return body;
    }

    /** True when the regex matches somewhere in {@code s}. */
    public boolean find(String s) {
        if (plain != null) {
            return anchored ? s.startsWith(plain) : s.contains(plain);
        }
        if (required != null && !s.contains(required)) {
            return false;
        }
        return pattern.matcher(s).find();
    }

    /** A matcher positioned on the first match in {@code s} (call {@code find()} for the next), or null. */
    public Matcher first(String s) {
        if (required != null && !s.contains(required)) {
            return null;
        }
        Matcher m = pattern.matcher(s);
        return m.find() ? m : null;
    }

    /** {@code s} with every match replaced by the literal text {@code with}. */
    public String replaceAll(String s, String with) {
        if (required != null && !s.contains(required)) {
            return s;
        }
        return pattern.matcher(s).replaceAll(Matcher.quoteReplacement(with));
    }

    public int groupCount() {
        return pattern.groupCount();
    }

    /** Group name → group number. */
    public Map<String, Integer> namedGroups() {
        return pattern.namedGroups();
    }

    /** The literal text every match contains, or null (exposed for tests and planning). */
    public String requiredLiteral() {
        return plain != null ? plain : required;
    }

    /** True when the regex is only literal text (optionally after ^): no engine runs for it. */
    public boolean isPlain() {
        return plain != null;
    }

    @Override
    public String toString() {
        return "/" + body + "/";
    }

    /**
     * Refuses look-around and back-references by name (RE2's own messages for them are cryptic) and bounds nesting
     * and expansion before RE2/J's recursive compiler sees the pattern.
     */
    private static void checkDialect(String s) {
        int n = s.length();
        int depth = 0;
        // expansion counter per open group: atoms so far inside it
        long[] size = new long[MAX_NESTING + 2];
        long lastAtom = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < n) {
                char d = s.charAt(i + 1);
                if (d >= '1' && d <= '9' || d == 'k' && i + 2 < n && "<{'".indexOf(s.charAt(i + 2)) >= 0) {
                    throw new Refused("back-references (\\" + d + ") are not supported: Logs Insights regexes are"
                            + " RE2, which has no back-references or look-around", i);
                }
                if (d == 'Q') {
                    int end = s.indexOf("\\E", i + 2);
                    int to = end < 0 ? n : end + 2;
                    lastAtom = Math.max(1, to - i - 4);
                    size[depth] += lastAtom;
                    i = to - 1;
                    continue;
                }
                i++;
                lastAtom = 1;
                size[depth]++;
            } else if (c == '[') {
                i = classEnd(s, i);
                lastAtom = 1;
                size[depth]++;
            } else if (c == '(') {
                if (s.startsWith("(?=", i) || s.startsWith("(?!", i) || s.startsWith("(?<=", i)
                        || s.startsWith("(?<!", i)) {
                    throw new Refused("look-around (" + s.substring(i, i + (s.charAt(i + 2) == '<' ? 4 : 3))
                            + "…) is not supported: Logs Insights regexes are RE2, which has no look-around or"
                            + " back-references", i);
                }
                if (depth == MAX_NESTING) {
                    throw new Refused("the regex nests groups more than " + MAX_NESTING + " deep", i);
                }
                depth++;
                size[depth] = 0;
            } else if (c == ')' && depth > 0) {
                lastAtom = size[depth];
                depth--;
                size[depth] += lastAtom;
            } else if (c == '{') {
                int close = s.indexOf('}', i);
                int max = close < 0 ? -1 : repeatMax(s.substring(i + 1, close));
                if (max >= 0) {
                    size[depth] += lastAtom * Math.max(0, max - 1);
                    lastAtom *= Math.max(1, max);
                    i = close;
                } else {
                    lastAtom = 1;
                    size[depth]++;
                }
            } else if ("*+?|^$".indexOf(c) < 0) {
                lastAtom = 1;
                size[depth]++;
            }
            if (size[depth] > MAX_SIZE || lastAtom > MAX_SIZE) {
                throw new Refused("the regex is too large: its counted repetitions expand to more than " + MAX_SIZE
                        + " atoms", -1);
            }
        }
    }

    /** The largest count of a repeat body such as {@code 3}, {@code 2,5} or {@code 2,}; -1 if not a repeat. */
    private static int repeatMax(String inside) {
        int comma = inside.indexOf(',');
        String min = comma < 0 ? inside : inside.substring(0, comma);
        if (!digits(min, 1) || comma >= 0 && !digits(inside.substring(comma + 1), 0)) {
            return -1;
        }
        String max = comma < 0 ? inside : inside.substring(comma + 1);
        return max.isEmpty() ? Integer.parseInt(inside.substring(0, comma)) : Integer.parseInt(max);
    }

    private static boolean digits(String s, int least) {
        return s.length() >= least && s.length() <= 4 && s.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    /** Index of the ']' closing the class opened at {@code open} (or the last index). */
    static int classEnd(String s, int open) {
        int n = s.length();
        int j = open + 1;
        if (j < n && s.charAt(j) == '^') {
            j++;
        }
        if (j < n && s.charAt(j) == ']') {
            j++;
        }
        while (j < n && s.charAt(j) != ']') {
            if (s.charAt(j) == '\\') {
                j += 2;
            } else if (s.startsWith("[:", j)) {
                int end = s.indexOf(":]", j + 2);
                j = end < 0 ? j + 1 : end + 2;
            } else {
                j++;
            }
        }
        return Math.min(j, n - 1);
    }

    /** The literal analysis of a pattern RE2 accepted. */
    static final class Literals {
        String plain;
        boolean anchored;
        String required;

        static Literals of(String s) {
            Literals out = new Literals();
            int n = s.length();
            int i = 0;
            if (s.startsWith("^")) {
                out.anchored = true;
                i = 1;
            }
            boolean pure = i < n;
            boolean topAlternation = false;
            boolean caseFold = false;
            int depth = 0;
            StringBuilder run = new StringBuilder();
            String best = "";
            boolean lastLiteral = false; // the previous atom is the last char of run
            while (i < n) {
                char c = s.charAt(i);
                char lit = 0;
                int next = i + 1;
                if (c == '\\' && i + 1 < n) {
                    char d = s.charAt(i + 1);
                    next = i + 2;
                    if (d < 128 && !Character.isLetterOrDigit(d) && !Character.isWhitespace(d)) {
                        lit = d; // escaped punctuation is that character
                    } else if (d == 'Q') {
                        int end = s.indexOf("\\E", i + 2);
                        next = end < 0 ? n : end + 2;
                    } else if ((d == 'x' || d == 'p' || d == 'P') && i + 2 < n && s.charAt(i + 2) == '{') {
                        int end = s.indexOf('}', i + 2);
                        next = end < 0 ? n : end + 1;
                    } else if (d == 'x') {
                        next = Math.min(n, i + 4);
                    } else if (d == 'p' || d == 'P') {
                        next = Math.min(n, i + 3);
                    } else if (d >= '0' && d <= '7') {
                        next = i + 2;
                        while (next < n && next < i + 4 && s.charAt(next) >= '0' && s.charAt(next) <= '7') {
                            next++;
                        }
                    }
                } else if (c == '[') {
                    next = classEnd(s, i) + 1;
                } else if (c == '(') {
                    if (s.startsWith("(?", i) && i + 2 < n && "P<:".indexOf(s.charAt(i + 2)) < 0) {
                        int end = i + 2;
                        while (end < n && s.charAt(end) != ')' && s.charAt(end) != ':') {
                            if (s.charAt(end) == 'i') {
                                caseFold = true;
                            }
                            end++;
                        }
                    }
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == '|') {
                    if (depth == 0) {
                        topAlternation = true;
                    }
                } else if (c == '*' || c == '?' || c == '+' || c == '{') {
                    int close = c == '{' ? s.indexOf('}', i) : -1;
                    boolean quantifier = c != '{' || close > 0 && repeatMax(s.substring(i + 1, close)) >= 0;
                    if (quantifier) {
                        if (c == '{') {
                            next = close + 1;
                        }
                        if (next < n && s.charAt(next) == '?') {
                            next++; // non-greedy
                        }
                        if (lastLiteral && c != '+') {
                            run.setLength(run.length() - 1); // the char may be absent
                        }
                        // after a quantifier the run ends: "ab+c" needs "ab" but not "abc"
                    }
                } else if (c != '.' && c != '^' && c != '$' && !Character.isSurrogate(c)) {
                    lit = c;
                }
                if (lit != 0 && depth == 0) {
                    run.append(lit);
                    lastLiteral = true;
                } else {
                    pure = false;
                    if (run.length() > best.length()) {
                        best = run.toString();
                    }
                    run.setLength(0);
                    lastLiteral = false;
                }
                i = next;
            }
            if (run.length() > best.length()) {
                best = run.toString();
            }
            if (caseFold || topAlternation) {
                return out;
            }
            if (pure && !best.isEmpty() && best.length() == runLength(s, out.anchored)) {
                out.plain = best;
            } else {
                out.anchored = false;
            }
            out.required = best.isEmpty() ? null : best;
            return out;
        }

        private static int runLength(String s, boolean anchored) {
            int count = 0;
            for (int i = anchored ? 1 : 0; i < s.length(); i++) {
                if (s.charAt(i) == '\\') {
                    i++;
                }
                count++;
            }
            return count;
        }
    }
}
