package io.ekslookout.logs;

import io.ekslookout.query.LogEvent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads what a CloudWatch Logs export task ({@code aws logs create-export-task}) writes to S3: per log stream a
 * folder of gzip objects ({@code <task>/<stream>/000000.gz}) whose lines are {@code <RFC 3339 timestamp> <message>}.
 * The stream is the folder's name. A message that spans lines continues until the next line that starts with a
 * timestamp.
 */
final class S3ExportReader {
    private static final int MAX_MESSAGE_CHARS = 1 << 20;

    private final int maxLineBytes;

    /** @param maxLineBytes the cap on one line: a longer one is counted as "too long" and reading goes on after it */
    S3ExportReader(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    void read(InputStream in, String file, String stream, String logGroup, Consumer<LogEvent> sink,
              ReadTally tally) throws IOException {
        BoundedLines reader = new BoundedLines(in, maxLineBytes);
        StringBuilder message = null;
        boolean dropping = false; // inside a skipped message: its continuation lines go with it
        boolean cut = false; // the current message reached MAX_MESSAGE_CHARS (counted once)
        long timestamp = 0;
        long lineNo = 0;
        int blanks = 0;
        String line;
        while ((line = reader.next()) != null) {
            lineNo++;
            if (line == BoundedLines.TOO_LONG) {
                tally.skip(SkipReason.TOO_LONG, file, lineNo, "line longer than " + maxLineBytes + " bytes, skipped"
                        + " (with the lines after it up to the next timestamp)");
                if (message != null) {
                    emit(timestamp, message, stream, logGroup, sink, tally);
                    message = null;
                }
                dropping = true; // whether it began a message or continued one, what follows belongs to it
                continue;
            }
            int space = line.indexOf(' ');
            long ts = space > 0 ? timestampOrMin(line.substring(0, space)) : Long.MIN_VALUE;
            if (ts == Long.MIN_VALUE) {
                if (dropping) {
                    continue; // part of a message already counted
                }
                if (message == null) {
                    if (!line.isBlank()) {
                        tally.skip(SkipReason.NOT_AN_EVENT, file, lineNo,
                                "expected '<timestamp> <message>' (CloudWatch Logs export)");
                    }
                } else if (line.isEmpty()) {
                    blanks++; // kept only if more of the message follows
                } else if (message.length() < MAX_MESSAGE_CHARS) {
                    message.append("\n".repeat(blanks + 1)).append(line); // a multi-line message
                    blanks = 0;
                } else if (!cut) {
                    cut = true;
                    tally.skip(SkipReason.TOO_LONG, file, lineNo, "message longer than " + MAX_MESSAGE_CHARS
                            + " characters: the lines from here to the next timestamp were not read");
                }
                continue;
            }
            blanks = 0;
            cut = false;
            if (message != null) {
                emit(timestamp, message, stream, logGroup, sink, tally);
                message = null;
            }
            if (ts < Timestamps.MIN_MILLIS || ts > Timestamps.MAX_MILLIS) {
                dropping = true;
                tally.skip(SkipReason.OUT_OF_RANGE, file, lineNo, "timestamp " + Timestamps.outOfRange(
                        "\"" + line.substring(0, space) + "\"").getMessage());
                continue;
            }
            dropping = false;
            timestamp = ts;
            message = new StringBuilder(line.length()).append(line, space + 1, line.length());
        }
        if (message != null) {
            emit(timestamp, message, stream, logGroup, sink, tally);
        }
    }

    private static void emit(long ts, StringBuilder message, String stream, String logGroup, Consumer<LogEvent> sink,
                             ReadTally tally) {
        tally.events++;
        sink.accept(new LogEvent(ts, ts, message.toString(), stream, logGroup, null));
    }

    static long timestampOrMin(String s) {
        if (s.length() < 20 || s.charAt(4) != '-' || s.charAt(10) != 'T') {
            return Long.MIN_VALUE;
        }
        try {
            return Timestamps.parseIsoMillis(s);
        } catch (IllegalArgumentException e) {
            return Long.MIN_VALUE;
        }
    }

    /** True when the text starts like an export line: an RFC 3339 timestamp, then a space. */
    static boolean looksLikeExportLine(byte[] head, int from) {
        int end = from;
        while (end < head.length && end - from < 40 && head[end] != ' ' && head[end] != '\n') {
            end++;
        }
        if (end >= head.length || head[end] != ' ') {
            return false;
        }
        return timestampOrMin(new String(head, from, end - from, StandardCharsets.US_ASCII)) != Long.MIN_VALUE;
    }
}
