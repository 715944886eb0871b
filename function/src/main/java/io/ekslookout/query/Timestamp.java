package io.ekslookout.query;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** A TIMESTAMP value (epoch ms), rendered {@code yyyy-MM-dd HH:mm:ss.SSS} in UTC. */
record Timestamp(long millis) {
    static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    @Override
    public String toString() {
        return FORMAT.format(Instant.ofEpochMilli(millis));
    }
}
