package io.ekslookout.logs;

import io.ekslookout.query.LogEvent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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

    void read(InputStream in, String file, String stream, String logGroup, Consumer<LogEvent> sink,
              ReadTally tally) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        StringBuilder message = null;
        long timestamp = 0;
        long lineNo = 0;
        int blanks = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            lineNo++;
            int space = line.indexOf(' ');
            long ts = space > 0 ? timestampOrMin(line.substring(0, space)) : Long.MIN_VALUE;
            if (ts == Long.MIN_VALUE) {
                if (message == null) {
                    if (!line.isBlank()) {
                        tally.malformed(file, lineNo, "expected '<timestamp> <message>' (CloudWatch Logs export)");
                    }
                } else if (line.isEmpty()) {
                    blanks++; // kept only if more of the message follows
                } else if (message.length() < MAX_MESSAGE_CHARS) {
                    message.append("\n".repeat(blanks + 1)).append(line); // a multi-line message
                    blanks = 0;
                }
                continue;
            }
            blanks = 0;
            if (message != null) {
                emit(timestamp, message, stream, logGroup, sink, tally);
            }
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
