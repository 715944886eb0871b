package io.ekslookout.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimeArgsTest {
    private static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");

    @Test
    void durationsCountBackFromNow() {
        assertThat(TimeArgs.parse("2h", NOW)).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(TimeArgs.parse("30m", NOW)).isEqualTo(Instant.parse("2026-11-20T11:30:00Z"));
        assertThat(TimeArgs.parse("7d", NOW)).isEqualTo(Instant.parse("2026-11-13T12:00:00Z"));
        assertThat(TimeArgs.parse("90s", NOW)).isEqualTo(Instant.parse("2026-11-20T11:58:30Z"));
        assertThat(TimeArgs.parse("1w", NOW)).isEqualTo(Instant.parse("2026-11-13T12:00:00Z"));
        assertThat(TimeArgs.parse("250ms", NOW)).isEqualTo(Instant.parse("2026-11-20T11:59:59.750Z"));
        assertThat(TimeArgs.parse("PT15M", NOW)).isEqualTo(Instant.parse("2026-11-20T11:45:00Z"));
        assertThat(TimeArgs.parse(" 2H ", NOW)).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(TimeArgs.parse("now", NOW)).isEqualTo(NOW);
    }

    @Test
    void instantsInSeveralForms() {
        assertThat(TimeArgs.parse("2026-11-20T10:00:00Z", NOW)).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(TimeArgs.parse("2026-11-20T12:00:00.5+02:00", NOW))
                .isEqualTo(Instant.parse("2026-11-20T10:00:00.500Z"));
        assertThat(TimeArgs.parse("2026-11-20T10:00", NOW)).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(TimeArgs.parse("2026-11-20", NOW)).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
    }

    @Test
    void badTimesSayWhatIsAccepted() {
        for (String bad : new String[] {"", "yesterday", "2h30", "5y", "2026-13-01", "-2h", "PT-2H"}) {
            assertThatThrownBy(() -> TimeArgs.parse(bad, NOW)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected an ISO-8601 time");
        }
    }

    @Test
    void durationParsing() {
        assertThat(TimeArgs.parseDurationOrNull("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(TimeArgs.parseDurationOrNull("2026-11-20")).isNull();
        assertThat(TimeArgs.parseDurationOrNull("m")).isNull();
    }
}
