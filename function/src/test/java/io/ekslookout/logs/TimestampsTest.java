package io.ekslookout.logs;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

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

    @Property
    void agreesWithJavaTime(@ForAll @LongRange(min = -30_000_000_000_000L, max = 30_000_000_000_000L) long micros,
                            @ForAll @LongRange(min = -14, max = 14) long offsetHours) {
        Instant instant = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
        ZoneOffset offset = ZoneOffset.ofHours((int) offsetHours);
        String text = OffsetDateTime.ofInstant(instant, offset)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX"));
        assertThat(Timestamps.parseIsoMillis(text)).isEqualTo(Math.floorDiv(micros, 1000L));
    }
}
