package io.ekslookout.aws;

import io.ekslookout.detect.DetectionReport;
import io.ekslookout.detect.Detector;
import io.ekslookout.detect.InMemoryLogSource;
import io.ekslookout.detect.LocalBackend;
import io.ekslookout.detect.PlannedBackend;
import io.ekslookout.detect.TimeWindow;
import io.ekslookout.logs.LocalLogs;
import io.ekslookout.query.LogEvent;
import io.ekslookout.query.QueryLimits;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The planned path over the Logs Insights back end, as the Lambda and the CLI now wire it: the bundled rules over
 * the sample corpus loaded into a fake Insights that ignores every rule filter (as moto does) and returns rows
 * shaped as the real service does (rendered times, {@code account:group}) or as moto does (epoch milliseconds, no
 * {@code @ingestionTime}). The findings equal one query per rule through the embedded engine, because each rule's
 * full query runs locally on the returned events.
 */
class PlannedOverInsightsTest {
    static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC);
    static final String GROUP = "/aws/eks/prod/cluster";
    static RuleSet rules;
    static List<LogEvent> sample;

    @BeforeAll
    static void load() throws Exception {
        rules = RuleLoader.loadDirectory(ROOT.resolve("rules"));
        sample = new ArrayList<>();
        LocalLogs.open(ROOT.resolve("samples").resolve("eks-demo.jsonl.gz")).read(sample::add);
    }

    record Run(DetectionReport report, io.ekslookout.detect.BatchResult batch, FakeInsights fake) {
    }

    static Run planned(boolean realRows, TimeWindow window, TimeWindow ingestion) {
        FakeTicker ticker = new FakeTicker(Instant.parse("2026-11-21T00:00:00Z"));
        FakeInsights fake = new FakeInsights(ticker);
        fake.realRows = realRows;
        for (LogEvent e : sample) {
            fake.events.add(new FakeInsights.Event(e.timestamp(), e.ingestionTime(), e.message(), e.logStream()));
        }
        InsightsBackend insights = new InsightsBackend(fake, LogTarget.forCluster("prod"),
                InsightsBackend.Settings.defaults(), ticker, new Random(3));
        PlannedBackend planned = new PlannedBackend(insights, CLOCK, QueryLimits.DEFAULT);
        Detector.Detection d = new Detector(planned).detect(rules.enabledRules(), window, ingestion, null);
        return new Run(d.report(), d.batch(), fake);
    }

    /** One query per rule through the embedded engine, over the events as the real service describes them. */
    static DetectionReport direct(TimeWindow window, TimeWindow ingestion) {
        List<LogEvent> events = sample.stream().map(e -> new LogEvent(e.timestamp(), e.ingestionTime(), e.message(),
                e.logStream(), GROUP, null)).toList();
        return new Detector(new LocalBackend(new InMemoryLogSource(events), CLOCK, QueryLimits.DEFAULT,
                FakeInsights.ACCOUNT)).run(rules.enabledRules(), window, ingestion);
    }

    static TimeWindow whole() {
        long first = sample.stream().mapToLong(LogEvent::timestamp).min().orElseThrow();
        long last = sample.stream().mapToLong(LogEvent::timestamp).max().orElseThrow();
        return new TimeWindow(Instant.ofEpochMilli(first), Instant.ofEpochMilli(last + 1));
    }

    @Test
    void realServiceRowsGiveEveryRulesExactFindingsWithOneQueryAndItsSplitParts() {
        TimeWindow window = whole();
        Run r = planned(true, window, null);
        DetectionReport direct = direct(window, null);
        assertThat(direct.findings()).isNotEmpty();
        assertThat(r.report().ruleErrors()).isEmpty();
        assertThat(r.report().findings()).isEqualTo(direct.findings());
        assertThat(r.report().warnings()).isEmpty(); // every row was rebuilt; nothing counted as lost
        // 12,514 events > 10,000 rows: the one prefilter is split in halves by the back end, and the planner does not
        // re-fetch what the split already completed (the result's matched count is that of the kept parts)
        assertThat(sample.size()).isGreaterThan(InsightsBackend.MAX_ROWS);
        assertThat(r.fake().starts).hasSize(3);
        assertThat(r.batch().scan().splits()).isEqualTo(1);
        assertThat(r.batch().planned().fetched().eventsReturned()).isEqualTo(sample.size());
        assertThat(r.batch().scan().bytesOnePass()).isPositive();
        // the capped whole-range query + its two halves (their inclusive seconds ranges share one boundary second)
        assertThat(r.batch().scan().passes()).isCloseTo(2.0, org.assertj.core.api.Assertions.within(0.01));
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void everyScheduledTickGivesTheSameFindingsWithRealOrMotoShapedRows(boolean realRows) {
        long first = sample.stream().mapToLong(LogEvent::ingestionTime).min().orElseThrow();
        Duration period = Duration.ofMinutes(5);
        int checked = 0;
        for (long tick = first - first % period.toMillis() + period.toMillis(); checked < 12;
             tick += 4 * period.toMillis(), checked++) {
            TimeWindow ingestion = new TimeWindow(Instant.ofEpochMilli(tick - period.toMillis()),
                    Instant.ofEpochMilli(tick));
            TimeWindow range = new TimeWindow(ingestion.start().minus(Duration.ofMinutes(15)), ingestion.end());
            Run r = planned(realRows, range, ingestion);
            DetectionReport direct = direct(range, ingestion);
            assertThat(r.report().ruleErrors()).as("tick %s", ingestion).isEmpty();
            if (realRows) {
                assertThat(r.report().findings()).as("tick %s", ingestion).isEqualTo(direct.findings());
                assertThat(r.report().warnings()).as("tick %s", ingestion).isEmpty();
            } else {
                // moto-shaped rows have no @ingestionTime: the window is applied to @timestamp, and every rule says so
                assertThat(r.report().warnings()).as("tick %s", ingestion)
                        .anySatisfy(w -> assertThat(w).contains("without @ingestionTime"));
            }
        }
    }

    @Test
    void rowsTheRebuildCannotReadAreCountedAsEventErrorsOfEveryPlannedRule() {
        FakeTicker ticker = new FakeTicker(Instant.parse("2026-11-21T00:00:00Z"));
        FakeInsights fake = new FakeInsights(ticker) {
            @Override
            public Poll getQueryResults(String queryId) {
                Poll p = super.getQueryResults(queryId);
                if (!p.status().equals("Complete") || p.rows().isEmpty()) {
                    return p;
                }
                List<List<java.util.Map.Entry<String, String>>> rows = new ArrayList<>(p.rows());
                rows.set(0, List.of(java.util.Map.entry("@timestamp", "next tuesday"),
                        java.util.Map.entry("@message", "{}")));
                return new Poll(p.status(), rows, p.recordsScanned(), p.bytesScanned(), p.recordsMatched());
            }
        };
        for (LogEvent e : sample.subList(0, 500)) {
            fake.events.add(new FakeInsights.Event(e.timestamp(), e.ingestionTime(), e.message(), e.logStream()));
        }
        PlannedBackend planned = new PlannedBackend(new InsightsBackend(fake, LogTarget.forCluster("prod"),
                InsightsBackend.Settings.defaults(), ticker, new Random(3)), CLOCK, QueryLimits.DEFAULT);
        Detector.Detection d = new Detector(planned).detect(rules.enabledRules(), whole(), null, null);
        DetectionReport report = d.report();
        assertThat(report.ruleErrors()).isEmpty();
        assertThat(d.batch().planned().fetched().eventsReturned()).isEqualTo(499);
        assertThat(report.warnings()).isNotEmpty().anySatisfy(w -> assertThat(w)
                .contains("could not evaluate or return 1 events")
                .contains("unreadable @timestamp 'next tuesday'"));
    }
}
