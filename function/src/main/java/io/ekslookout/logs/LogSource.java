package io.ekslookout.logs;

import io.ekslookout.query.LogEvent;

import java.io.IOException;
import java.util.function.Consumer;

/** A source of log events read in one streaming pass. */
public interface LogSource {
    /**
     * Streams every event to the sink, in file order. Malformed input is counted in the report, never fatal.
     *
     * @return what was read: event count, malformed lines (counted, with the location of the first few)
     */
    ReadReport read(Consumer<LogEvent> sink) throws IOException;

    /**
     * While the sink handles an event: where it was read ("file:line"), for error reports; null when unknown.
     * Only asked on a rare path (the first event a rule could not evaluate), so it may build a string.
     */
    default String location() {
        return null;
    }
}
