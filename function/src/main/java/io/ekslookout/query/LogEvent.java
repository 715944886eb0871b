package io.ekslookout.query;

/**
 * One log event as CloudWatch Logs stores it: the engine's input.
 *
 * @param timestamp     event time, epoch milliseconds ({@code @timestamp})
 * @param ingestionTime ingestion time, epoch milliseconds ({@code @ingestionTime})
 * @param message       the raw message ({@code @message})
 * @param logStream     the log stream name ({@code @logStream})
 * @param logGroup      the log group name ({@code @log} is {@code accountId:logGroup})
 * @param eventId       an identifier unique within the source, used for {@code @ptr}; may be null
 */
public record LogEvent(long timestamp, long ingestionTime, String message, String logStream, String logGroup,
                       String eventId) {
}
