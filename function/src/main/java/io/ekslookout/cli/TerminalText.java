package io.ekslookout.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;

/**
 * Makes text from logs safe to print, for the table, CSV and JSON outputs of every command. Everything in a log line
 * is attacker-controlled (user names, user agents, object names, URIs), and the output goes to a terminal or into a
 * spreadsheet:
 *
 * <ul>
 *   <li>{@link #escape}: a character a terminal would act on or hide becomes a visible escape: C0 controls (ESC
 *       starts CSI and OSC sequences: clear screen, OSC 8 hyperlinks, window titles), DEL, C1 controls (8-bit CSI
 *       U+009B), line and paragraph separators, and every format character (Unicode category Cf: zero-width
 *       U+200B..U+200F, U+2060..U+2064, U+FEFF, bidi embeddings and overrides U+202A..U+202E and isolates
 *       U+2066..U+2069, soft hyphen, tag characters). So a value cannot clear the screen, forge a link, hide text or
 *       reorder what is shown ("Trojan source"). {@code \n}, {@code \t}, {@code \r} print as such; any other
 *       character as {@code \\uXXXX} (above U+FFFF as its two surrogates, {@code \\udb40\\udc41}, as JSON and Java
 *       write it: a JSON text in a cell stays valid JSON).</li>
 *   <li>{@link #csvCell}: for CSV, the same escapes except tab, CR and LF (CSV quoting keeps them as data), then a
 *       formula cell is neutralised as the OWASP "CSV injection" guidance says: a cell starting with {@code =},
 *       {@code +}, {@code -}, {@code @}, tab or CR gets a leading {@code '}, so Excel, LibreOffice and Google Sheets
 *       show it as text instead of evaluating {@code =HYPERLINK(...)} or {@code =cmd|...}. A cell that is a plain
 *       decimal number ({@code -5}, {@code +1.5e3}) is left as it is: a spreadsheet reads it as the number and
 *       nothing is evaluated, and a numeric column (a count, a difference) stays numeric.</li>
 *   <li>{@link #JSON}: a Jackson factory that writes the same characters as JSON {@code \\u} escapes. JSON escapes
 *       C0 controls already; this adds DEL, C1, separators and format characters, so {@code cat} of JSON Lines is as
 *       safe as the table, while every value still decodes to exactly the original text. Characters above U+FFFF
 *       (emoji, tag characters) are written as their surrogate escapes: Jackson hands them over half by half.</li>
 * </ul>
 * A backslash itself is not escaped: the output is for reading, and a literal {@code \\u001b} in a log shows as it
 * is (the JSON output is the exact form).
 */
final class TerminalText {
    /** JSON writer escaping every character {@link #escape} escapes (values decode unchanged). */
    static final JsonFactory JSON = new JsonFactory().setCharacterEscapes(new JsonEscapes());

    private TerminalText() {
    }

    /** True for a character a terminal acts on or does not show: controls, separators, format characters. */
    static boolean unsafe(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** The text with every {@linkplain #unsafe unsafe} character as a visible escape; one line. Null stays null. */
    static String escape(String s) {
        return escape(s, false);
    }

    private static String escape(String s, boolean keepLineBreaks) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            boolean keep = !unsafe(cp) || (keepLineBreaks && (cp == '\n' || cp == '\r' || cp == '\t'));
            if (!keep) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                switch (cp) {
                    case '\n' -> sb.append("\\n");
                    case '\t' -> sb.append("\\t");
                    case '\r' -> sb.append("\\r");
                    default -> {
                        for (int k = i; k < i + n; k++) {
                            sb.append(String.format("\\u%04x", (int) s.charAt(k)));
                        }
                    }
                }
            } else if (sb != null) {
                sb.append(s, i, i + n);
            }
            i += n;
        }
        return sb == null ? s : sb.toString();
    }

    /**
     * One CSV data cell, before RFC 4180 quoting: escaped like {@link #escape} but keeping tab, CR and LF, and with a
     * leading {@code '} when it would start a formula.
     */
    static String csvCell(String v) {
        String e = escape(v, true);
        return formula(e) ? "'" + e : e;
    }

    /**
     * A CSV header cell (a column name from the query). A Logs Insights field name such as {@code @timestamp} or
     * {@code @message} ({@code @} and then letters, digits, {@code _} and {@code .} only) is kept: it cannot hold a formula
     * call or operator, and it is the console's own export header. Anything else is a {@link #csvCell}.
     */
    static String csvHeader(String v) {
        if (v.length() > 1 && v.charAt(0) == '@') {
            boolean name = true;
            for (int i = 1; i < v.length() && name; i++) {
                char c = v.charAt(i);
                name = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                        || c == '.';
            }
            if (name) {
                return v;
            }
        }
        return csvCell(v);
    }

    /** True when a spreadsheet would evaluate the cell: it starts with = + - @ tab or CR and is not a plain number. */
    static boolean formula(String v) {
        if (v.isEmpty()) {
            return false;
        }
        char c = v.charAt(0);
        if (c == '=' || c == '@' || c == '\t' || c == '\r') {
            return true;
        }
        return (c == '+' || c == '-') && !plainNumber(v);
    }

    /** [+-]digits[.digits][(e|E)[+-]digits]: what a spreadsheet reads as a number and nothing else. */
    static boolean plainNumber(String v) {
        int i = 0;
        int n = v.length();
        if (i < n && (v.charAt(i) == '+' || v.charAt(i) == '-')) {
            i++;
        }
        int digits = skipDigits(v, i);
        if (digits == i) {
            return false;
        }
        i = digits;
        if (i < n && v.charAt(i) == '.') {
            int frac = skipDigits(v, i + 1);
            if (frac == i + 1) {
                return false;
            }
            i = frac;
        }
        if (i < n && (v.charAt(i) == 'e' || v.charAt(i) == 'E')) {
            i++;
            if (i < n && (v.charAt(i) == '+' || v.charAt(i) == '-')) {
                i++;
            }
            int exp = skipDigits(v, i);
            if (exp == i) {
                return false;
            }
            i = exp;
        }
        return i == n;
    }

    private static int skipDigits(String v, int i) {
        while (i < v.length() && v.charAt(i) >= '0' && v.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    /** Jackson escapes for JSON output: C0 as standard, plus DEL, C1, separators and format characters as \\u. */
    private static final class JsonEscapes extends CharacterEscapes {
        private static final int[] ASCII;

        static {
            ASCII = CharacterEscapes.standardAsciiEscapesForJSON();
            ASCII[0x7f] = CharacterEscapes.ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ASCII;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            // Surrogate halves arrive here one by one, so the character they make cannot be told (a tag character
            // U+E0041 is Cf, an emoji is not): every character above U+FFFF is written as its two escapes.
            if (ch > 0x7f && (Character.isSurrogate((char) ch) || unsafe(ch))) {
                return new SerializedString(String.format("\\u%04x", ch));
            }
            return null;
        }
    }
}
