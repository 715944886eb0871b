package io.ekslookout.logs;

import java.util.ArrayList;
import java.util.List;

/** Mutable counters of one read pass; {@link #report()} freezes them into a {@link ReadReport}. */
final class ReadTally {
    /** How many malformed records are described in the report; the rest are only counted. */
    static final int MAX_SAMPLES = 10;

    long events;
    long malformed;
    long bytes;
    private final List<String> samples = new ArrayList<>();
    /** Where the event being delivered was read (set by the readers just before the sink sees it). */
    private String atFile;
    private long atLine;

    void at(String file, long line) {
        atFile = file;
        atLine = line;
    }

    /** "file:line" of the event the sink is handling, or null when the reader does not know it. */
    String location() {
        return atFile == null ? null : atFile + ":" + atLine;
    }

    void malformed(String file, long line, String what) {
        malformed++;
        if (samples.size() < MAX_SAMPLES) {
            samples.add(file + ":" + line + ": " + what);
        }
    }

    ReadReport report() {
        return new ReadReport(events, malformed, samples, bytes);
    }
}
