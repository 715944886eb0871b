package io.ekslookout.cli;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * Parses the {@code --since}/{@code --until} arguments of the CLI. A time is either
 * <ul>
 *   <li>an instant: {@code 2026-11-20T10:00:00Z}, with an offset ({@code 2026-11-20T12:00:00+02:00}), a local
 *   date-time read as UTC ({@code 2026-11-20T10:00}), or a date meaning its start in UTC ({@code 2026-11-20});</li>
 *   <li>a duration back from now: a number and a unit — {@code ms}, {@code s}, {@code m}, {@code h}, {@code d},
 *   {@code w} ({@code 90s}, {@code 30m}, {@code 2h}, {@code 7d}) — or an ISO-8601 duration ({@code PT2H});</li>
 *   <li>{@code now}.</li>
 * </ul>
 */
public final class TimeArgs {
    private TimeArgs() {
    }

    /**
     * The instant the text names, durations counting back from {@code now}.
     *
     * @throws IllegalArgumentException with a message saying what is accepted
     */
    public static Instant parse(String text, Instant now) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty time; " + ACCEPTED);
        }
        String s = text.trim();
        if (s.equalsIgnoreCase("now")) {
            return now;
        }
        Duration ago = parseDurationOrNull(s);
        if (ago != null) {
            if (ago.isNegative()) {
                throw new IllegalArgumentException("negative duration '" + text + "'; " + ACCEPTED);
            }
            return now.minus(ago);
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeException ignored) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException ignored) {
            // try the next form
        }
        try {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeException ignored) {
            // fall through
        }
        throw new IllegalArgumentException("cannot read time '" + text + "'; " + ACCEPTED);
    }

    /** A duration such as {@code 30m}, {@code 2h}, {@code 7d} or {@code PT2H}, or null when the text is not one. */
    public static Duration parseDurationOrNull(String text) {
        String s = text.trim();
        if (s.length() >= 2 && (s.charAt(0) == 'P' || s.charAt(0) == 'p')) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeException e) {
                return null;
            }
        }
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0 || i == s.length() || i > 12) {
            return null;
        }
        long n = Long.parseLong(s.substring(0, i));
        switch (s.substring(i).toLowerCase(Locale.ROOT)) {
            case "ms":
                return Duration.ofMillis(n);
            case "s":
                return Duration.ofSeconds(n);
            case "m":
            case "min":
                return Duration.ofMinutes(n);
            case "h":
                return Duration.ofHours(n);
            case "d":
                return Duration.ofDays(n);
            case "w":
                return Duration.ofDays(7 * n);
            default:
                return null;
        }
    }

    static final String ACCEPTED = "expected an ISO-8601 time (2026-11-20T10:00:00Z, 2026-11-20), a duration back"
            + " from now (90s, 30m, 2h, 7d, 2w, PT2H) or 'now'";
}
