package io.ekslookout.settings;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a duration setting without ever throwing: ISO-8601 ({@code PT5M}, {@code pt5m}) or a whole number and a
 * unit ({@code 90s}, {@code 5m}, {@code 5 minutes}, {@code 1h}, {@code 1d}). A value too large for {@link Duration}
 * (or for a later {@code toMillis()}) is not an exception: it is {@link #TOO_LARGE}, which every bounded setting
 * reports as over its limit.
 */
public final class SettingsDuration {
    /** Stands for a value beyond any bound: more than {@link #CEILING}, or beyond what a Duration holds. */
    public static final Duration TOO_LARGE = Duration.ofSeconds(Long.MAX_VALUE);
    /**
     * Larger parsed values are mapped to {@link #TOO_LARGE}: every bound in {@link RunSettings} is far below it, and
     * below it {@code toMillis()} and {@code Instant} arithmetic cannot overflow.
     */
    static final Duration CEILING = Duration.ofDays(365 * 1000L);

    private static final Pattern SHORT = Pattern.compile(
            "(\\d+)\\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?)");

    private SettingsDuration() {
    }

    /** The duration, {@link #TOO_LARGE}, or null when {@code text} is not a duration at all. */
    public static Duration parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.isEmpty()) {
            return null;
        }
        String upper = s.toUpperCase(Locale.ROOT);
        if (upper.startsWith("P") || upper.startsWith("-P") || upper.startsWith("+P")) {
            try {
                return capped(Duration.parse(upper));
            } catch (DateTimeParseException e) {
                // Duration.parse wraps an overflow (ArithmeticException, NumberFormatException) the same way
                return e.getCause() instanceof ArithmeticException || e.getCause() instanceof NumberFormatException
                        ? TOO_LARGE : null;
            }
        }
        Matcher m = SHORT.matcher(s.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        String digits = m.group(1).replaceFirst("^0+(?=\\d)", "");
        if (digits.length() > 12) { // more than 10^12 seconds is more than CEILING in any unit
            return TOO_LARGE;
        }
        long n = Long.parseLong(digits);
        Duration d = switch (m.group(2).charAt(0)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        return capped(d);
    }

    private static Duration capped(Duration d) {
        return d.compareTo(CEILING) > 0 ? TOO_LARGE : d;
    }

    /** A duration as people write it: {@code 5m}, {@code 1h30m}, {@code 90s}, {@code 1d}; ISO-8601 for fractions. */
    public static String show(Duration d) {
        if (d == TOO_LARGE) {
            return "too large";
        }
        if (d.isNegative() || d.getNano() != 0) {
            return d.toString();
        }
        long s = d.getSeconds();
        if (s == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        long[] units = {86_400, 3_600, 60, 1};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (s >= units[i]) {
                out.append(s / units[i]).append(names[i]);
                s %= units[i];
            }
        }
        return out.toString();
    }
}
