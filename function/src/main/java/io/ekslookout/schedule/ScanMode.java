package io.ekslookout.schedule;

import java.util.Locale;

/**
 * How the scheduled runs divide time between them (see {@link WindowPlanner} for the reasons and the cost of each).
 */
public enum ScanMode {
    /**
     * Tile {@code @ingestionTime}, scan {@code @timestamp} with a lookback: late events are seen up to the lookback
     * late, latency about period + settle delay, each byte scanned {@code (period + lookback) / period} times.
     */
    INGESTION("ingestion"),
    /**
     * Tile {@code @timestamp} a scan delay D behind the tick, no ingestion filter: each byte scanned once, latency
     * about D + period, an event delivered more than D after its timestamp may be missed.
     */
    EVENT_TIME("event-time");

    private final String label;

    ScanMode(String label) {
        this.label = label;
    }

    /** The setting's value: {@code ingestion} or {@code event-time}. */
    public String label() {
        return label;
    }

    /** The mode named {@code text} (its label, case and surrounding spaces ignored, '_' for '-'), or null. */
    public static ScanMode parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (ScanMode m : values()) {
            if (m.label.equals(t)) {
                return m;
            }
        }
        return null;
    }
}
