package io.ekslookout.rules;

import java.util.List;
import java.util.Map;
import io.ekslookout.query.Regex;


/**
 * Rows a rule must not report: field → values. A value written {@code /regex/} matches when the regex is found in
 * the field (anchor it with ^ and $ for a whole match); any other value must equal the field exactly. Regexes are
 * RE2 ({@link Regex}): matching is linear in the value, which comes from a log line, so no value can stall a run.
 */
public record Suppression(Map<String, List<Matcher>> byField) {
    public Suppression {
        byField = Map.copyOf(byField);
    }

    public static final Suppression NONE = new Suppression(Map.of());

    /** One suppressing value: exact text or a compiled regex. */
    public record Matcher(String text, Regex regex) {
        public boolean matches(String value) {
            if (value == null) {
                return false;
            }
            return regex != null ? regex.find(value) : text.equals(value);
        }

        @Override
        public String toString() {
            return regex != null ? regex.toString() : text;
        }
    }

    /** Turns "/re/" into a regex matcher (throws {@link Regex.Refused} if RE2 refuses it), anything else into text. */
    public static Matcher matcher(String written) {
        if (isRegex(written)) {
            return new Matcher(written, Regex.compile(written.substring(1, written.length() - 1)));
        }
        return new Matcher(written, null);
    }

    static boolean isRegex(String written) {
        return written.length() >= 2 && written.startsWith("/") && written.endsWith("/");
    }

    /** True when any field of the row matches one of its suppressing values. */
    public boolean suppresses(Map<String, String> row) {
        for (Map.Entry<String, List<Matcher>> e : byField.entrySet()) {
            String v = row.get(e.getKey());
            for (Matcher m : e.getValue()) {
                if (m.matches(v)) {
                    return true;
                }
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return byField.isEmpty();
    }
}
