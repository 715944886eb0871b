package io.ekslookout.export;

import io.ekslookout.detect.Finding;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * When a finding's events happened: the earliest and latest {@code @timestamp} of its rows, or the window's start
 * and end when the rows carry no readable timestamp (an aggregate rule, a query without {@code @timestamp}). The
 * rows are capped, so the times are those of the rows kept; the window bounds them.
 *
 * @param first the first event's time
 * @param last  the last event's time
 */
public record Observed(Instant first, Instant last) {
    public static Observed of(Finding f) {
        Instant first = null;
        Instant last = null;
        for (Map<String, String> row : f.rows()) {
            Instant t = parse(row.get("@timestamp"));
            if (t == null) {
                continue;
            }
            first = first == null || t.isBefore(first) ? t : first;
            last = last == null || t.isAfter(last) ? t : last;
        }
        if (first == null) {
            // windowEnd is exclusive: the last instant inside it is a millisecond before
            Instant end = f.windowEnd().isAfter(f.windowStart()) ? f.windowEnd().minusMillis(1) : f.windowEnd();
            return new Observed(f.windowStart(), end);
        }
        return new Observed(first, last);
    }

    /**
     * A row's {@code @timestamp}: Logs Insights writes {@code 2026-11-20 08:28:01.000} (UTC), exports may carry
     * ISO-8601 with a zone. Null when absent or unreadable (text from logs: never an exception).
     */
    static Instant parse(String ts) {
        if (ts == null || ts.isBlank() || ts.length() > 40) {
            return null;
        }
        String s = ts.strip();
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException notIso) {
            try {
                return LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                return null;
            }
        }
    }
}
