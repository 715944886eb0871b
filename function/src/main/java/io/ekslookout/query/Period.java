package io.ekslookout.query;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * A time period literal such as {@code 5m} or {@code 1h}. Amounts are clamped per unit as the service does
 * (ms &le; 1000, s &le; 60, m &le; 60, h &le; 24), so {@code bin(300s)} behaves as {@code bin(60s)}.
 * Days and weeks are fixed lengths (weeks aligned to Monday 00:00 UTC); months, quarters and years are
 * calendar units in UTC.
 */
record Period(long amount, Unit unit, String text) {
    enum Unit {
        MILLISECOND(1L), SECOND(1000L), MINUTE(60_000L), HOUR(3_600_000L), DAY(86_400_000L), WEEK(604_800_000L),
        MONTH(0), QUARTER(0), YEAR(0);

        final long millis;

        Unit(long millis) {
            this.millis = millis;
        }
    }

    /** Parses a unit spelling (case-insensitive), or returns null. */
    static Unit unit(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "ms", "msec", "msecs", "millisecond", "milliseconds" -> Unit.MILLISECOND;
            case "s", "sec", "secs", "second", "seconds" -> Unit.SECOND;
            case "m", "min", "mins", "minute", "minutes" -> Unit.MINUTE;
            case "h", "hr", "hrs", "hour", "hours" -> Unit.HOUR;
            case "d", "day", "days" -> Unit.DAY;
            case "w", "week", "weeks" -> Unit.WEEK;
            case "mo", "mon", "mons", "month", "months" -> Unit.MONTH;
            case "q", "qtr", "qtrs", "quarter", "quarters" -> Unit.QUARTER;
            case "y", "yr", "yrs", "year", "years" -> Unit.YEAR;
            default -> null;
        };
    }

    /** The amount after the service's caps. */
    long effectiveAmount() {
        long a = Math.max(1, amount);
        return switch (unit) {
            case MILLISECOND -> Math.min(a, 1000);
            case SECOND, MINUTE -> Math.min(a, 60);
            case HOUR -> Math.min(a, 24);
            default -> a;
        };
    }

    private static final long MONDAY_OFFSET = 4 * 86_400_000L; // 1970-01-05 was a Monday

    /** Start of the bucket containing {@code ts} (epoch ms). */
    long floor(long ts) {
        long a = effectiveAmount();
        switch (unit) {
            case MONTH, QUARTER, YEAR -> {
                ZonedDateTime t = Instant.ofEpochMilli(ts).atZone(ZoneOffset.UTC);
                long months = unit == Unit.MONTH ? a : unit == Unit.QUARTER ? 3 * a : 12 * a;
                long index = (t.getYear() - 1970L) * 12 + (t.getMonthValue() - 1);
                long start = Math.floorDiv(index, months) * months;
                return ZonedDateTime.of((int) (1970 + Math.floorDiv(start, 12)), Math.floorMod(start, 12) + 1, 1,
                        0, 0, 0, 0, ZoneOffset.UTC).toInstant().toEpochMilli();
            }
            case WEEK -> {
                long p = a * unit.millis;
                return Math.floorDiv(ts - MONDAY_OFFSET, p) * p + MONDAY_OFFSET;
            }
            default -> {
                long p = a * unit.millis;
                return Math.floorDiv(ts, p) * p;
            }
        }
    }

    /** Smallest bucket boundary at or after {@code ts}; a value on a boundary is unchanged. */
    long ceil(long ts) {
        long f = floor(ts);
        if (f == ts) {
            return ts;
        }
        return switch (unit) {
            case MONTH, QUARTER, YEAR -> {
                long months = effectiveAmount() * (unit == Unit.MONTH ? 1 : unit == Unit.QUARTER ? 3 : 12);
                yield Instant.ofEpochMilli(f).atZone(ZoneOffset.UTC).plusMonths(months).toInstant().toEpochMilli();
            }
            default -> f + effectiveAmount() * unit.millis;
        };
    }
}
