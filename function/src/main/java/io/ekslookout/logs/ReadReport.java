package io.ekslookout.logs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a read pass saw. Every line read is either an event or counted in {@code malformed} under one named reason.
 *
 * @param events           events delivered
 * @param malformed        lines or records skipped, whatever the reason (never silently dropped: counted here)
 * @param malformedSamples the first few, each "file:line: what was wrong"
 * @param bytes            bytes read (uncompressed)
 * @param skippedByReason  the skipped count per {@link SkipReason#label()}, in the enum's order, reasons with a
 *                         zero count left out; the counts add up to {@code malformed}
 */
public record ReadReport(long events, long malformed, List<String> malformedSamples, long bytes,
                         Map<String, Long> skippedByReason) {
    public ReadReport {
        malformedSamples = List.copyOf(malformedSamples);
        skippedByReason = Collections.unmodifiableMap(new LinkedHashMap<>(skippedByReason));
    }

    /** A report without reasons (a source that skips nothing, e.g. events held in memory). */
    public ReadReport(long events, long malformed, List<String> malformedSamples, long bytes) {
        this(events, malformed, malformedSamples, bytes, Map.of());
    }

    /** The counts keyed by label, in the enum's order. */
    static Map<String, Long> labelled(Map<SkipReason, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (SkipReason r : SkipReason.values()) {
            Long n = counts.get(r);
            if (n != null && n > 0) {
                out.put(r.label(), n);
            }
        }
        return out;
    }

    /** "invalid JSON 2, missing timestamp 1" (empty when nothing was skipped). */
    public String reasonsText() {
        StringBuilder sb = new StringBuilder();
        skippedByReason.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(v));
        return sb.toString();
    }
}
