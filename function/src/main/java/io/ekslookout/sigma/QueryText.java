package io.ekslookout.sigma;

/**
 * Writing values into Logs Insights query text so that no value can change the query: string literals, regex
 * literals (a Sigma regex, or literal text matched exactly), and field names. Every generated query is parsed again
 * before a rule is written, so a mistake here is an internal error, never a rule that means something else.
 */
final class QueryText {
    private QueryText() {
    }

    /** The characters RE2 gives a meaning to outside a class (and {@code /}, which ends a Logs Insights regex). */
    private static final String REGEX_META = "\\.+*?()|[]{}^$/";

    /**
     * {@code s} as a double-quoted query string, or null when it holds a control character the query language has
     * no escape for (the caller matches it with a regex instead).
     */
    static String stringLiteral(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (unsafe(c)) {
                        return null;
                    }
                    sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    /** Control, format and separator characters: never written raw into query text. */
    static boolean unsafe(int c) {
        int t = Character.getType(c);
        return c < 0x20 || c == 0x7f || t == Character.CONTROL || t == Character.FORMAT
                || t == Character.LINE_SEPARATOR || t == Character.PARAGRAPH_SEPARATOR
                || t == Character.SURROGATE || t == Character.PRIVATE_USE || t == Character.UNASSIGNED;
    }

    /** Literal text as an RE2 pattern matching exactly that text (inside a Logs Insights {@code /.../}). */
    static String regexLiteral(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        s.codePoints().forEach(cp -> appendLiteral(sb, cp));
        return sb.toString();
    }

    static void appendLiteral(StringBuilder sb, int cp) {
        if (cp < 0x80 && REGEX_META.indexOf(cp) >= 0) {
            sb.append('\\').appendCodePoint(cp);
        } else if (unsafe(cp)) {
            sb.append(String.format("\\x{%x}", cp));
        } else {
            sb.appendCodePoint(cp);
        }
    }

    /**
     * A Sigma regex as the body of a Logs Insights {@code /.../} literal: an unescaped {@code /} is escaped (it
     * would end the literal), and control characters, raw or after a backslash, become {@code \x{..}} (a line break
     * would end the query line). Escapes are kept in pairs, so {@code \\/} stays a backslash then a slash.
     */
    static String regexBody(String re) {
        StringBuilder sb = new StringBuilder(re.length() + 8);
        int i = 0;
        while (i < re.length()) {
            int cp = re.codePointAt(i);
            int len = Character.charCount(cp);
            if (cp == '\\' && i + 1 < re.length()) {
                int next = re.codePointAt(i + 1);
                if (unsafe(next)) {
                    sb.append(String.format("\\x{%x}", next));
                } else {
                    sb.append('\\').appendCodePoint(next);
                }
                i += 1 + Character.charCount(next);
                continue;
            }
            if (cp == '/') {
                sb.append("\\/");
            } else if (unsafe(cp)) {
                sb.append(String.format("\\x{%x}", cp));
            } else {
                sb.appendCodePoint(cp);
            }
            i += len;
        }
        return sb.toString();
    }

    private static final com.google.re2j.Pattern PLAIN_NAME =
            com.google.re2j.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*");

    /** A field name as query text: as is when plain, else in backticks; null when it cannot be written (a backtick). */
    static String fieldName(String name) {
        if (PLAIN_NAME.matches(name)) {
            return name;
        }
        if (name.indexOf('`') >= 0 || name.codePoints().anyMatch(QueryText::unsafe)) {
            return null;
        }
        return "`" + name + "`";
    }

    /**
     * An RE2 pattern matching {@code s} as the Kubernetes API server writes it inside a JSON string of the raw event:
     * quotes, backslashes and control characters escaped ({@code \n}, a six-character escape for the others); {@code <}, {@code >},
     * {@code &}, U+2028 and U+2029 either raw or as Go's six-character escapes (the encoder may escape them or not).
     */
    static String jsonStringRegex(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append(regexLiteral("\\\""));
                case '\\' -> sb.append(regexLiteral("\\\\"));
                case '\n' -> sb.append(regexLiteral("\\n"));
                case '\r' -> sb.append(regexLiteral("\\r"));
                case '\t' -> sb.append(regexLiteral("\\t"));
                case '\b' -> sb.append("(?:").append(regexLiteral("\\b")).append('|').append(hexEscape(c)).append(')');
                case '\f' -> sb.append("(?:").append(regexLiteral("\\f")).append('|').append(hexEscape(c)).append(')');
                case '/' -> sb.append("\\\\?\\/");
                case '<', '>', '&', 0x2028, 0x2029 -> sb.append("(?:").append(regexLiteral(String.valueOf(c)))
                        .append('|').append(hexEscape(c)).append(')');
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(c == 0x7f ? "(?:\\x{7f}|" + hexEscape(c) + ")" : hexEscape(c));
                    } else if (Character.isSurrogate(c) && i + 1 < s.length()) {
                        appendLiteral(sb, s.codePointAt(i));
                        i++;
                    } else {
                        appendLiteral(sb, c);
                    }
                }
            }
        }
        return sb.toString();
    }

    /** A six-character JSON escape of {@code c}, its hex digits in either case (Go writes lower, Jackson upper). */
    private static String hexEscape(char c) {
        StringBuilder sb = new StringBuilder("\\\\u");
        for (char d : String.format("%04x", (int) c).toCharArray()) {
            if (Character.isLetter(d)) {
                sb.append('[').append(d).append(Character.toUpperCase(d)).append(']');
            } else {
                sb.append(d);
            }
        }
        return sb.toString();
    }

    /** One character of a JSON string as the raw event holds it (an escape counts as one character). */
    static final String JSON_CHAR = "(?:[^\"\\\\]|\\\\u[0-9a-fA-F]{4}|\\\\[^u])";
}
