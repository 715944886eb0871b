package io.ekslookout.logs;

import io.ekslookout.query.LogEvent;
import io.ekslookout.query.Query;
import io.ekslookout.query.QueryBatch;
import io.ekslookout.query.RawMessage;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A sink that may be done with an event before its message is decoded (the batch prefilter rules it out on the raw
 * text: {@link io.ekslookout.query.QueryBatch#skipsUnread}). The JSON Lines fast path asks it first, after checking
 * the whole line as usual (a malformed line is reported exactly as before), and decodes the message and calls
 * {@link #accept} only when it answers false.
 */
public interface RawEventSink extends Consumer<LogEvent> {
    /** True when the sink has handled the event as it would have in {@link #accept}; false: nothing was done. */
    boolean skipsUnread(long timestamp, long ingestionTime, String logStream, String logGroup,
                        RawMessage message);

    /**
     * False when {@link #skipsUnread} would answer false anyway (asked before each line): the reader then decodes
     * the message as it parses the line, instead of parsing first and decoding in a second pass.
     */
    boolean wantsUnread();

    /**
     * For a reader that parses on several threads ({@link ParallelLines}): a check of undecoded events that one
     * reader thread runs instead of {@link #skipsUnread}, or null (the default): the reader threads then decode every
     * message. Asked on the thread that reads, once per reader thread, before it starts. An event it rules out is
     * then handed back in its place in the file, on the reading thread, to {@link #skipUnread}.
     */
    default UnreadCheck unreadCheck() {
        return null;
    }

    /**
     * An event an {@link #unreadCheck()} ruled out: handles it as {@link #skipsUnread} does when it answers true
     * (called on the reading thread, in file order). {@code messageLength}: the decoded message's length in chars.
     */
    default void skipUnread(long timestamp, long ingestionTime, String logStream, String logGroup,
                            int messageLength) {
        throw new IllegalStateException("this sink has no unread check");
    }

    /**
     * The sink a file is read into for one query's execution, the raw skip and the parallel read included. Events
     * outside the query's window need no test here: its batch counts only those inside, in each of these paths.
     *
     * @param where the current event's origin ("file:line"), asked only for the first event it cannot evaluate
     */
    static RawEventSink of(Query.Execution execution, Supplier<String> where) {
        return new RawEventSink() {
            @Override
            public void accept(LogEvent event) {
                execution.accept(event, where);
            }

            @Override
            public boolean wantsUnread() {
                return execution.skipsSomeUnread();
            }

            @Override
            public boolean skipsUnread(long timestamp, long ingestionTime, String logStream, String logGroup,
                                       RawMessage message) {
                return execution.skipsUnread(timestamp, ingestionTime, logStream, logGroup, message);
            }

            @Override
            public UnreadCheck unreadCheck() {
                QueryBatch.RawCheck check = execution.rawCheck();
                return check == null ? null : new UnreadCheck() {
                    @Override
                    public boolean active() {
                        return check.active();
                    }

                    @Override
                    public boolean rulesOut(long timestamp, long ingestionTime, String logStream, String logGroup,
                                            RawMessage message) {
                        return check.rulesOut(timestamp, ingestionTime, logStream, logGroup, message);
                    }
                };
            }

            @Override
            public void skipUnread(long timestamp, long ingestionTime, String logStream, String logGroup,
                                   int messageLength) {
                execution.skipUnread(timestamp);
            }
        };
    }

    /**
     * The side-effect-free half of {@link #skipsUnread}, confined to one reader thread: it may keep state of its
     * own, but must not touch the sink's (that is {@link #skipUnread}'s part, on the reading thread).
     */
    interface UnreadCheck {
        /** False: {@link #rulesOut} would answer false anyway (asked before each line, as {@link #wantsUnread}). */
        boolean active();

        /** True when the sink would be done with the event without its message ({@link #skipsUnread} true). */
        boolean rulesOut(long timestamp, long ingestionTime, String logStream, String logGroup,
                         RawMessage message);
    }
}
