package io.ekslookout.logs;

/**
 * Why a line or record read was not evaluated. Every line a reader sees is either delivered as an event or
 * counted under exactly one of these, so nothing is skipped in silence; {@link #label()} is what the summary and
 * the JSON report show.
 */
public enum SkipReason {
    /** Not parseable JSON (or JSON with data after the object). */
    INVALID_JSON("invalid JSON"),
    /** Valid JSON, but neither a CloudWatch Logs event nor a Kubernetes audit event. */
    NOT_AN_EVENT("not an event"),
    /** An event without a timestamp. */
    MISSING_TIMESTAMP("missing timestamp"),
    /** An event without its message or stream name. */
    MISSING_FIELD("missing field"),
    /** A field of the wrong JSON type (a message that is an object, ...). */
    WRONG_TYPE("wrong type"),
    /** A timestamp that is neither an epoch number nor an RFC 3339 time. */
    BAD_TIMESTAMP("bad timestamp"),
    /** A readable timestamp before 1970-01-01 or after 9999-12-31 (the rules' windows cannot hold it). */
    OUT_OF_RANGE("timestamp out of range (1970–9999)"),
    /** A line longer than the reader's cap (or a JSON string longer than it). */
    TOO_LONG("too long"),
    /** JSON nested deeper than the parser's limit. */
    TOO_DEEP("too deep"),
    /** A gzip file that ends early: the rest of the file is counted once. */
    TRUNCATED_GZIP("truncated gzip"),
    /** Corrupt gzip data: the rest of the file is counted once. */
    CORRUPT_GZIP("corrupt gzip");

    private final String label;

    SkipReason(String label) {
        this.label = label;
    }

    /** The reason as the summary and the JSON report name it. */
    public String label() {
        return label;
    }
}
