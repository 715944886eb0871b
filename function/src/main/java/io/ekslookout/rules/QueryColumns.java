package io.ekslookout.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Works out, from the query text alone, which columns a query's result rows carry, so that a rule's threshold,
 * suppress and groupBy can be checked against them before anything runs. It follows the projection rules of the
 * language (logs-insights.md §1.3): the last {@code stats} defines the columns (group keys, then aggregates, each by
 * alias or by its text), later {@code fields} append; else the last {@code display}; else all {@code fields}.
 * A query with none of these keeps the default projection, which this cannot pin down: {@link #of} then returns
 * empty and callers skip the check.
 */
public final class QueryColumns {
    private QueryColumns() {
    }

    /** The output columns, or empty when they depend on the data (no stats, fields or display). */
    public static Optional<Set<String>> of(String query) {
        List<String> commands = splitCommands(stripComments(query));
        Set<String> fields = new LinkedHashSet<>();
        Set<String> display = null;
        Set<String> stats = null;
        for (String c : commands) {
            String trimmed = c.trim();
            String word = firstWord(trimmed).toLowerCase(Locale.ROOT);
            String rest = trimmed.substring(firstWord(trimmed).length());
            switch (word) {
                case "stats" -> {
                    stats = new LinkedHashSet<>();
                    List<String> parts = splitTopLevel(rest, true);
                    int by = parts.indexOf("\u0000BY");
                    List<String> aggs = by < 0 ? parts : parts.subList(0, by);
                    List<String> keys = by < 0 ? List.of() : parts.subList(by + 1, parts.size());
                    for (String k : keys) {
                        stats.add(columnName(k));
                    }
                    for (String a : aggs) {
                        stats.add(columnName(a));
                    }
                    fields.clear();
                    display = null;
                }
                case "fields" -> {
                    for (String item : splitTopLevel(rest, false)) {
                        (stats != null ? stats : fields).add(columnName(item));
                    }
                }
                case "display" -> {
                    display = new LinkedHashSet<>();
                    for (String item : splitTopLevel(rest, false)) {
                        display.add(columnName(item));
                    }
                }
                default -> {
                }
            }
        }
        if (display != null) {
            return Optional.of(display);
        }
        if (stats != null) {
            return Optional.of(stats);
        }
        if (!fields.isEmpty()) {
            return Optional.of(fields);
        }
        return Optional.empty();
    }

    /** "expr as alias" → alias (backticks removed); otherwise the expression text, whitespace-trimmed. */
    static String columnName(String item) {
        String s = item.trim();
        List<String> words = tokens(s);
        if (words.size() >= 3 && words.get(words.size() - 2).equalsIgnoreCase("as")) {
            return unquote(words.get(words.size() - 1));
        }
        return unquote(s);
    }

    private static String unquote(String name) {
        if (name.startsWith("`") && name.endsWith("`") && name.length() >= 2) {
            return name.substring(1, name.length() - 1);
        }
        if (name.startsWith("@`") && name.endsWith("`")) {
            return "@" + name.substring(2, name.length() - 1);
        }
        return name;
    }

    private static String firstWord(String s) {
        int i = 0;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) {
            i++;
        }
        return s.substring(0, i);
    }

    /** Removes # comments outside literals. */
    static String stripComments(String q) {
        StringBuilder sb = new StringBuilder();
        Scanner sc = new Scanner(q);
        while (sc.i < q.length()) {
            char c = q.charAt(sc.i);
            if (c == '#') {
                while (sc.i < q.length() && q.charAt(sc.i) != '\n') {
                    sc.i++;
                }
                continue;
            }
            int start = sc.i;
            sc.skipOne();
            sb.append(q, start, sc.i);
        }
        return sb.toString();
    }

    static List<String> splitCommands(String q) {
        List<String> out = new ArrayList<>();
        Scanner sc = new Scanner(q);
        int start = 0;
        while (sc.i < q.length()) {
            if (sc.depth == 0 && q.charAt(sc.i) == '|') {
                out.add(q.substring(start, sc.i));
                sc.i++;
                start = sc.i;
                sc.lastSignificant = '|';
                continue;
            }
            sc.skipOne();
        }
        out.add(q.substring(start));
        return out;
    }

    /** Splits on top-level commas; with {@code by}, also on a top-level "by" keyword (marked as "\0BY"). */
    static List<String> splitTopLevel(String s, boolean by) {
        List<String> out = new ArrayList<>();
        Scanner sc = new Scanner(s);
        int start = 0;
        while (sc.i < s.length()) {
            char c = s.charAt(sc.i);
            if (sc.depth == 0 && c == ',') {
                out.add(s.substring(start, sc.i).trim());
                sc.i++;
                start = sc.i;
                sc.lastSignificant = ',';
                continue;
            }
            if (by && sc.depth == 0 && (c == 'b' || c == 'B') && sc.i + 2 <= s.length()
                    && s.substring(sc.i, sc.i + 2).equalsIgnoreCase("by")
                    && (sc.i == 0 || Character.isWhitespace(s.charAt(sc.i - 1)) || s.charAt(sc.i - 1) == ')')
                    && (sc.i + 2 == s.length() || Character.isWhitespace(s.charAt(sc.i + 2)))) {
                out.add(s.substring(start, sc.i).trim());
                out.add("\u0000BY");
                sc.i += 2;
                start = sc.i;
                sc.lastSignificant = ',';
                continue;
            }
            sc.skipOne();
        }
        String last = s.substring(start).trim();
        if (!last.isEmpty()) {
            out.add(last);
        }
        out.removeIf(String::isEmpty);
        return out;
    }

    /** Whitespace-separated words, keeping literals and parenthesised groups whole. */
    private static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        Scanner sc = new Scanner(s);
        int start = -1;
        while (sc.i < s.length()) {
            char c = s.charAt(sc.i);
            if (sc.depth == 0 && Character.isWhitespace(c)) {
                if (start >= 0) {
                    out.add(s.substring(start, sc.i));
                    start = -1;
                }
                sc.i++;
                continue;
            }
            if (start < 0) {
                start = sc.i;
            }
            sc.skipOne();
        }
        if (start >= 0) {
            out.add(s.substring(start));
        }
        return out;
    }

    /** Steps over one character or one whole literal ("...", '...', `...`, /regex/), tracking bracket depth. */
    private static final class Scanner {
        final String s;
        int i;
        int depth;
        char lastSignificant = '|';

        Scanner(String s) {
            this.s = s;
        }

        void skipOne() {
            char c = s.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = closing(c, i + 1);
                lastSignificant = 'a';
            } else if (c == '/' && regexAllowed()) {
                i = closing('/', i + 1);
                lastSignificant = 'a';
            } else {
                if (c == '(' || c == '[') {
                    depth++;
                } else if ((c == ')' || c == ']') && depth > 0) {
                    depth--;
                }
                if (!Character.isWhitespace(c)) {
                    lastSignificant = c;
                }
                i++;
            }
        }

        /** A slash opens a regex unless it follows an operand (then it divides). */
        private boolean regexAllowed() {
            char p = lastSignificant;
            if (Character.isLetterOrDigit(p) || p == ')' || p == ']' || p == '_' || p == '@' || p == '`') {
                // after a word: a regex only when the word is an operator keyword such as like / in / =~
                String before = s.substring(0, i).stripTrailing();
                String lower = before.toLowerCase(Locale.ROOT);
                return lower.endsWith(" like") || lower.endsWith("\nlike") || lower.endsWith("parse");
            }
            return true;
        }

        private int closing(char q, int from) {
            int j = from;
            while (j < s.length()) {
                char c = s.charAt(j);
                if (c == '\\' && q != '`') {
                    j += 2;
                    continue;
                }
                if (c == q) {
                    return j + 1;
                }
                j++;
            }
            return s.length();
        }
    }
}
