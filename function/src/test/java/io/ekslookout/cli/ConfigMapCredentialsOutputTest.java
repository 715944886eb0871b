package io.ekslookout.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.detect.DetectionReport;
import io.ekslookout.detect.Detector;
import io.ekslookout.detect.InMemoryLogSource;
import io.ekslookout.detect.LocalBackend;
import io.ekslookout.run.Wiring;
import io.ekslookout.notify.RuleInfo;
import io.ekslookout.query.LogEvent;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * configmap-credentials matches ConfigMaps because they hold credentials, and a ConfigMap's data is not a Secret's
 * (SecretScrubber keeps it): the rule must name the credential it found, never carry its value. Every credential
 * value planted in the rule's firing fixtures is looked for in scan's table, JSON and CSV output and in the email,
 * Slack and digest messages (bodies redacted or not): it must not appear, nor any 8-character piece of it.
 */
class ConfigMapCredentialsOutputTest {
    private static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
    private static final String RULE = "configmap-credentials";
    /** The values after a credential name in the fixtures (fixture text, not patterns: see values()). */
    private static final Pattern VALUE = Pattern.compile(
            "(?i)(?:aws_access_key_id|aws_secret_access_key|password|token)\\\\?\"?\\s*[:=]\\s*(?:\\\\?\")?([^\\s\"\\\\]{8,})");

    @TempDir
    Path dir;

    private static RuleSet rules() throws Exception {
        return RuleLoader.loadDirectory(ROOT.resolve("rules"));
    }

    private static List<RuleTest.Event> fireEvents(RuleSet set) {
        return set.tests().stream().filter(t -> !t.hunt() && t.target().equals(RULE))
                .flatMap(t -> t.cases().stream()).filter(c -> c.expect() == RuleTest.Expect.FIRE)
                .flatMap(c -> c.events().stream()).toList();
    }

    /** The credential values of the fixtures, read from the events themselves so new cases are covered. */
    private static List<String> values(List<RuleTest.Event> events) {
        List<String> out = new ArrayList<>();
        for (RuleTest.Event e : events) {
            Matcher m = VALUE.matcher(e.message());
            while (m.find()) {
                out.add(m.group(1));
            }
        }
        return out.stream().distinct().toList();
    }

    private static void assertNoValue(String output, List<String> values) {
        for (String v : values) {
            for (int i = 0; i + 8 <= v.length(); i++) {
                assertThat(output).as("piece '%s' of credential value '%s'", v.substring(i, i + 8), v)
                        .doesNotContain(v.substring(i, i + 8));
            }
        }
    }

    @Test
    void theFixturesPlantCredentials() throws Exception {
        List<String> values = values(fireEvents(rules()));
        assertThat(values).as("credential values in the firing fixtures")
                .contains("wJalrXUtnFEMI/K7MDENG/bPxRfiCYzLEDGERKEY", "Ledg3r-Pr0d-Passw0rd!")
                .hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void scanNamesTheCredentialButNeverPrintsItsValue() throws Exception {
        RuleSet set = rules();
        List<RuleTest.Event> events = fireEvents(set);
        List<String> values = values(events);
        ObjectMapper json = new ObjectMapper();
        StringBuilder lines = new StringBuilder();
        int i = 0;
        for (RuleTest.Event e : events) {
            ObjectNode n = json.createObjectNode();
            n.put("logStreamName", e.logStream());
            n.put("timestamp", e.timestamp().toEpochMilli() + i++);
            n.put("message", e.message());
            lines.append(json.writeValueAsString(n)).append('\n');
        }
        Path logs = dir.resolve("configmaps.jsonl");
        Files.writeString(logs, lines, StandardCharsets.UTF_8);
        assertThat(Files.readString(logs)).contains(values.get(0));

        for (String format : List.of("table", "json", "csv")) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new PrintWriter(out), new PrintWriter(err), "scan", "--logs", logs.toString(),
                    "--rules", ROOT.resolve("rules").toString(), "--format", format);
            assertThat(code).as(err.toString()).isEqualTo(1);
            String all = out + "\n" + err;
            assertThat(all).as(format).contains(RULE).containsIgnoringCase("aws_access_key_id")
                    .contains("DB_PASSWORD").contains("GITHUB_TOKEN");
            assertNoValue(all, values);
        }
    }

    @Test
    void messagesNeverCarryTheValue() throws Exception {
        RuleSet set = rules();
        List<RuleTest.Event> events = fireEvents(set);
        List<String> values = values(events);
        List<LogEvent> logEvents = new ArrayList<>();
        int i = 0;
        for (RuleTest.Event e : events) {
            long t = e.timestamp().toEpochMilli() + i;
            logEvents.add(new LogEvent(t, t, e.message(), e.logStream(), "/aws/eks/prod/cluster", "e" + i++));
        }
        Rule rule = set.rule(RULE).orElseThrow();
        DetectionReport rep = new Detector(new LocalBackend(new InMemoryLogSource(logEvents)))
                .run(List.of(rule), LocalBackend.WHOLE_INPUT, null);
        assertThat(rep.findings()).isNotEmpty();
        RuleInfo info = Wiring.ruleInfo(rule);
        StringBuilder out = new StringBuilder();
        for (boolean bodies : new boolean[] {true, false}) {
            NotificationTexts.appendFindings(out, NotificationTexts.builder(bodies), rep.findings(), info,
                    Instant.parse("2026-11-20T10:00:00Z"), Instant.parse("2026-11-20T10:05:00Z"));
        }
        assertThat(out.toString()).contains("DB_PASSWORD");
        assertNoValue(out.toString(), values);
    }
}
