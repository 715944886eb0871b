package io.ekslookout.logs;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * Timestamps on the read path: fast RFC 3339 parsing (audit {@code stageTimestamp}, string timestamps), epoch
 * numbers in any of four units told apart by magnitude, and the range an event's time must fall in. Nothing here
 * overflows: an instant a long of milliseconds cannot hold is an {@link OutOfRange}, not an ArithmeticException.
 */
final class Timestamps {
    /** 1970-01-01T00:00:00Z: the earliest accepted instant (rules' windows and the Lambda's never reach before). */
    static final long MIN_MILLIS = 0L;
    /** 9999-12-31T23:59:59.999Z: the latest accepted instant (4-digit years, as RFC 3339 writes them). */
    static final long MAX_MILLIS = 253_402_300_799_999L;

    /**
     * Epoch numbers below this are seconds, up to {@link #MILLIS_BELOW} milliseconds, up to {@link #MICROS_BELOW}
     * microseconds, above that nanoseconds. Each unit's range then starts in 1973 at the latest and reaches past
     * the year 5000 (nanoseconds: 2262, the end of a long), so an epoch value of today in any unit is read right.
     */
    static final long SECONDS_BELOW = 100_000_000_000L; // 1e11 s = 5138-11-16; 1e11 ms = 1973-03-03
    static final long MILLIS_BELOW = 100_000_000_000_000L; // 1e14
    static final long MICROS_BELOW = 100_000_000_000_000_000L; // 1e17

    /** A timestamp that is well formed but outside 1970-01-01..9999-12-31. */
    static final class OutOfRange extends IllegalArgumentException {
        OutOfRange(String message) {
            super(message, null);
        }
    }
    private static final DateTimeFormatter STRICT =
            DateTimeFormatter.ISO_OFFSET_DATE_TIME.withResolverStyle(ResolverStyle.STRICT);

    private Timestamps() {
    }

    /**
     * Parses {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|+hh:mm|-hh:mm)} to epoch milliseconds (fraction truncated to ms).
     *
     * @throws IllegalArgumentException when the text is not such a timestamp
     */
    static long parseIsoMillis(String s) {
        int n = s.length();
        if (n >= 20 && s.charAt(4) == '-' && s.charAt(7) == '-' && (s.charAt(10) == 'T' || s.charAt(10) == 't')
                && s.charAt(13) == ':' && s.charAt(16) == ':') {
            int year = digits(s, 0, 4);
            int month = digits(s, 5, 2);
            int day = digits(s, 8, 2);
            int hour = digits(s, 11, 2);
            int minute = digits(s, 14, 2);
            int second = digits(s, 17, 2);
            int i = 19;
            int millis = 0;
            if (i < n && s.charAt(i) == '.') {
                i++;
                int start = i;
                while (i < n && isDigit(s.charAt(i))) {
                    if (i - start < 3) {
                        millis = millis * 10 + (s.charAt(i) - '0');
                    }
                    i++;
                }
                if (i == start) {
                    return fallback(s);
                }
                for (int k = i - start; k < 3; k++) {
                    millis *= 10;
                }
            }
            long offsetSeconds;
            if (i == n - 1 && (s.charAt(i) == 'Z' || s.charAt(i) == 'z')) {
                offsetSeconds = 0;
            } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
                int oh = digits(s, i + 1, 2);
                int om = digits(s, i + 4, 2);
                if (oh < 0 || om < 0) {
                    return fallback(s);
                }
                offsetSeconds = (oh * 3600L + om * 60L) * (s.charAt(i) == '-' ? -1 : 1);
            } else {
                return fallback(s);
            }
            if (year < 0 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month)
                    || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
                return fallback(s);
            }
            long days = daysFromCivil(year, month, day);
            long secs = days * 86400L + hour * 3600L + minute * 60L + second - offsetSeconds;
            return secs * 1000L + millis;
        }
        return fallback(s);
    }

    private static long fallback(String s) {
        try {
            java.time.Instant instant = OffsetDateTime.parse(s, STRICT).toInstant();
            if (instant.isBefore(java.time.Instant.ofEpochMilli(MIN_MILLIS - 1))
                    || instant.isAfter(java.time.Instant.ofEpochMilli(MAX_MILLIS + 1))) {
                throw outOfRange("\"" + abbreviate(s) + "\"");
            }
            return instant.toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an RFC 3339 timestamp: \"" + abbreviate(s) + "\"");
        }
    }

    /**
     * Parses an RFC 3339 timestamp and checks it is in range.
     *
     * @throws OutOfRange               when it is a timestamp outside 1970..9999
     * @throws IllegalArgumentException when it is not a timestamp
     */
    static long parseIsoInRange(String s) {
        return checkRange(parseIsoMillis(s), "\"" + abbreviate(s) + "\"");
    }

    /** The instant of an epoch number in seconds, milliseconds, microseconds or nanoseconds (by magnitude). */
    static long fromEpochNumber(long v) {
        if (v < 0) {
            throw outOfRange(Long.toString(v));
        }
        if (v < SECONDS_BELOW) {
            return v * 1000L;
        }
        if (v < MILLIS_BELOW) {
            return v;
        }
        if (v < MICROS_BELOW) {
            return v / 1000L;
        }
        return v / 1_000_000L;
    }

    /** The same for a number with a fraction or an exponent (1.7e9, 1700000000.25, 1e300). */
    static long fromEpochNumber(double v) {
        double ms;
        if (!(v >= 0)) { // negative or NaN
            throw outOfRange(Double.toString(v));
        } else if (v < SECONDS_BELOW) {
            ms = v * 1000;
        } else if (v < MILLIS_BELOW) {
            ms = v;
        } else if (v < MICROS_BELOW) {
            ms = v / 1e3;
        } else if (v < 1e20) {
            ms = v / 1e6;
        } else {
            throw outOfRange(Double.toString(v));
        }
        return (long) Math.floor(ms);
    }

    /** The value when it is in 1970..9999, else an {@link OutOfRange} naming {@code shown}. */
    static long checkRange(long millis, String shown) {
        if (millis < MIN_MILLIS || millis > MAX_MILLIS) {
            throw outOfRange(shown);
        }
        return millis;
    }

    static OutOfRange outOfRange(String shown) {
        return new OutOfRange(shown + " is outside 1970-01-01..9999-12-31");
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int monthLength(int year, int month) {
        switch (month) {
            case 2:
                return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4: case 6: case 9: case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
    private static long daysFromCivil(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = (y >= 0 ? y : y - 399) / 400;
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }
}
