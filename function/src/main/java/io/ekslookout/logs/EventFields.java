package io.ekslookout.logs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ekslookout.query.LogEvent;

import java.io.IOException;

/**
 * The top-level fields of one record, read with a Jackson streaming parser positioned on the record's
 * START_OBJECT. Recognizes two shapes: a CloudWatch Logs event ({@code logStreamName, timestamp, message,
 * ingestionTime, eventId}) and a Kubernetes audit event ({@code stageTimestamp}, the message being the raw line).
 * Nested values are skipped without building trees.
 */
final class EventFields {
    String logStream;
    String message;
    String eventId;
    long timestamp;
    boolean hasTimestamp;
    long ingestionTime;
    boolean hasIngestionTime;
    String stageTimestamp;
    String requestReceivedTimestamp;
    boolean auditKind;
    /** The top-level {@code kind} when it is a string ({@code EventList} for a list of audit events). */
    String kind;
    /** A top-level {@code items} array was present (skipped here; {@link JsonLinesReader} reads it). */
    boolean hasItems;
    /** Why the record cannot be used, or null. The first problem wins. */
    String problem;
    /** The reason {@link #problem} is counted under (set with it). */
    SkipReason reason;

    void reset() {
        logStream = null;
        message = null;
        eventId = null;
        hasTimestamp = false;
        hasIngestionTime = false;
        stageTimestamp = null;
        requestReceivedTimestamp = null;
        auditKind = false;
        kind = null;
        hasItems = false;
        problem = null;
        reason = null;
    }

