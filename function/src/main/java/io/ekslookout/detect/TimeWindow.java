package io.ekslookout.detect;

import java.time.Instant;

/** A half-open time range [start, end). */
public record TimeWindow(Instant start, Instant end) {
    public TimeWindow {
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("window end " + end + " is before its start " + start);
        }
    }
}
