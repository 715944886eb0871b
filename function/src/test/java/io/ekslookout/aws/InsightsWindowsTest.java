package io.ekslookout.aws;

import io.ekslookout.detect.QueryOutcome;
import io.ekslookout.detect.Batch;
import io.ekslookout.query.ResultRow;
import io.ekslookout.schedule.WindowPlanner;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingestion-mode windows of {@link WindowPlanner} through the real Logs Insights back end, over an in-memory
 * Insights that honours the seconds time range and the ingestion filter (the pure planner is tested in
 * io.ekslookout.schedule).
 */
class InsightsWindowsTest {
    static final Duration PERIOD = Duration.ofMinutes(5);
    static final Duration SETTLE = Duration.ofMinutes(2);
    static final Duration LOOKBACK = Duration.ofMinutes(15);
    final WindowPlanner planner = new WindowPlanner(PERIOD, SETTLE, LOOKBACK);

    /**
     * A simulated day: 288 scheduled runs at 5 minutes through the real back end over an in-memory Insights that
     * honours the seconds time range (inclusive ends) and the ingestion filter. Events arrive late by up to the
     * lookback; every one is processed exactly once. Events later than the lookback are the documented miss.
     */
    @Test
    void aSimulatedDayProcessesEveryEventExactlyOnceLateArrivalsIncluded() {
        Instant day = Instant.parse("2026-11-20T00:00:00Z");
        FakeTicker ticker = new FakeTicker(day);
        FakeInsights fake = new FakeInsights(ticker);
        fake.pollsBeforeComplete = 0;
        Random rnd = new Random(42);
        Map<String, Long> delayOf = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            long ts = day.toEpochMilli() - 3_600_000L + (long) (rnd.nextDouble() * 26 * 3_600_000L);
            double kind = rnd.nextDouble();
            long delay;
            if (kind < 0.70) {
                delay = (long) (rnd.nextDouble() * 60_000);                      // usual: under a minute
            } else if (kind < 0.95) {
                delay = 60_000 + (long) (rnd.nextDouble() * 9 * 60_000);          // late: 1-10 min
            } else if (kind < 0.98) {
                delay = LOOKBACK.toMillis() - (long) (rnd.nextDouble() * 30_000); // just inside the lookback
            } else {
                delay = LOOKBACK.plus(PERIOD).toMillis() + 60_000 + (long) (rnd.nextDouble() * 600_000); // beyond
            }
            String msg = "e" + i;
            delayOf.put(msg, delay);
            fake.events.add(new FakeInsights.Event(ts, ts + delay, msg));
        }
        // events on exact second and window boundaries
        WindowPlanner.Plan noon = planner.plan(Instant.parse("2026-11-20T12:00:00Z"));
        long b = noon.ingestion().start().toEpochMilli();
        fake.events.add(new FakeInsights.Event(b - 1, b, "boundary-start"));
        fake.events.add(new FakeInsights.Event(b - 1000, b - 1, "boundary-before"));
        fake.events.add(new FakeInsights.Event(b, b, "boundary-exact"));
        delayOf.put("boundary-start", 1L);
        delayOf.put("boundary-before", 999L);
        delayOf.put("boundary-exact", 0L);

