package io.ekslookout.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WindowPlannerTest {
    static final Duration PERIOD = Duration.ofMinutes(5);
    static final Duration SETTLE = Duration.ofMinutes(2);
    static final Duration LOOKBACK = Duration.ofMinutes(15);
    static final Duration DELAY = Duration.ofMinutes(10);
    final WindowPlanner planner = new WindowPlanner(PERIOD, SETTLE, LOOKBACK);
    final WindowPlanner eventTime = new WindowPlanner(ScanMode.EVENT_TIME, PERIOD, SETTLE, LOOKBACK, DELAY);

    @Test
    void tickIsTheScheduledTimeFlooredToThePeriodMinusTheSettleDelay() {
        WindowPlanner.Plan p = planner.plan(Instant.parse("2026-11-20T10:05:37Z"));
        assertThat(p.tick()).isEqualTo(Instant.parse("2026-11-20T10:03:00Z"));
        assertThat(p.ingestion().start()).isEqualTo(Instant.parse("2026-11-20T09:58:00Z"));
        assertThat(p.ingestion().end()).isEqualTo(Instant.parse("2026-11-20T10:03:00Z"));
        assertThat(p.timeRange().start()).isEqualTo(Instant.parse("2026-11-20T09:43:00Z"));
        assertThat(p.timeRange().end()).isEqualTo(Instant.parse("2026-11-20T10:03:00Z"));
        assertThat(planner.mode()).isEqualTo(ScanMode.INGESTION);
        assertThat(planner.scanMultiplier()).isEqualTo(4.0);
        assertThat(planner.deliveryBound()).isEqualTo(LOOKBACK);
    }

    @Test
    void eventTimeScansOnePeriodOfEventTimeTheScanDelayBeforeTheTickWithoutIngestionFilter() {
        WindowPlanner.Plan p = eventTime.plan(Instant.parse("2026-11-20T10:05:37Z"));
        assertThat(p.tick()).isEqualTo(Instant.parse("2026-11-20T10:03:00Z"));
        assertThat(p.ingestion()).isNull();
        assertThat(p.timeRange().start()).isEqualTo(Instant.parse("2026-11-20T09:48:00Z"));
        assertThat(p.timeRange().end()).isEqualTo(Instant.parse("2026-11-20T09:53:00Z"));
        assertThat(eventTime.scanMultiplier()).isEqualTo(1.0);
        assertThat(eventTime.deliveryBound()).isEqualTo(DELAY);
        assertThat(eventTime.scanDelay()).isEqualTo(DELAY);
    }

    @Test
    void consecutiveTicksTileWithoutGapOrOverlapAndARetryGetsTheSameWindows() {
        Instant t = Instant.parse("2026-11-20T00:00:00Z");
        WindowPlanner.Plan prev = planner.plan(t);
        WindowPlanner.Plan prevE = eventTime.plan(t);
        for (int i = 1; i < 288; i++) {
            Instant s = t.plus(PERIOD.multipliedBy(i));
            WindowPlanner.Plan p = planner.plan(s);
            assertThat(p.ingestion().start()).isEqualTo(prev.ingestion().end());
            assertThat(planner.plan(s.plusSeconds(200))).isEqualTo(p);
            prev = p;
            WindowPlanner.Plan e = eventTime.plan(s);
            assertThat(e.timeRange().start()).isEqualTo(prevE.timeRange().end());
            assertThat(java.time.Duration.between(e.timeRange().start(), e.timeRange().end())).isEqualTo(PERIOD);
            assertThat(eventTime.plan(s.plusSeconds(299))).isEqualTo(e);
            prevE = e;
        }
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> new WindowPlanner(Duration.ZERO, SETTLE, LOOKBACK)).hasMessageContaining("period");
        assertThatThrownBy(() -> new WindowPlanner(PERIOD, SETTLE, Duration.ofMinutes(-1)))
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> new WindowPlanner(ScanMode.EVENT_TIME, PERIOD, SETTLE, LOOKBACK,
                Duration.ofMinutes(-1))).hasMessageContaining("negative");
        assertThatThrownBy(() -> new WindowPlanner(null, PERIOD, SETTLE, LOOKBACK, DELAY))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void scanModesParseTheirLabels() {
        assertThat(ScanMode.parse("ingestion")).isEqualTo(ScanMode.INGESTION);
        assertThat(ScanMode.parse(" Event-Time ")).isEqualTo(ScanMode.EVENT_TIME);
        assertThat(ScanMode.parse("event_time")).isEqualTo(ScanMode.EVENT_TIME);
        assertThat(ScanMode.parse("eventtime")).isNull();
        assertThat(ScanMode.parse(null)).isNull();
    }
}
