package io.ekslookout.detect;

import io.ekslookout.logs.LocalLogs;
import io.ekslookout.query.LogEvent;
import io.ekslookout.query.QueryLimits;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.testing.SampleGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Same answers: the planned run (one prefilter query through the embedded engine, then every rule's full query
 * over the returned events) gives exactly the findings of one query per rule, over the bundled corpus and generated
 * ones, for the whole input, for every scheduled tick (ingestion window + lookback), and for random rule subsets
 * and random windows.
 */
class PlannedEquivalenceTest {
    private static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC);
    /** House style of query/Trials: a fixed master seed, one seed per trial, named on failure. */
    private static final long MASTER_SEED = Long.getLong("query.trials.seed", 0x5EED_1E55_0C7AL);

    private static RuleSet rules;
    private static List<LogEvent> sample;

    @BeforeAll
    static void load() throws Exception {
        rules = RuleLoader.loadDirectory(ROOT.resolve("rules"));
        sample = read(ROOT.resolve("samples").resolve("eks-demo.jsonl.gz"));
    }

    private static List<LogEvent> read(Path file) throws Exception {
        List<LogEvent> events = new ArrayList<>();
        LocalLogs.open(file).read(events::add);
        return events;
    }

    private record Both(DetectionReport direct, DetectionReport planned, BatchResult batch) {
        BatchResult.Planned backend() {
            return batch.planned();
        }
    }

    private static Both run(List<LogEvent> events, List<Rule> ruleSet, TimeWindow window, TimeWindow ingestion) {
        DetectionReport direct = new Detector(new LocalBackend(new InMemoryLogSource(events), CLOCK))
                .run(ruleSet, window, ingestion);
        PlannedBackend planned = new PlannedBackend(new LocalBackend(new InMemoryLogSource(events), CLOCK), CLOCK,
                QueryLimits.DEFAULT);
        Detector.Detection d = new Detector(planned).detect(ruleSet, window, ingestion, null);
        return new Both(direct, d.report(), d.batch());
    }

    private static void assertSame(Both b, String what) {
        assertThat(b.planned().ruleErrors()).as(what).isEqualTo(b.direct().ruleErrors());
        assertThat(b.planned().findings()).as(what).isEqualTo(b.direct().findings());
        assertThat(b.planned().window()).as(what).isEqualTo(b.direct().window());
        assertThat(b.backend().plans()).allSatisfy(p -> assertThat(p.separate()).as(what).isEmpty());
    }

    @Test
    void theSampleCorpusGivesTheSameFindingsFetchingAFewPercentOfItsBytes() {
        Both b = run(sample, rules.enabledRules(), LocalBackend.WHOLE_INPUT, null);
        assertThat(b.direct().ruleErrors()).isEmpty();
        assertThat(b.direct().findings()).extracting(Finding::ruleId).doesNotHaveDuplicates().isNotEmpty();
        assertSame(b, "whole corpus");
        PlannedBackend.Fetched f = b.backend().fetched();
        assertThat(f.queries()).isEqualTo(1);
        assertThat(f.recordsScanned()).isEqualTo(sample.size());
        double eventShare = (double) f.eventsReturned() / f.recordsScanned();
        double byteShare = (double) f.bytesReturned() / f.bytesScanned();
        System.out.printf("planned prefilter over samples/eks-demo.jsonl.gz: %d of %d events (%.2f %%), %d of %d "
                        + "message bytes (%.2f %%)%n", f.eventsReturned(), f.recordsScanned(), 100 * eventShare,
                f.bytesReturned(), f.bytesScanned(), 100 * byteShare);
        assertThat(eventShare).isLessThan(0.25);
    }

    @Test
    void everyScheduledTickOfTheSampleCorpusGivesTheSameFindings() {
        assertEveryTick(sample, "samples");
    }

    /** 5-minute ticks with a 15-minute lookback, tiled by ingestion time as the scheduled Lambda does. */
    private static void assertEveryTick(List<LogEvent> events, String name) {
        long first = events.stream().mapToLong(LogEvent::ingestionTime).min().orElseThrow();
        long last = events.stream().mapToLong(LogEvent::ingestionTime).max().orElseThrow();
        Duration period = Duration.ofMinutes(5);
        Duration lookback = Duration.ofMinutes(15);
        int ticks = 0;
        int withFindings = 0;
        for (Instant tick = Instant.ofEpochMilli(first).plus(period); !tick.isAfter(Instant.ofEpochMilli(last)
                .plus(period)); tick = tick.plus(period)) {
            TimeWindow ingestion = new TimeWindow(tick.minus(period), tick);
            TimeWindow window = new TimeWindow(tick.minus(period).minus(lookback), tick);
            Both b = run(events, rules.enabledRules(), window, ingestion);
            assertSame(b, name + " tick " + tick);
            ticks++;
            withFindings += b.direct().findings().isEmpty() ? 0 : 1;
        }
        assertThat(ticks).isGreaterThan(10);
        assertThat(withFindings).as("ticks with findings (the comparison is not vacuous)").isGreaterThan(3);
    }

    @Test
    void generatedCorporaGiveTheSameFindings(@TempDir Path dir) throws Exception {
        assumeTrue(Files.exists(SampleGenerator.SCRIPT), "no generator");
        SampleGenerator.assumeAvailable();
        for (String seed : List.of("3", "1234")) {
            Path corpus = dir.resolve("corpus-" + seed + ".jsonl.gz");
            SampleGenerator.run(300, "--hours", "1", "--seed", seed, "--tests",
                    ROOT.resolve("rules").resolve("tests").toString(), "--incident-copies", "2",
                    "--out", corpus.toString());
            List<LogEvent> events = read(corpus);
            Both whole = run(events, rules.enabledRules(), LocalBackend.WHOLE_INPUT, null);
            assertThat(whole.direct().findings()).isNotEmpty();
            assertSame(whole, "generated seed " + seed);
            if (seed.equals("3")) {
                assertEveryTick(events, "generated seed " + seed);
            }
        }
    }

    @Test
    void randomRuleSubsetsAndWindowsGiveTheSameFindings() {
        Random master = new Random(MASTER_SEED ^ "planned-subsets".hashCode());
        long from = sample.stream().mapToLong(LogEvent::timestamp).min().orElseThrow();
        long to = sample.stream().mapToLong(LogEvent::timestamp).max().orElseThrow() + 1;
        List<Rule> all = rules.enabledRules();
        int tries = 25;
        for (int i = 0; i < tries; i++) {
            long trialSeed = master.nextLong();
            Random r = new Random(trialSeed);
            List<Rule> subset = new ArrayList<>();
            for (Rule rule : all) {
                if (r.nextInt(3) > 0) {
                    subset.add(rule);
                }
            }
            long a = from + (long) (r.nextDouble() * (to - from));
            long b = a + 1 + (long) (r.nextDouble() * (to - a));
            TimeWindow window = new TimeWindow(Instant.ofEpochMilli(a), Instant.ofEpochMilli(b));
            TimeWindow ingestion = null;
            if (r.nextBoolean()) {
                long c = a + (long) (r.nextDouble() * (b - a));
                ingestion = new TimeWindow(Instant.ofEpochMilli(c),
                        Instant.ofEpochMilli(c + 1 + (long) (r.nextDouble() * 3_600_000)));
            }
            String input = "rules " + subset.stream().map(Rule::id).toList() + ", window " + window
                    + ", ingestion " + ingestion;
            try {
                assertSame(run(sample, subset, window, ingestion), input);
            } catch (Throwable t) {
                throw new AssertionError("trial " + (i + 1) + "/" + tries + " failed (master seed " + MASTER_SEED
                        + ", trial seed " + trialSeed + ") on input:\n" + input + "\n" + t, t);
            }
        }
    }

    @Test
    void aPrefilterResultAtTheRowCapIsFetchedAgainInTimeHalves() {
        List<LogEvent> events = new ArrayList<>();
        long t0 = Instant.parse("2026-11-20T08:00:00Z").toEpochMilli();
        for (int i = 0; i < 25_000; i++) {
            String verb = i % 5 == 0 ? "list" : "get";
            events.add(new LogEvent(t0 + i * 10L, t0 + i * 10L + 5, "{\"verb\":\"" + verb + "\",\"n\":" + i + "}",
                    "kube-apiserver-audit-1", "/aws/eks/c/cluster", null));
        }
        Rule count = new Rule("count-gets", "gets", io.ekslookout.rules.Severity.LOW, "",
                "filter verb = \"get\" | stats count(*) as gets, max(n) as last",
                io.ekslookout.query.Query.parse("filter verb = \"get\" | stats count(*) as gets, max(n) as last"),
                null, null, null, null, null, true, null);
        Both b = run(events, List.of(count), LocalBackend.WHOLE_INPUT, null);
        assertSame(b, "25,000 events, 20,000 matching");
        assertThat(b.planned().findings()).singleElement().satisfies(f ->
                assertThat(f.rows().get(0)).containsEntry("gets", "20000").containsEntry("last", "24999"));
        assertThat(b.backend().fetched().queries()).isGreaterThan(1);
        assertThat(b.backend().fetched().eventsReturned()).isEqualTo(20_000);
    }
}