    /** Reads fields up to and including the matching END_OBJECT. The parser must be on START_OBJECT. */
    void read(JsonParser p) throws IOException {
        reset();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            t = p.nextToken();
            switch (name) {
                case "message":
                    if (t == JsonToken.VALUE_STRING) {
                        message = p.getText();
                    } else {
                        problem(SkipReason.WRONG_TYPE, "\"message\" must be a string, found " + describe(t));
                        p.skipChildren();
                    }
                    break;
                case "timestamp":
                    timestamp = millis(p, t, "timestamp");
                    hasTimestamp = problem == null;
                    break;
                case "logStreamName":
                    if (t == JsonToken.VALUE_STRING) {
                        logStream = streamName(p);
                    } else {
                        problem(SkipReason.WRONG_TYPE, "\"logStreamName\" must be a string, found " + describe(t));
                        p.skipChildren();
                    }
                    break;
                case "ingestionTime":
                    if (t != JsonToken.VALUE_NULL) {
                        ingestionTime = millis(p, t, "ingestionTime");
                        hasIngestionTime = problem == null;
                    }
                    break;
                case "eventId":
                    if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) {
                        eventId = p.getText();
                    } else {
                        p.skipChildren();
                    }
                    break;
                case "stageTimestamp":
                    if (t == JsonToken.VALUE_STRING) {
                        stageTimestamp = p.getText();
                    }
                    break;
                case "requestReceivedTimestamp":
                    if (t == JsonToken.VALUE_STRING) {
                        requestReceivedTimestamp = p.getText();
                    }
                    break;
                case "auditID":
                    auditKind = true;
                    p.skipChildren();
                    break;
                case "kind":
                    if (t == JsonToken.VALUE_STRING) {
                        kind = p.getText();
                    }
                    break;
                case "items":
                    hasItems = t == JsonToken.START_ARRAY;
                    p.skipChildren();
                    break;
                default:
                    p.skipChildren();
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IllegalStateException("unexpected token " + t);
        }
    }

    /** A few stream names seen last: a file has few streams, so one String instance serves all their events. */
    private final String[] recentStreams = new String[8];
    private int nextStream;

    private String streamName(JsonParser p) throws IOException {
        char[] chars = p.getTextCharacters();
        int offset = p.getTextOffset();
        int length = p.getTextLength();
        for (String s : recentStreams) {
            if (s != null && s.length() == length && sameChars(s, chars, offset)) {
                return s;
            }
        }
        String s = new String(chars, offset, length);
        recentStreams[nextStream] = s;
        nextStream = (nextStream + 1) % recentStreams.length;
        return s;
    }

    private static boolean sameChars(String s, char[] chars, int offset) {
        for (int i = s.length() - 1; i >= 0; i--) { // stream names differ at their ends (the hex id)
            if (s.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Epoch milliseconds of a timestamp field: an epoch number in s/ms/µs/ns told apart by magnitude
     * ({@link Timestamps#fromEpochNumber(long)}), as a JSON number or a string of digits, or an RFC 3339 string.
     * A value outside 1970..9999 (a huge integer, 1e300, a negative number, year 10000) is a problem counted as
     * {@link SkipReason#OUT_OF_RANGE}; nothing overflows.
     */
    private long millis(JsonParser p, JsonToken t, String field) throws IOException {
        try {
            if (t == JsonToken.VALUE_NUMBER_INT) {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw Timestamps.outOfRange(Timestamps.abbreviate(p.getText()));
                }
                return Timestamps.fromEpochNumber(p.getLongValue());
            }
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                return Timestamps.fromEpochNumber(p.getDoubleValue());
            }
            if (t == JsonToken.VALUE_STRING) {
                String s = p.getText().trim();
                if (isInteger(s)) {
                    try {
                        return Timestamps.fromEpochNumber(Long.parseLong(s));
                    } catch (NumberFormatException tooBig) {
                        throw Timestamps.outOfRange("\"" + Timestamps.abbreviate(s) + "\"");
                    }
                }
                try {
                    return Timestamps.parseIsoInRange(s);
                } catch (Timestamps.OutOfRange e) {
                    throw e;
                } catch (IllegalArgumentException e) {
                    problem(SkipReason.BAD_TIMESTAMP, "\"" + field + "\" is neither an epoch number nor an RFC 3339"
                            + " timestamp: \"" + Timestamps.abbreviate(s) + "\"");
                    return 0;
                }
            }
        } catch (Timestamps.OutOfRange e) {
            problem(SkipReason.OUT_OF_RANGE, "\"" + field + "\" " + e.getMessage());
            return 0;
        }
        problem(SkipReason.BAD_TIMESTAMP, "\"" + field + "\" must be a number (epoch time) or an RFC 3339 string,"
                + " found " + describe(t));
        p.skipChildren();
        return 0;
    }

    private static boolean isInteger(String s) {
        int i = s.startsWith("-") ? 1 : 0;
        if (i == s.length()) {
            return false;
        }
        for (; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private void problem(SkipReason why, String what) {
        if (problem == null) {
            problem = what;
            reason = why;
        }
    }

    /**
     * True when the record looks like a CloudWatch Logs event rather than an audit event. An audit event may carry
     * a top-level {@code timestamp} too (audit.k8s.io/v1beta1, e.g. Falco's traces): with an auditID or a
     * stage/request timestamp and neither message nor logStreamName, it is an audit event.
     */
    boolean isCloudWatchEvent() {
        boolean audit = message == null && logStream == null
                && (auditKind || stageTimestamp != null || requestReceivedTimestamp != null);
        return !audit && (message != null || hasTimestamp || logStream != null);
    }

    /**
     * True for a Kubernetes audit {@code EventList} ({@code kind: EventList} with an {@code items} array): what an
     * audit webhook receives and {@code kubectl get --raw} style tools write, one audit Event per item.
     */
    boolean isEventList() {
        return "EventList".equals(kind) && hasItems && message == null && logStream == null;
    }

    /**
     * The CloudWatch event, or null with {@link #problem} set.
     *
     * @param defaultStream stream name when the record carries none (get-log-events output), or null to require it
     */
    LogEvent toCloudWatchEvent(String defaultStream, String logGroup) {
        if (problem != null) {
            return null;
        }
        if (message == null) {
            problem(SkipReason.MISSING_FIELD, "missing \"message\"");
            return null;
        }
        if (!hasTimestamp) {
            problem(SkipReason.MISSING_TIMESTAMP, "missing \"timestamp\"");
            return null;
        }
        String stream = logStream != null ? logStream : defaultStream;
        if (stream == null) {
            problem(SkipReason.MISSING_FIELD, "missing \"logStreamName\"");
            return null;
        }
        return new LogEvent(timestamp, hasIngestionTime ? ingestionTime : timestamp, message, stream, logGroup,
                eventId);
    }

    /** The audit event whose message is {@code rawLine}, or null with {@link #problem} set. */
    LogEvent toAuditEvent(String rawLine, String logGroup, String eventId) {
        if (problem != null) {
            return null;
        }
        String ts = stageTimestamp != null ? stageTimestamp : requestReceivedTimestamp;
        if (ts == null && hasTimestamp) {
            // audit.k8s.io/v1beta1: "timestamp" (RFC 3339, read into epoch milliseconds above)
            return new LogEvent(timestamp, timestamp, rawLine, LocalLogs.AUDIT_LOG_STREAM, logGroup, eventId);
        }
        if (ts == null) {
            if (auditKind) {
                problem(SkipReason.MISSING_TIMESTAMP, "audit event without \"stageTimestamp\"");
            } else {
                problem(SkipReason.NOT_AN_EVENT, "neither a CloudWatch Logs event (logStreamName, timestamp, message)"
                        + " nor a Kubernetes audit event (stageTimestamp)");
            }
            return null;
        }
        String tsField = stageTimestamp != null ? "stageTimestamp" : "requestReceivedTimestamp";
        long millis;
        try {
            millis = Timestamps.parseIsoInRange(ts);
        } catch (Timestamps.OutOfRange e) {
            problem(SkipReason.OUT_OF_RANGE, "\"" + tsField + "\" " + e.getMessage());
            return null;
        } catch (IllegalArgumentException e) {
            problem(SkipReason.BAD_TIMESTAMP, "\"" + tsField + "\": " + e.getMessage());
            return null;
        }
        return new LogEvent(millis, millis, rawLine, LocalLogs.AUDIT_LOG_STREAM, logGroup, eventId);
    }

    static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.toString();
        }
    }
}
