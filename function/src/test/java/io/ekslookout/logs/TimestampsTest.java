package io.ekslookout.logs;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimestampsTest {
    @Test
    void parsesAuditTimestamps() {
        assertThat(Timestamps.parseIsoMillis("2021-10-27T05:43:01.042364Z"))
                .isEqualTo(Instant.parse("2021-10-27T05:43:01.042Z").toEpochMilli());
        assertThat(Timestamps.parseIsoMillis("2021-10-27T05:43:01Z"))
                .isEqualTo(Instant.parse("2021-10-27T05:43:01Z").toEpochMilli());
        assertThat(Timestamps.parseIsoMillis("2021-10-27T05:43:01.5+02:00"))
                .isEqualTo(Instant.parse("2021-10-27T03:43:01.500Z").toEpochMilli());
        assertThat(Timestamps.parseIsoMillis("1969-12-31T23:59:59.999Z")).isEqualTo(-1);
        assertThat(Timestamps.parseIsoMillis("2024-02-29T00:00:00Z"))
                .isEqualTo(Instant.parse("2024-02-29T00:00:00Z").toEpochMilli());
    }

    @Test
    void rejectsWhatIsNotATimestamp() {
        assertThatThrownBy(() -> Timestamps.parseIsoMillis("2023-02-29T00:00:00Z"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Timestamps.parseIsoMillis("2023-02-01 00:00:00"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Timestamps.parseIsoMillis("2023-13-01T00:00:00Z"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Against java.time: random instants within ±3e13 µs (~347 days) of 1970 with microseconds, offsets -14..+14 h. */
    @Test
    void agreesWithJavaTime() {
        long bound = 30_000_000_000_000L;
        Random random = new Random(20261120L);
        List<Long> micros = new ArrayList<>(List.of(-bound, bound, 0L, -1L, 1L, -999L, 999L, 1_000_000L, -1_000_000L));
        for (int i = 0; i < 2000; i++) {
            micros.add(random.nextLong(-bound, bound + 1));
        }
        for (long m : micros) {
            for (int offsetHours : new int[] {-14, 0, 14, random.nextInt(-14, 15)}) {
                assertAgrees(m, offsetHours);
            }
        }
    }

    private static void assertAgrees(long micros, int offsetHours) {
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
        ZoneOffset offset = ZoneOffset.ofHours(offsetHours);
        String text = OffsetDateTime.ofInstant(instant, offset)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX"));
        assertThat(Timestamps.parseIsoMillis(text)).as(text).isEqualTo(Math.floorDiv(micros, 1000L));
    }
}
