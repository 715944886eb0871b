package io.ekslookout.sigma;

import io.ekslookout.detect.DetectionReport;
import io.ekslookout.detect.Detector;
import io.ekslookout.detect.InMemoryLogSource;
import io.ekslookout.detect.LocalBackend;
import io.ekslookout.detect.PlannedBackend;
import io.ekslookout.logs.LocalLogs;
import io.ekslookout.query.LogEvent;
import io.ekslookout.query.QueryLimits;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Converted rules plan like written ones: with the bundled rules, one prefilter query then every rule locally
 * (the default for scan --cluster and the Lambda) gives the same findings as one query per rule, over every
 * fixture event of the Sigma tests and the sample corpus.
 */
class SigmaPlannedTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void plannedAndDirectGiveTheSameFindings() throws Exception {
        SigmaImport.Report report = SigmaImport.run(List.of(SigmaFixturesTest.SIGMA.resolve("good")), dir, false);
        assertThat(report.ok()).isTrue();
        Files.createDirectories(dir.resolve("tests"));
        try (Stream<Path> s = Files.list(SigmaFixturesTest.SIGMA.resolve("tests"))) {
            for (Path p : s.toList()) {
                Files.copy(p, dir.resolve("tests").resolve(p.getFileName()));
            }
        }
        RuleSet sigma = RuleLoader.loadDirectory(dir);
        List<Rule> rules = new ArrayList<>(RuleLoader.loadDirectory(Path.of("../rules")).enabledRules());
        rules.addAll(sigma.rules());

        List<LogEvent> events = new ArrayList<>();
        LocalLogs.open(Path.of("../samples/eks-demo.jsonl.gz")).read(events::add);
        int n = 0;
        for (RuleTest t : sigma.tests()) {
            for (RuleTest.Case c : t.cases()) {
                for (RuleTest.Event e : c.events()) {
                    long ts = e.timestamp().toEpochMilli();
                    events.add(new LogEvent(ts, ts + 500, e.message(), e.logStream(), "/aws/eks/t/cluster",
                            "fixture-" + n++));
                }
            }
        }
        DetectionReport direct = new Detector(new LocalBackend(new InMemoryLogSource(events), CLOCK))
                .run(rules, LocalBackend.WHOLE_INPUT, null);
        PlannedBackend planned = new PlannedBackend(new LocalBackend(new InMemoryLogSource(events), CLOCK), CLOCK,
                QueryLimits.DEFAULT);
        Detector.Detection detection = new Detector(planned).detect(rules, LocalBackend.WHOLE_INPUT, null, null);
        DetectionReport viaPlan = detection.report();

        assertThat(direct.ruleErrors()).isEmpty();
        assertThat(direct.findings()).extracting(f -> f.ruleId())
                .contains(sigma.rules().stream().map(Rule::id).toArray(String[]::new));
        assertThat(viaPlan.ruleErrors()).isEqualTo(direct.ruleErrors());
        assertThat(viaPlan.findings()).isEqualTo(direct.findings());
        assertThat(detection.batch().planned().plans()).allSatisfy(p -> assertThat(p.separate()).isEmpty());
    }
}
