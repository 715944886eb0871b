package io.ekslookout.logs;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Mutable counters of one read pass; {@link #report()} freezes them into a {@link ReadReport}. A parallel read
 * ({@link ParallelLines}) gives each chunk a tally of its own that records instead of counting, and replays it into
 * the read's tally in file order.
 */
class ReadTally {
    /** How many skipped records are described in the report; the rest are only counted (by reason). */
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

    /** The line of the event being delivered (see {@link #at}). */
    long atLine() {
        return atLine;
    }

    /** "file:line" of the event the sink is handling, or null when the reader does not know it. */
    String location() {
        return atFile == null ? null : atFile + ":" + atLine;
    }
    private final Map<SkipReason, Long> byReason = new EnumMap<>(SkipReason.class);

    /** Counts one line or record that was not evaluated, under its reason, described if among the first ten. */
    void skip(SkipReason reason, String file, long line, String what) {
        malformed++;
        byReason.merge(reason, 1L, Long::sum);
        if (samples.size() < MAX_SAMPLES) {
            samples.add(file + ":" + line + ": " + what);
        }
    }

    /** Counts {@code n} more lines skipped for {@code reason}, past the described ones (a chunk's rest). */
    void skipped(SkipReason reason, long n) {
        malformed += n;
        byReason.merge(reason, n, Long::sum);
    }

    ReadReport report() {
        return new ReadReport(events, malformed, samples, bytes, ReadReport.labelled(byReason));
    }
}
