package io.ekslookout.sigma;

import io.ekslookout.detect.RuleTestRunner;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Sigma rule under src/test/resources/sigma/good (one per construct: selections, modifiers, wildcards and
 * escapes, conditions, null/exists/numbers, regexes, hostPath/capabilities, keywords, hostile values) is converted,
 * the rule files are loaded by the rule loader, and the fixtures in sigma/tests (events that must fire and
 * near-misses that must not) run through the real detector and embedded engine.
 */
class SigmaFixturesTest {
    static final Path SIGMA = Path.of("src/test/resources/sigma");

    @TempDir
    Path dir;

    @Test
    void everyFixtureConvertsAndItsEventsFireOrStayQuiet() throws Exception {
        List<Path> sigma = sigmaFiles();
        SigmaImport.Report report = SigmaImport.run(List.of(SIGMA.resolve("good")), dir, false);
        assertThat(report.problems()).isEmpty();
        assertThat(report.written()).hasSize(sigma.size());
        copyTests(dir.resolve("tests"));

        RuleSet set = RuleLoader.loadDirectory(dir);
        assertThat(set.rules()).hasSize(sigma.size());
        assertThat(set.tests()).hasSize(sigma.size());
        RuleTestRunner.Report run = RuleTestRunner.run(set);
        assertThat(run.ok()).as(run.render()).isTrue();
        // every rule has its fire and quiet cases (the runner reports a rule without them as a failure)
        assertThat(run.results()).hasSizeGreaterThanOrEqualTo(2 * sigma.size());
    }

    @Test
    void conversionIsDeterministic() throws Exception {
        for (Path p : sigmaFiles()) {
            String text = Files.readString(p);
            SigmaConverter.Result a = SigmaConverter.convert(p.toString(), text);
            SigmaConverter.Result b = SigmaConverter.convert(p.toString(), text);
            assertThat(a.ok()).as(p + ": " + a.problems()).isTrue();
            assertThat(a.rule().yaml()).isEqualTo(b.rule().yaml());
            assertThat(a.rule().id()).matches("[a-z0-9]+(-[a-z0-9]+)*");
        }
    }

    @Test
    void levelsBecomeSeveritiesAndMetadataIsCarried() throws Exception {
        SigmaConverter.Result r = SigmaConverter.convert("x.yml", Files.readString(SIGMA.resolve(
                "good/string_modifiers.yml")));
        String y = r.rule().yaml();
        assertThat(y).contains("severity: high", "title: Suspicious Tool Reads Secrets",
                "0c6a4d2e-7b1f-4e5d-8a9c-112233445566", "Sanctioned secret scanning", "- T1552.007",
                "- attack.credential-access", "- sigma", "by eks-lookout tests");
        String info = SigmaConverter.convert("y.yml", Files.readString(SIGMA.resolve("good/them_and_lists.yml")))
                .rule().yaml();
        assertThat(info).contains("severity: info");
        String noLevel = SigmaConverter.convert("z.yml", """
                title: No Level
                logsource: {product: kubernetes, service: audit}
                detection: {sel: {verb: delete}, condition: sel}
                """).rule().yaml();
        assertThat(noLevel).contains("severity: medium", "no level (medium here)");
    }

    static List<Path> sigmaFiles() throws IOException {
        try (Stream<Path> s = Files.list(SIGMA.resolve("good"))) {
            return s.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    private static void copyTests(Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(SIGMA.resolve("tests"))) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }
}
