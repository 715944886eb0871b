package io.ekslookout.run;

import io.ekslookout.rules.Rule;
import io.ekslookout.rules.RuleValidationException;
import io.ekslookout.rules.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The Lambda runs the effective rules: RULES_DIR's overrides.yaml applied by the same loader as the CLI. */
class WiringOverridesTest {
    private static final Path RULES = Path.of(System.getProperty("repo.root", ".."), "rules");

    @TempDir
    Path dir;

    /** The repository's rule files, as cdk synth stages them for the function (no tests/, no hunts/). */
    private void stageRules() throws Exception {
        try (Stream<Path> s = Files.list(RULES)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".yaml")).toList()) {
                Files.copy(p, dir.resolve(p.getFileName()));
            }
        }
    }

    @Test
    void theLambdaRunsTheRulesWithTheOverlayApplied() throws Exception {
        stageRules();
        List<Rule> bundled = Wiring.loadRules(dir.toString(), null);
        assertThat(bundled).extracting(Rule::id).contains("pod-exec", "secret-read-by-user");
        Files.writeString(dir.resolve("overrides.yaml"), """
                pod-exec:
                  enabled: false
                secret-read-by-user:
                  severity: critical
                  renotifyAfter: 6h
                """);
        List<Rule> effective = Wiring.loadRules(dir.toString(), null);
        assertThat(effective).extracting(Rule::id).doesNotContain("pod-exec").hasSize(bundled.size() - 1);
        Rule secrets = effective.stream().filter(r -> r.id().equals("secret-read-by-user")).findFirst().orElseThrow();
        assertThat(secrets.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(secrets.renotifyAfter()).hasHours(6);
        // MIN_SEVERITY filters on the effective severity
        assertThat(Wiring.loadRules(dir.toString(), "critical")).extracting(Rule::id).contains("secret-read-by-user");
    }

    @Test
    void aBadOverlayStopsTheLambdaWithALocatedProblem() throws Exception {
        stageRules();
        Files.writeString(dir.resolve("overrides.yaml"), "pod-exce:\n  enabled: false\n");
        assertThat(catchThrowableOfType(RuleValidationException.class, () -> Wiring.loadRules(dir.toString(), null))
                .problems()).singleElement().hasToString(dir.resolve("overrides.yaml") + ":1:1: overrides for"
                + " unknown rule 'pod-exce' (did you mean 'pod-exec'?); rules: " + String.join(", ",
                io.ekslookout.rules.RuleLoader.loadDirectory(RULES).rules().stream().map(Rule::id).sorted().toList()));
    }
}