        InsightsBackend backend = new InsightsBackend(fake, LogTarget.forCluster("prod"),
                InsightsBackend.Settings.defaults(), ticker, new Random(1));
        Map<String, Integer> seen = new HashMap<>();
        Instant first = null;
        Instant last = null;
        for (int i = 0; i < 288; i++) {
            Instant scheduled = day.plus(PERIOD.multipliedBy(i)).plusSeconds(rnd.nextInt(30));
            WindowPlanner.Plan p = planner.plan(scheduled);
            first = first == null ? p.ingestion().start() : first;
            last = p.ingestion().end();
            QueryOutcome o = backend.run(Batch.of(List.of(new Batch.Entry("all",
                    io.ekslookout.query.Query.parse("fields @timestamp, @message"))), p.timeRange(), p.ingestion())).outcomes().get(0);
            assertThat(o.error()).isNull();
            for (ResultRow r : o.result().rows()) {
                seen.merge(r.get("@message"), 1, Integer::sum);
            }
        }
        Set<String> expected = new HashSet<>();
        Set<String> tooLate = new HashSet<>();
        for (FakeInsights.Event e : fake.events) {
            if (e.ingestionTime() < first.toEpochMilli() || e.ingestionTime() >= last.toEpochMilli()) {
                continue; // ingested outside the simulated day's runs
            }
            if (delayOf.get(e.message()) <= LOOKBACK.toMillis()) {
                expected.add(e.message());
            } else {
                tooLate.add(e.message());
            }
        }
        assertThat(expected).hasSizeGreaterThan(3000).contains("boundary-start", "boundary-before", "boundary-exact");
        assertThat(tooLate).isNotEmpty();
        for (String m : expected) {
            assertThat(seen.get(m)).as("times %s was processed", m).isEqualTo(1);
        }
        assertThat(seen.keySet()).doesNotContainAnyElementsOf(tooLate);
        assertThat(seen.values()).allMatch(n -> n == 1);
    }

    @Test
    void aRetriedTickReturnsTheSameEvents() {
        FakeTicker ticker = new FakeTicker(Instant.parse("2026-11-20T10:06:00Z"));
        FakeInsights fake = new FakeInsights(ticker);
        for (int i = 0; i < 600; i++) {
            long ts = Instant.parse("2026-11-20T09:40:00Z").toEpochMilli() + i * 2000L;
            fake.events.add(new FakeInsights.Event(ts, ts + (i % 7) * 40_000L, "e" + i));
        }
        InsightsBackend backend = new InsightsBackend(fake, LogTarget.forCluster("prod"),
                InsightsBackend.Settings.defaults(), ticker, new Random(1));
        Instant scheduled = Instant.parse("2026-11-20T10:05:00Z");
        List<String> firstRun = run(backend, planner.plan(scheduled));
        ticker.advance(90_000); // Lambda retries the same event a minute and a half later
        List<String> retry = run(backend, planner.plan(scheduled));
        assertThat(firstRun).isNotEmpty().containsExactlyInAnyOrderElementsOf(retry);
    }

    private static List<String> run(InsightsBackend backend, WindowPlanner.Plan p) {
        return backend.run(Batch.of(List.of(new Batch.Entry("r", io.ekslookout.query.Query.parse("fields @message"))), p.timeRange(),
                        p.ingestion())).outcomes().get(0).result().rows().stream().map(r -> r.get("@message")).toList();
    }

    /**
     * Event-time runs over the real back end: StartQuery's seconds are inclusive at the end, so without the exact
     * {@code @timestamp} filter an event in the first second of a window would also be in the previous run's.
     * Events every 250 ms around every boundary of 288 ticks, delivered within the scan delay: each exactly once.
     */
    @Test
    void eventTimeRunsOverInsightsReturnEachEventOnceBoundarySecondsIncluded() {
        WindowPlanner eventTime = new WindowPlanner(io.ekslookout.schedule.ScanMode.EVENT_TIME, PERIOD, SETTLE,
                LOOKBACK, Duration.ofMinutes(10));
        Instant day = Instant.parse("2026-11-20T00:00:00Z");
        FakeTicker ticker = new FakeTicker(day.plus(Duration.ofDays(1)));
        FakeInsights fake = new FakeInsights(ticker);
        fake.pollsBeforeComplete = 0;
        Set<String> expected = new HashSet<>();
        Random rnd = new Random(7);
        for (int i = 1; i < 288; i++) {
            long boundary = eventTime.plan(day.plus(PERIOD.multipliedBy(i))).timeRange().start().toEpochMilli();
            for (long off = -1000; off <= 1000; off += 250) {
                long ts = boundary + off;
                String m = "b" + i + "_" + off;
                fake.events.add(new FakeInsights.Event(ts, ts + rnd.nextInt(9 * 60_000), m));
                expected.add(m);
            }
        }
        InsightsBackend backend = new InsightsBackend(fake, LogTarget.forCluster("prod"),
                InsightsBackend.Settings.defaults(), ticker, new Random(1));
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < 290; i++) {
            WindowPlanner.Plan p = eventTime.plan(day.plus(PERIOD.multipliedBy(i)));
            assertThat(p.ingestion()).isNull();
            for (String m : run(backend, p)) {
                seen.merge(m, 1, Integer::sum);
            }
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(seen.values()).allMatch(n -> n == 1);
    }
}
