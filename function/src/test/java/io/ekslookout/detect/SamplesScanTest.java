package io.ekslookout.detect;

import io.ekslookout.logs.LocalLogs;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled corpus (samples/, made by samples/generate.py --tests rules/tests, see samples/README.md) holds hours
 * of routine traffic plus, for every rule, its first "fire" fixture case (the planted incident) and all its "quiet"
 * cases (the decoys). Scanning it with the bundled rules must report exactly the planted incidents: one finding set
 * per rule, with the matchCount its fixture declares, the planted actor in the rows, and nothing from the routine
 * traffic or the decoys. The expectations are read from the fixtures, so adding a rule with tests extends this
 * test (after regenerating the corpus).
 */
class SamplesScanTest {
    private static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
    private static final Path SAMPLES = ROOT.resolve("samples");
    private static final Path CORPUS = SAMPLES.resolve("eks-demo.jsonl.gz");

    private static RuleSet rules;
    private static DetectionReport report;
    private static io.ekslookout.logs.ReadReport read;

    @BeforeAll
    static void scan() throws Exception {
        rules = RuleLoader.loadDirectory(ROOT.resolve("rules"));
        Detector.Detection d = new Detector(new LocalBackend(LocalLogs.open(SAMPLES)))
                .detect(rules.enabledRules(), LocalBackend.WHOLE_INPUT, null, null);
        report = d.report();
        read = d.batch().readReport();
    }

    /** rule id → the first case that must fire, as generate.py splices it. */
    private static Map<String, RuleTest.Case> plantedIncidents() {
        Map<String, RuleTest.Case> planted = new TreeMap<>();
        for (RuleTest t : rules.tests()) {
            if (t.hunt()) {
                continue;
            }
            t.cases().stream().filter(c -> c.expect() == RuleTest.Expect.FIRE).findFirst()
                    .ifPresent(c -> planted.putIfAbsent(t.target(), c));
        }
        return planted;
    }

    @Test
    void theCorpusIsThere() throws Exception {
        assertThat(CORPUS).exists();
        assertThat(Files.size(CORPUS)).isGreaterThan(500_000);
    }

    @Test
    void everyRuleRanWithoutError() {
        assertThat(report.ruleErrors()).isEmpty();
        assertThat(report.rulesRun()).isEqualTo(rules.enabledRules().size());
    }

    @Test
    void exactlyThePlantedIncidentsFire() {
        Map<String, RuleTest.Case> planted = plantedIncidents();
        assertThat(planted.keySet()).containsExactlyInAnyOrderElementsOf(
                rules.enabledRules().stream().map(Rule::id).toList());

        Map<String, List<Finding>> byRule = report.findings().stream()
                .collect(Collectors.groupingBy(Finding::ruleId, TreeMap::new, Collectors.toList()));
        assertThat(byRule.keySet()).as("rules that fired").containsExactlyElementsOf(planted.keySet());

        for (var e : planted.entrySet()) {
            String id = e.getKey();
            RuleTest.Case incident = e.getValue();
            List<Finding> found = byRule.get(id);
            long matches = found.stream().mapToLong(Finding::matchCount).sum();
            String why = id + " over samples/: " + found;
            if (incident.matchCount() != null) {
                assertThat(matches).as(why).isEqualTo(incident.matchCount());
            }
            Rule rule = rules.rule(id).orElseThrow();
            if (rule.groupBy().isEmpty()) {
                assertThat(found).as(why).hasSize(1);
            }
        }
    }

    @Test
    void theFindingsShowThePlantedActors() {
        Map<String, String> actor = Map.of(
                "aws-auth-mutation", "kubernetes-admin",
                "kube-system-daemonset-change", "kubernetes-admin",
                "kube-system-pod-exec", "kubernetes-admin",
                "secret-read-by-user", "kubernetes-admin",
                "privileged-container", "kubernetes-admin",
                "anonymous-or-default-sa-binding", "kubernetes-admin");
        for (var e : actor.entrySet()) {
            Finding f = report.findings().stream().filter(x -> x.ruleId().equals(e.getKey())).findFirst().orElseThrow();
            assertThat(f.rows()).as(e.getKey()).allSatisfy(row ->
                    assertThat(row).containsEntry("user.username", e.getValue()));
        }
        Finding spike = report.findings().stream().filter(x -> x.ruleId().equals("apiserver-5xx-spike")).findFirst()
                .orElseThrow();
        assertThat(spike.rows()).singleElement().satisfies(row ->
                assertThat(Long.parseLong(row.get("errors"))).isGreaterThanOrEqualTo(10));
    }

    @Test
    void malformedLinesAreCountedNotLost() {
        assertThat(read.malformed()).isEqualTo(3);
        assertThat(read.events()).isGreaterThan(10_000);
    }
}
