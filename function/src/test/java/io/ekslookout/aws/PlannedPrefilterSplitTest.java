package io.ekslookout.aws;

import io.ekslookout.detect.QueryOutcome;
import io.ekslookout.detect.Batch;
import io.ekslookout.detect.BatchResult;
import io.ekslookout.detect.TimeWindow;
import io.ekslookout.plan.Planner;
import io.ekslookout.plan.ScanPlan;
import io.ekslookout.rules.RuleLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The planner's prefilter is a raw-event (non-stats) query, so the Insights back end's row-cap split applies to it:
 * checked both with the back end's own test for stats queries and by running the bundled rules' prefilter against
 * a fake that caps results (it ignores the rule filters and returns every event in range).
 */
class PlannedPrefilterSplitTest {
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void theBundledPrefilterIsSplitInTimeHalvesAtTheRowCapAndLosesNothing() throws Exception {
        ScanPlan plan = Planner.planRules(RuleLoader.loadDirectory(
                Path.of(System.getProperty("repo.root", "..")).resolve("rules")).rules());
        String text = plan.prefilters().get(0).text();
        assertThat(plan.prefilters().get(0).query().aggregate()).isFalse();

        FakeTicker ticker = new FakeTicker(Instant.parse("2026-11-20T11:00:00Z"));
        FakeInsights fake = new FakeInsights(ticker);
        for (int i = 0; i < 1000; i++) {
            long ts = T0.toEpochMilli() + i * 3000L;
            fake.events.add(new FakeInsights.Event(ts, ts + 5000, "event-" + i));
        }
        InsightsBackend b = new InsightsBackend(fake, LogTarget.forCluster("prod"),
                InsightsBackend.Settings.defaults().withRowLimit(100), ticker, new Random(7));
        TimeWindow hour = new TimeWindow(T0, T0.plusSeconds(3600));
        TimeWindow ingestion = new TimeWindow(T0, T0.plusSeconds(3600));
        BatchResult res = b.run(Batch.of(List.of(new Batch.Entry("prefilter-1", plan.prefilters().get(0).query())),
                hour, ingestion));
        QueryOutcome o = res.outcomes().get(0);
        assertThat(o.error()).isNull();
        List<String> messages = o.result().rows().stream().map(r -> r.get("@message")).toList();
        assertThat(new HashSet<>(messages)).hasSize(1000);
        assertThat(res.scan().splits()).isGreaterThanOrEqualTo(10);
        // every part is the prefilter itself behind the exact time filters
        assertThat(fake.starts).allSatisfy(s -> assertThat(s.text()).endsWith(text.substring(text.indexOf('\n'))));
    }
}
