package io.ekslookout.notify;

/**
 * Neutralises text taken from logs (user names, user agents, URIs, object names) before it goes into an email or a
 * Slack message. That text is attacker-controlled: anyone who can call the API server chooses their user agent and
 * the names of the objects they create.
 *
 * <ul>
 *   <li>{@link #plain}: for plain-text email. Control and invisible formatting characters (newlines, tabs, bidi
 *       overrides, zero-width characters) become a visible {@code ?} so a value cannot forge extra lines such as a
 *       fake "Severity: low"; URLs and domain names are defanged ({@code hxxps://evil[.]example}) so mail clients
 *       do not turn them into links; {@code < >} become look-alikes so the text cannot carry a Slack
 *       {@code <!channel>}/{@code <@U123>}/{@code <url|text>} into whatever the {@code default} body is forwarded
 *       to; long values are cut.</li>
 *   <li>{@link #slack}: {@link #plain} plus look-alike characters for what Slack (and the Chatbot's
 *       {@code client-markdown}) would interpret: {@code < > &} (links, {@code <!channel>}, {@code <@U123>}),
 *       {@code @} (plain {@code @here}/{@code @channel}), and the markup characters {@code * _ ~ `}. The caller also
 *       shows such values inside an inline code span, which Slack does not format or link.</li>
 * </ul>
 */
public final class SafeText {
    /** The longest value shown; longer ones are cut with "…(N more characters)". */
    public static final int MAX_VALUE_CHARS = 300;

    private SafeText() {
    }

    /** Safe for a plain-text email line. Null becomes "-". */
    public static String plain(String value) {
        return plain(value, MAX_VALUE_CHARS);
    }

    public static String plain(String value, int maxChars) {
        if (value == null) {
            return "-";
        }
        return defang(plainNoDefang(value, maxChars)).replace('<', '\u2039').replace('>', '\u203A');
    }

    /**
     * A field name from the rule's own query (trusted, so not defanged): one line, no hidden characters, cut.
     */
    public static String label(String name, boolean slack) {
        String p = plainNoDefang(name == null ? "-" : name, 80);
        return slack ? markup(p) : p;
    }

    /**
     * A field name for a Slack code block or span: shown as written ({@code @timestamp}, {@code user.username}: no
     * look-alike for {@code @}, which only a plain-text {@code @here} would turn into a mention and a code block
     * never does), except what could close the code or open a link or a special mention ({@code ` < > &}).
     */
    public static String codeLabel(String name) {
        return plainNoDefang(name == null ? "-" : name, 80).replace('`', '\u02CB').replace('<', '\u2039')
                .replace('>', '\u203A').replace('&', '\uFF06');
    }

    private static String plainNoDefang(String value, int maxChars) {
        String cut = cut(value, maxChars);
        StringBuilder sb = new StringBuilder(cut.length());
        cut.codePoints().forEach(cp -> sb.appendCodePoint(isHidden(cp) ? '?' : cp));
        return sb.toString();
    }

    /** Safe inside a Slack mrkdwn / Chatbot client-markdown message. */
    public static String slack(String value) {
        return slack(value, MAX_VALUE_CHARS);
    }

    public static String slack(String value, int maxChars) {
        return markup(plain(value, maxChars));
    }

    private static String markup(String p) {
        StringBuilder sb = new StringBuilder(p.length());
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            switch (c) {
                case '<' -> sb.append('\u2039');   // ‹
                case '>' -> sb.append('\u203A');   // ›
                case '&' -> sb.append('\uFF06');   // ＆
                case '@' -> sb.append('\uFF20');   // ＠
                case '*' -> sb.append('\u2217');   // ∗
                case '_' -> sb.append('\u02CD');   // ˍ
                case '~' -> sb.append('\u223C');   // ∼
                case '`' -> sb.append('\u02CB');   // ˋ
                case '|' -> sb.append('\u2223');   // ∣ (link text separator)
                case '!' -> sb.append('\u01C3');   // ǃ (<!channel>, <!here>)
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Slack inline code span around a neutralised value: no formatting, no links, no mentions. */
    public static String slackCode(String value) {
        return "`" + slack(value) + "`";
    }

    /** A subject line: printable ASCII only, one line, at most {@code max} characters. */
    public static String subject(String text, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c >= 0x20 && c < 0x7F ? c : (Character.isWhitespace(c) ? ' ' : '?'));
        }
        String s = sb.toString().replaceAll(" {2,}", " ").trim();
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    static String cut(String value, int maxChars) {
        if (value.length() <= maxChars) {
            return value;
        }
        int end = maxChars;
        if (Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;
        }
        return value.substring(0, end) + "\u2026(" + (value.length() - end) + " more characters)";
    }

    private static boolean isHidden(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp)
                || type == Character.FORMAT          // bidi overrides, zero-width joiners, soft hyphen
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE       // lone surrogates
                || type == Character.PRIVATE_USE
                || type == Character.UNASSIGNED;
    }

    /**
     * Breaks every link a mail or chat client could make: each {@code ://} becomes {@code [:]//} (and a preceding
     * {@code http}/{@code https} {@code hxxp}/{@code hxxps}), and each dot of a domain-like token becomes
     * {@code [.]}: a dot (or an ideographic/full-width dot, which IDNA reads as one) after a label character and
     * before a letter, in any script ({@code evil.рф}, {@code evil.中国}) and whatever follows the label
     * ({@code evil.example_x}, {@code evil.exampleé}). A hand scanner, one pass, no backtracking: a long value costs
     * linear time.
     */
    static String defang(String s) {
        StringBuilder out = null; // created at the first change
        int copied = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String replacement = null;
            int skip = 1;
            if (c == ':' && s.startsWith("//", i + 1)) {
                replacement = "[:]//";
                skip = 3;
            } else if (isDot(c) && i > 0 && i + 1 < s.length() && isLabelChar(s.codePointBefore(i))
                    && Character.isLetter(s.codePointAt(i + 1))) {
                replacement = "[.]";
            }
            if (replacement == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length() + 16);
            }
            out.append(s, copied, i);
            if (c == ':') {
                hxxp(out);
            }
            out.append(replacement);
            i += skip - 1;
            copied = i + 1;
        }
        return out == null ? s : out.append(s, copied, s.length()).toString();
    }

    /** {@code http} or {@code https} at the end of {@code out}, at the start of a word, becomes {@code hxxp(s)}. */
    private static void hxxp(StringBuilder out) {
        int n = out.length();
        int at = n >= 5 && (out.charAt(n - 1) | 0x20) == 's' ? n - 5 : n - 4;
        if (at < 0 || !out.substring(at, at + 4).equalsIgnoreCase("http")
                || (at > 0 && isWordChar(out.codePointBefore(at)))) {
            return;
        }
        out.replace(at, at + 4, "hxxp");
    }

    private static boolean isDot(char c) {
        return c == '.' || c == '\u3002' || c == '\uFF0E' || c == '\uFF61'; // . 。 ． ｡
    }

    private static boolean isLabelChar(int cp) {
        return Character.isLetterOrDigit(cp) || cp == '-' || cp == '_';
    }

    private static boolean isWordChar(int cp) {
        return Character.isLetterOrDigit(cp) || cp == '_';
    }
}
