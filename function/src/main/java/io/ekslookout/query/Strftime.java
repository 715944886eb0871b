package io.ekslookout.query;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Locale;

/**
 * C {@code strftime} formatting for {@code formatDate}/{@code strftime}: the POSIX conversions plus {@code %L}
 * (milliseconds, 3 digits) and {@code %f} (microseconds, 6 digits, Python). Names are English; an unknown
 * conversion is copied as written (as glibc does), a trailing lone {@code %} too.
 */
final class Strftime {
    private Strftime() {
    }

    static String format(long millis, String pattern, ZoneId zone) {
        ZonedDateTime t = Instant.ofEpochMilli(millis).atZone(zone);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c != '%' || i + 1 == pattern.length()) {
                out.append(c);
                continue;
            }
            char d = pattern.charAt(++i);
            String expanded = conversion(d, t, millis);
            out.append(expanded != null ? expanded : "%" + d);
        }
        return out.toString();
    }

    private static String conversion(char d, ZonedDateTime t, long millis) {
        return switch (d) {
            case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case 'b', 'h' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
            case 'c' -> format(millis, "%a %b %e %H:%M:%S %Y", t.getZone());
            case 'C' -> two(Math.floorDiv(t.getYear(), 100));
            case 'd' -> two(t.getDayOfMonth());
            case 'D', 'x' -> format(millis, "%m/%d/%y", t.getZone());
            case 'e' -> pad(t.getDayOfMonth(), ' ');
            case 'F' -> format(millis, "%Y-%m-%d", t.getZone());
            case 'H' -> two(t.getHour());
            case 'I' -> two(twelve(t.getHour()));
            case 'j' -> String.format(Locale.ROOT, "%03d", t.getDayOfYear());
            case 'k' -> pad(t.getHour(), ' ');
            case 'l' -> pad(twelve(t.getHour()), ' ');
            case 'L' -> String.format(Locale.ROOT, "%03d", t.getNano() / 1_000_000);
            case 'f' -> String.format(Locale.ROOT, "%06d", t.getNano() / 1_000);
            case 'm' -> two(t.getMonthValue());
            case 'M' -> two(t.getMinute());
            case 'n' -> "\n";
            case 'p' -> t.getHour() < 12 ? "AM" : "PM";
            case 'R' -> format(millis, "%H:%M", t.getZone());
            case 's' -> Long.toString(Math.floorDiv(millis, 1000));
            case 'S' -> two(t.getSecond());
            case 't' -> "\t";
            case 'T', 'X' -> format(millis, "%H:%M:%S", t.getZone());
            case 'u' -> Integer.toString(t.getDayOfWeek().getValue());
            case 'w' -> Integer.toString(t.getDayOfWeek().getValue() % 7);
            case 'y' -> two(Math.floorMod(t.getYear(), 100));
            case 'Y' -> Integer.toString(t.getYear());
            case 'z' -> {
                int s = t.getOffset().getTotalSeconds();
                yield (s < 0 ? "-" : "+") + two(Math.abs(s) / 3600) + two(Math.abs(s) / 60 % 60);
            }
            case 'Z' -> t.getZone().getDisplayName(TextStyle.SHORT, Locale.ENGLISH);
            case '%' -> "%";
            default -> null;
        };
    }

    private static int twelve(int hour) {
        return hour % 12 == 0 ? 12 : hour % 12;
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    private static String pad(int v, char fill) {
        return v < 10 ? fill + Integer.toString(v) : Integer.toString(v);
    }
}
