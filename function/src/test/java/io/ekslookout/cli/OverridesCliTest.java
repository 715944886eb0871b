package io.ekslookout.cli;

import io.ekslookout.testing.CliRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tuning overlay through the CLI: every kind of change shows in the README sample scan, {@code validate} shows
 * what the overlay changes, {@code test} runs the bundled rules unless asked, and a bad overlay exits 2 located.
 */
class OverridesCliTest {
    private static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
    private static final String SAMPLE = ROOT.resolve("samples/eks-demo.jsonl.gz").toString();
    private static final String RULES = ROOT.resolve("rules").toString();

    @TempDir
    Path dir;
    String out;
    String err;

    private int run(String... args) {
        CliRun r = CliRun.of(args);
        out = r.out();
        err = r.err();
        return r.code();
    }

    /** ruleId → severity of each finding of a JSON scan. */
    private Map<String, String> findings(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("scan", "--logs", SAMPLE, "--rules", RULES, "--format", "json"));
        args.addAll(List.of(extra));
        assertThat(run(args.toArray(String[]::new))).as(err).isEqualTo(1);
        Map<String, String> by = new TreeMap<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                JsonNode f = new ObjectMapper().readTree(line);
                by.put(f.get("ruleId").asText(), f.get("severity").asText());
            }
        }
        return by;
    }

    @Test
    void eachKindOfOverrideChangesTheSampleScan() throws Exception {
        Map<String, String> before = findings();
        assertThat(before).containsEntry("pod-exec", "low").containsEntry("denied-authentication", "low")
                .containsKeys("secret-read-by-user", "wildcard-role", "apiserver-5xx-spike");
        Path overlay = dir.resolve("site.yaml");
        Files.writeString(overlay, """
                pod-exec:
                  enabled: false
                denied-authentication:
                  severity: critical
                secret-read-by-user:
                  suppress:
                    secret: [db-password]
                wildcard-role:
                  suppress:
                    iamArn: ["/assumed-role/ci-deployer/"]
                apiserver-5xx-spike:
                  # the sample's spike has errors = 10
                  threshold: {column: errors, op: ">", value: 10}
                  renotifyAfter: 6h
                """);
        Map<String, String> after = findings("--overrides", overlay.toString());

        Map<String, String> expected = new TreeMap<>(before);
        expected.remove("pod-exec");
        expected.remove("secret-read-by-user");
        expected.remove("wildcard-role");
        expected.remove("apiserver-5xx-spike");
        expected.put("denied-authentication", "critical");
        assertThat(after).isEqualTo(expected);
    }

    @Test
    void validateShowsWhatTheOverlayChanges() throws Exception {
        Path overlay = dir.resolve("site.yaml");
        Files.writeString(overlay, "pod-exec:\n  enabled: false\n  renotifyAfter: 1d\n");
        assertThat(run("validate", RULES, "--overrides", overlay.toString())).as(out).isEqualTo(0);
        assertThat(out).contains(overlay + ": overrides for 1 rule: valid\n"
                + "  pod-exec: enabled: false, renotifyAfter: 1d (with --state or STATE_TABLE)\n");
        assertThat(out).containsPattern("rules \\(\\d+ enabled\\)");
    }

    @Test
    void aBadOverlayExitsTwoLocatedOnEveryCommandThatLoadsRules() throws Exception {
        Path overlay = dir.resolve("site.yaml");
        Files.writeString(overlay, "pod-exec:\n  severity: urgent\n");
        String expected = overlay + ":2:13: severity 'urgent' is not one of info, low, medium, high, critical";
        assertThat(run("validate", RULES, "--overrides", overlay.toString())).isEqualTo(2);
        assertThat(out).contains(expected + "\n      severity: urgent\n                ^\n");
        assertThat(run("scan", "--logs", SAMPLE, "--rules", RULES, "--overrides", overlay.toString())).isEqualTo(2);
        assertThat(err).contains(expected);
        assertThat(run("plan", "--rules", RULES, "--overrides", overlay.toString())).isEqualTo(2);
        assertThat(err).contains(expected);
        assertThat(run("test", RULES, "--only", "pod-exec", "--overrides", overlay.toString())).isEqualTo(2);
        assertThat(err).contains(expected);
    }

    @Test
    void testRunsTheBundledRulesUnlessAskedToApplyTheOverlay() throws Exception {
        Path overlay = dir.resolve("site.yaml");
        // suppresses the user of pod-exec's firing fixture
        Files.writeString(overlay, "pod-exec:\n  suppress:\n    user.username: [\"dev:carol\"]\n");
        assertThat(run("test", RULES, "--only", "pod-exec", "--overrides", overlay.toString())).as(out).isEqualTo(0);
        assertThat(run("test", RULES, "--only", "pod-exec", "--overrides", overlay.toString(), "--with-overrides"))
                .as(out).isEqualTo(1);
        assertThat(out).contains("FAIL");
    }
}
