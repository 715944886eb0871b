package io.ekslookout.logs;

import io.ekslookout.query.LogEvent;
import io.ekslookout.query.RawMessage;

import java.util.function.Consumer;

/**
 * A sink that may be done with an event before its message is decoded (the batch prefilter rules it out on the raw
 * text: {@link io.ekslookout.query.QueryBatch#skipsUnread}). The JSON Lines fast path asks it first, after checking
 * the whole line as usual (a malformed line is reported exactly as before), and decodes the message and calls
 * {@link #accept} only when it answers false.
 */
public interface RawEventSink extends Consumer<LogEvent> {
    /** True when the sink has handled the event as it would have in {@link #accept}; false: nothing was done. */
    boolean skipsUnread(long timestamp, long ingestionTime, String logStream, String logGroup, String eventId,
                        RawMessage message);

    /**
     * False when {@link #skipsUnread} would answer false anyway (asked before each line): the reader then decodes
     * the message as it parses the line, instead of parsing first and decoding in a second pass.
     */
    boolean wantsUnread();
}
