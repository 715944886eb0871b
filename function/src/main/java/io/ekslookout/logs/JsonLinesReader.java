package io.ekslookout.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.ekslookout.query.LogEvent;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads a file of one JSON object per line: CloudWatch Logs events (format b) or raw Kubernetes audit events
 * (format c), recognized per line. Works over one reused byte buffer (memory stays flat whatever the file size;
 * one line is capped at {@link #maxLineBytes}). A line first goes through {@link FastLine}, a hand parser that
 * reads the common CloudWatch event shape in one pass and finds the line's end as it goes; any other line
 * (audit events, non-ASCII text, nested values, invalid JSON) is read with a Jackson streaming parser over the
 * line's bytes, building no tree, which also says precisely what is wrong with a malformed line.
 */
final class JsonLinesReader {
    static final int DEFAULT_MAX_LINE_BYTES = 64 << 20;

    private final JsonFactory factory;
    private final int maxLineBytes;
    private final EventFields fields = new EventFields();
    private final FastLine fast = new FastLine();
    private final boolean fastPath;

    /** The buffer a read starts with, kept for the next read (a parallel read's worker reads chunk after chunk). */
    private byte[] firstBuffer;

    /** How a line longer than the cap is described. */
    static String tooLong(int maxLineBytes) {
        return "line longer than " + maxLineBytes + " bytes, skipped";
    }

    JsonLinesReader(JsonFactory factory, int maxLineBytes, boolean fastPath) {
        this.factory = factory;
        this.maxLineBytes = maxLineBytes;
        this.fastPath = fastPath;
    }

    /**
     * Reads every line of {@code in}, delivering events to {@code sink} and counting the rest in {@code tally}.
     *
     * @return the line breaks read ('\n'): the lines before whatever follows {@code in} (a parallel read's next
     *         chunk)
     */
    long read(InputStream in, String file, String logGroup, Consumer<LogEvent> sink, ReadTally tally)
            throws IOException {
        if (firstBuffer == null) {
            firstBuffer = new byte[Math.min(1 << 20, maxLineBytes)];
        }
        byte[] buf = firstBuffer;
        int start = 0; // first byte of the current line
        int end = 0; // end of the valid data
        int scan = 0; // where the slow path's newline search resumes
        long lineNo = 0;
        boolean eof = false;
        boolean skipping = false; // inside a line longer than maxLineBytes
        boolean slow = false; // the fast path gave up on the current line
        RawEventSink raw = fastPath && sink instanceof RawEventSink r ? r : null;
        fast.deferMessage = raw != null;
        while (true) {
            if (skipping) {
                int nl = indexOfNewline(buf, start, end);
                if (nl >= 0) {
                    lineNo++;
                    skipping = false;
                    start = nl + 1;
                    scan = start;
                    continue;
                }
                start = 0;
                end = 0;
                scan = 0;
                if (eof) {
                    return lineNo;
                }
            } else if (start < end || eof) {
                if (fastPath && !slow) {
                    if (raw != null) {
                        fast.deferMessage = raw.wantsUnread();
                    }
                    int r = fast.parse(buf, start, end, eof, fields);
                    if (r == FastLine.OK) {
                        lineNo++;
                        if (!fast.deferMessage || !skippedUnread(raw, file, lineNo, logGroup, tally)) {
                            if (fast.deferMessage) {
                                fields.message = fast.decodeMessage();
                                fields.eventId = fast.eventId();
                            }
                            deliver(fields.toCloudWatchEvent(null, logGroup), file, lineNo, sink, tally);
                        }
                        if (fast.lineEnd >= end) {
                            return lineNo - 1; // the last line, without a newline: nothing after it (start must stay <= end)
                        }
                        start = fast.lineEnd + 1;
                        continue;
                    }
                    if (r == FastLine.BLANK) {
                        if (fast.lineEnd >= end) {
                            return lineNo; // trailing blanks at the end of the input
                        }
                        lineNo++;
                        start = fast.lineEnd + 1;
                        continue;
                    }
                    if (r == FastLine.FALLBACK) {
                        slow = true;
                        scan = start;
                    }
                }
                if (slow || !fastPath) {
                    int nl = indexOfNewline(buf, scan, end);
                    if (nl >= 0) {
                        lineNo++;
                        line(buf, start, nl, file, lineNo, logGroup, sink, tally);
                        start = nl + 1;
                        scan = start;
                        slow = false;
                        continue;
                    }
                    if (eof) {
                        if (start < end) {
                            line(buf, start, end, file, lineNo + 1, logGroup, sink, tally);
                        }
                        return lineNo;
                    }
                    scan = end;
                }
            } else if (eof) {
                return lineNo;
            }
            // need more data: make room, then read
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                scan -= start;
                start = 0;
            } else if (end == buf.length) {
                if (buf.length >= maxLineBytes) {
                    tally.skip(SkipReason.TOO_LONG, file, lineNo + 1, tooLong(maxLineBytes));
                    skipping = true;
                    slow = false;
                    end = 0;
                    scan = 0;
                } else {
                    buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxLineBytes));
                }
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                eof = true;
            } else {
                end += n;
                tally.bytes += n;
            }
        }
    }

    /**
     * Offers the line just parsed by the fast path, message undecoded, to a sink that may be done with it; only a
     * line that makes a valid event is offered (anything else goes the usual way and is reported as before).
     */
    private boolean skippedUnread(RawEventSink raw, String file, long lineNo, String logGroup, ReadTally tally) {
        EventFields f = fields;
        if (f.problem != null || !f.hasTimestamp || f.logStream == null) {
            return false;
        }
        tally.at(file, lineNo);
        if (!raw.skipsUnread(f.timestamp, f.hasIngestionTime ? f.ingestionTime : f.timestamp, f.logStream, logGroup,
                fast.message)) {
            return false;
        }
        tally.events++;
        return true;
    }

    private void deliver(LogEvent event, String file, long lineNo, Consumer<LogEvent> sink, ReadTally tally) {
        if (event == null) {
            tally.skip(fields.reason, file, lineNo, fields.problem);
            return;
        }
        tally.events++;
        tally.at(file, lineNo);
        sink.accept(event);
    }

    private static int indexOfNewline(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    void line(byte[] buf, int from, int to, String file, long lineNo, String logGroup,
                      Consumer<LogEvent> sink, ReadTally tally) throws IOException {
        while (to > from && isSpace(buf[to - 1])) {
            to--;
        }
        while (from < to && isSpace(buf[from])) {
            from++;
        }
        if (to - from >= 3 && isBom(buf, from)) { // a BOM at the start of a line: files concatenated with cat
            from += 3;
            while (from < to && isSpace(buf[from])) {
                from++;
            }
        }
        if (from == to) {
            return; // a blank line is not a record
        }
        int len = to - from;
        LogEvent event;
        try (JsonParser p = factory.createParser(buf, from, len)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                tally.skip(t == null ? SkipReason.INVALID_JSON : SkipReason.NOT_AN_EVENT, file, lineNo,
                        "expected a JSON object, found " + EventFields.describe(t));
                return;
            }
            fields.read(p);
            if (p.nextToken() != null) {
                tally.skip(SkipReason.INVALID_JSON, file, lineNo, "unexpected data after the JSON object");
                return;
            }
        } catch (JsonProcessingException e) {
            // Jackson's limit errors (StreamConstraintsException) carry no location
            SkipReason why = reasonOf(e);
            tally.skip(why, file, lineNo, (e.getLocation() == null ? why.label() + ": "
                    : "invalid JSON at column " + e.getLocation().getColumnNr() + ": ")
                    + firstLine(e.getOriginalMessage()));
            return;
        } catch (java.io.CharConversionException e) {
            // Jackson guessed UTF-16/32 from NUL bytes and found no such text: not a JsonProcessingException
            tally.skip(SkipReason.INVALID_JSON, file, lineNo,
                    "invalid JSON: not UTF-8 text (" + firstLine(e.getMessage()) + ")");
            return;
        }
        if (fields.isEventList()) {
            eventList(buf, from, len, file, lineNo, logGroup, sink, tally);
            return;
        }
        if (fields.isCloudWatchEvent()) {
            event = fields.toCloudWatchEvent(null, logGroup);
        } else {
            event = fields.toAuditEvent(new String(buf, from, len, StandardCharsets.UTF_8), logGroup, null);
        }
        if (event == null) {
            tally.skip(fields.reason, file, lineNo, fields.problem);
            return;
        }
        tally.events++;
        tally.at(file, lineNo);
        sink.accept(event);
    }

    /**
     * The items of an audit {@code EventList} on one line, each delivered as an audit event whose message is the
     * item's own text (a slice of the line, byte for byte) at the line's location; an item that is not a usable
     * audit event is counted under its reason as "EventList item N: ...", so none is dropped in silence.
     */
    private void eventList(byte[] buf, int from, int len, String file, long lineNo, String logGroup,
                           Consumer<LogEvent> sink, ReadTally tally) throws IOException {
        try (JsonParser p = factory.createParser(buf, from, len)) {
            p.nextToken(); // START_OBJECT, checked by the caller's first pass
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (!name.equals("items") || v != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                int n = 0;
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    n++;
                    if (t != JsonToken.START_OBJECT) {
                        tally.skip(SkipReason.NOT_AN_EVENT, file, lineNo, "EventList item " + n
                                + ": expected an audit event object, found " + EventFields.describe(t));
                        p.skipChildren();
                        continue;
                    }
                    int itemFrom = from + (int) p.currentTokenLocation().getByteOffset();
                    fields.read(p);
                    int itemTo = from + (int) p.currentLocation().getByteOffset();
                    LogEvent event = fields.toAuditEvent(
                            new String(buf, itemFrom, itemTo - itemFrom, StandardCharsets.UTF_8), logGroup, null);
                    if (event == null) {
                        tally.skip(fields.reason, file, lineNo, "EventList item " + n + ": " + fields.problem);
                        continue;
                    }
                    tally.events++;
                    tally.at(file, lineNo);
                    sink.accept(event);
                }
            }
        }
    }

    /** The UTF-8 byte order mark EF BB BF at {@code i}. */
    static boolean isBom(byte[] b, int i) {
        return (b[i] & 0xff) == 0xef && (b[i + 1] & 0xff) == 0xbb && (b[i + 2] & 0xff) == 0xbf;
    }

    /**
     * The reason a Jackson error is counted under: Jackson's own limits (nesting depth, string length) are
     * "too deep" and "too long"; anything else is invalid JSON.
     */
    static SkipReason reasonOf(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
            String m = String.valueOf(e.getOriginalMessage()).toLowerCase(java.util.Locale.ROOT);
            return m.contains("depth") ? SkipReason.TOO_DEEP : SkipReason.TOO_LONG;
        }
        return SkipReason.INVALID_JSON;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    static String firstLine(String s) {
        if (s == null) {
            return "malformed";
        }
        int i = s.indexOf('\n');
        return Timestamps.abbreviate(i < 0 ? s : s.substring(0, i));
    }
}
