package io.ekslookout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleTest;
import io.ekslookout.testing.SampleGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The product's promise end to end: a synthetic corpus (samples/generate.py: routine traffic, each rule's first
 * firing case and every near-miss case spliced in) scanned with the repository's rules reports exactly the
 * planted incidents — every rule fires, with the matchCount its firing case expects — and nothing from routine
 * traffic or the decoys.
 */
class ScanSamplesTest {
    private static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));

    @TempDir
    Path dir;

    @Test
    void scanReportsExactlyThePlantedIncidents() throws Exception {
        Path rulesDir = ROOT.resolve("rules");
        assumeTrue(Files.exists(SampleGenerator.SCRIPT) && Files.isDirectory(rulesDir.resolve("tests")),
                "no generator or tests");
        SampleGenerator.assumeAvailable();
        RuleSet set = RuleLoader.loadDirectory(rulesDir);
        assumeTrue(!set.rules().isEmpty(), "no rules yet");

        Path corpus = dir.resolve("corpus.jsonl.gz");
        SampleGenerator.run(300, "--hours", "1", "--seed", "11", "--tests", rulesDir.resolve("tests").toString(),
                "--malformed", "2", "--out", corpus.toString());

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "scan", "--logs", corpus.toString(),
                "--rules", rulesDir.toString(), "--format", "json");
        assertThat(code).as(err.toString()).isEqualTo(1);
        assertThat(err.toString()).contains("rule errors: 0").contains("malformed lines: 2");

        Map<String, Long> actual = new TreeMap<>();
        List<String> details = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode f = new ObjectMapper().readTree(line);
            actual.merge(f.get("ruleId").asText(), f.get("matchCount").asLong(), Long::sum);
            details.add(line);
        }
        Map<String, Long> expected = new TreeMap<>();
        for (Rule r : set.enabledRules()) {
            RuleTest.Case fire = set.tests().stream().filter(t -> !t.hunt() && t.target().equals(r.id()))
                    .flatMap(t -> t.cases().stream()).filter(c -> c.expect() == RuleTest.Expect.FIRE)
                    .findFirst().orElseThrow();
            expected.put(r.id(), fire.matchCount() == null ? actual.getOrDefault(r.id(), -1L) : fire.matchCount());
        }
        assertThat(actual).as("findings per rule (matchCount summed):%n%s", String.join("\n", details))
                .isEqualTo(expected);
    }
}
