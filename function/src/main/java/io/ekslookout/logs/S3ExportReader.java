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
 *
 * <p>The line cap applies to a record as a whole: a record — its timestamp line, then its continuation lines with
 * the line breaks between them — of {@code maxLineBytes} or more is counted once as "too long" (at the line where it
 * begins) and not delivered, nothing of it is (no cut-off message), and reading goes on at the next timestamp. So a
 * message read from an export is never longer than one read from JSON Lines with the same cap.
 */
final class S3ExportReader {
    private final int maxLineBytes;

    /** @param maxLineBytes the cap on one record: a longer one is counted as "too long" and reading goes on after it */
    S3ExportReader(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    void read(InputStream in, String file, String stream, String logGroup, Consumer<LogEvent> sink,
              ReadTally tally) throws IOException {
        BoundedLines reader = new BoundedLines(in, maxLineBytes);
        StringBuilder message = null;
        boolean dropping = false; // inside a skipped record: its continuation lines go with it
        long timestamp = 0;
        long recordLine = 0; // the line the current record began at
        long recordBytes = 0; // the current record's size so far, its line breaks included
        long lineNo = 0;
        int blanks = 0;
        String line;
        while ((line = reader.next()) != null) {
            lineNo++;
            if (line == BoundedLines.TOO_LONG) {
                if (startsWithTimestamp(reader.tooLongHead()) || (message == null && !dropping)) {
                    // a record of its own (or text outside any record): counted as the line it is
                    tally.skip(SkipReason.TOO_LONG, file, lineNo, "line longer than " + maxLineBytes
                            + " bytes, skipped (with the lines after it up to the next timestamp)");
                    if (message != null) {
                        emit(timestamp, message, stream, logGroup, sink, tally);
                        message = null;
                    }
                } else if (message != null) { // a continuation line: the record it continues is too long
                    tooLongRecord(file, recordLine, tally);
                    message = null;
                } // else: more of a record already counted
                dropping = true;
                continue;
            }
            int space = line.indexOf(' ');
            long ts = space > 0 ? timestampOrMin(line.substring(0, space)) : Long.MIN_VALUE;
            if (ts == Long.MIN_VALUE) {
                if (dropping) {
                    continue; // part of a record already counted
                }
                if (message == null) {
                    if (!line.isBlank()) {
                        tally.skip(SkipReason.NOT_AN_EVENT, file, lineNo,
                                "expected '<timestamp> <message>' (CloudWatch Logs export)");
                    }
                } else if (line.isEmpty()) {
                    blanks++; // kept only if more of the message follows
                } else {
                    recordBytes += blanks + 1 + reader.lineBytes();
                    if (recordBytes >= maxLineBytes) {
                        tooLongRecord(file, recordLine, tally);
                        message = null;
                        dropping = true;
                    } else {
                        message.append("\n".repeat(blanks + 1)).append(line); // a multi-line message
                    }
                    blanks = 0;
                }
                continue;
            }
            blanks = 0;
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
            recordLine = lineNo;
            recordBytes = reader.lineBytes();
            message = new StringBuilder(line.length()).append(line, space + 1, line.length());
        }
        if (message != null) {
            emit(timestamp, message, stream, logGroup, sink, tally);
        }
    }

    private void tooLongRecord(String file, long recordLine, ReadTally tally) {
        tally.skip(SkipReason.TOO_LONG, file, recordLine, "event longer than " + maxLineBytes
                + " bytes with its continuation lines, skipped");
    }

    /** True when the text starts with an export line's timestamp and a space. */
    private static boolean startsWithTimestamp(String head) {
        int space = head.indexOf(' ');
        return space > 0 && timestampOrMin(head.substring(0, space)) != Long.MIN_VALUE;
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
