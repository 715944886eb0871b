package io.ekslookout.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ekslookout.query.LogEvent;
import io.ekslookout.testing.SampleGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** samples/generate.py: output readable by LocalLogs, deterministic, clean routine traffic, test cases spliced. */
class SampleGeneratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Path tests;

    @BeforeAll
    static void setUp() throws IOException {
        tests = Files.createDirectories(dir.resolve("tests"));
        Files.writeString(tests.resolve("aws-auth-mutation.yaml"), String.join("\n",
                "rule: aws-auth-mutation",
                "cases:",
                "  - name: patch of aws-auth",
                "    expect: fire",
                "    events:",
                "      - logStream: kube-apiserver-audit-0a1b2c",
                "        timestamp: \"2026-11-20T10:00:30.000Z\"",
                "        message:",
                "          kind: Event",
                "          verb: patch",
                "          user: {username: mallory, groups: [\"system:masters\"]}",
                "          objectRef: {resource: configmaps, namespace: kube-system, name: aws-auth}",
                "          responseStatus: {code: 200}",
                "          stageTimestamp: \"2026-11-20T10:00:30.000000Z\"",
                "  - name: a second firing case is not spliced",
                "    expect: fire",
                "    events:",
                "      - logStream: kube-apiserver-audit-0a1b2c",
                "        message: {kind: Event, verb: delete, user: {username: NOT-SPLICED}}",
                "  - name: reads by eks:authenticator",
                "    expect: quiet",
                "    events:",
                "      - logStream: kube-apiserver-audit-0a1b2c",
                "        repeat: 3",
                "        message: {kind: Event, verb: get, user: {username: quiet-reader},"
                        + " stageTimestamp: \"2026-11-20T10:00:00.000000Z\"}",
                ""));
        Files.writeString(tests.resolve("authenticator-denied.yaml"), String.join("\n",
                "rule: authenticator-denied",
                "cases:",
                "  - name: denied",
                "    expect: fire",
                "    events:",
                "      - logStream: authenticator-8c0c",
                "        repeat: 2",
                "        message: 'time=\"2026-11-20T10:00:00Z\" level=warning msg=\"access denied\" path=/authenticate'",
                ""));
    }

    private static void generate(Path out, String... extra) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--hours", "1", "--seed", "7", "--tests", tests.toString(),
                "--malformed", "3", "--out", out.toString()));
        args.addAll(List.of(extra));
        SampleGenerator.run(120, args.toArray(String[]::new));
    }

    @Test
    void byDefaultItWritesANewGzipUnderGeneratedWithTheSameBytesEveryTime() throws Exception {
        SampleGenerator.assumeAvailable();
        Path samples = Files.createDirectories(dir.resolve("copy").resolve("samples"));
        Path script = Files.copy(SampleGenerator.SCRIPT, samples.resolve("generate.py"));
        byte[] bundled = "the bundled corpus".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(samples.resolve("eks-demo.jsonl.gz"), bundled);
        String[] args = {"--hours", "0.2", "--seed", "7", "--tests", tests.toString()};

        SampleGenerator.runScript(script, 120, args);
        Path made = samples.resolve("generated").resolve("eks-20261120T080000Z-0p2h-seed7.jsonl.gz");
        assertThat(made).exists();
        byte[] first = Files.readAllBytes(made);
        SampleGenerator.runScript(script, 120, args);
        assertThat(Files.readAllBytes(made)).as("same arguments, same gzip bytes").isEqualTo(first);
        assertThat(Files.readAllBytes(samples.resolve("eks-demo.jsonl.gz"))).as("bundled corpus untouched")
                .isEqualTo(bundled);
        try (var files = Files.list(samples.resolve("generated"))) {
            assertThat(files.toList()).containsExactly(made);
        }
        // the gzip header holds neither a time (MTIME 0) nor the file name (no FNAME flag): any --out gives these bytes
        assertThat(first[3] & 0x08).as("FNAME flag").isZero();
        assertThat(java.util.Arrays.copyOfRange(first, 4, 8)).containsExactly(0, 0, 0, 0);
        Path elsewhere = dir.resolve("other-name.jsonl.gz");
        List<String> withOut = new ArrayList<>(List.of(args));
        withOut.addAll(List.of("--out", elsewhere.toString()));
        SampleGenerator.runScript(script, 120, withOut.toArray(String[]::new));
        assertThat(Files.readAllBytes(elsewhere)).isEqualTo(first);
        List<LogEvent> events = new ArrayList<>();
        assertThat(LocalLogs.open(made).read(events::add).malformed()).isZero();
        assertThat(events).isNotEmpty();
    }

    @Test
    void corpusIsDeterministicReadableAndCleanWithTheCasesSpliced() throws Exception {
        SampleGenerator.assumeAvailable();
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl.gz");
        generate(a);
        generate(b);
        Path again = dir.resolve("a2.jsonl");
        generate(again);
        assertThat(Files.readAllBytes(again)).as("same seed, same bytes").isEqualTo(Files.readAllBytes(a));

        List<LogEvent> events = new ArrayList<>();
        ReadReport report = LocalLogs.open(a).read(events::add);
        List<LogEvent> gzEvents = new ArrayList<>();
        LocalLogs.open(b).read(gzEvents::add);
        assertThat(gzEvents).isEqualTo(events);
        assertThat(report.malformed()).isEqualTo(3);
        long lines = Files.lines(a).count();
        assertThat(report.events()).isEqualTo(lines - 3);

        TreeSet<String> kinds = new TreeSet<>();
        Map<Long, Integer> serverErrorsPerMinute = new HashMap<>();
        List<JsonNode> spliced = new ArrayList<>();
        long denied = 0;
        long start = Instant.parse("2026-11-20T08:00:00Z").toEpochMilli();
        for (LogEvent e : events) {
            assertThat(e.timestamp()).isBetween(start, start + 3_600_000);
            assertThat(e.ingestionTime()).isGreaterThanOrEqualTo(e.timestamp());
            kinds.add(e.logStream().replaceAll("-[0-9a-f]+$", ""));
            if (e.logStream().startsWith("kube-apiserver-audit")) {
                JsonNode m = JSON.readTree(e.message());
                assertThat(m.path("kind").asText()).isEqualTo("Event");
                if (e.logStream().equals("kube-apiserver-audit-0a1b2c")) {
                    spliced.add(m);
                    continue;
                }
                assertThat(m.path("apiVersion").asText()).isEqualTo("audit.k8s.io/v1");
                int code = m.path("responseStatus").path("code").asInt();
                assertThat(code).as(e.message()).isNotIn(401, 403);
                if (code >= 500) {
                    serverErrorsPerMinute.merge(e.timestamp() / 60_000, 1, Integer::sum);
                }
                String user = m.path("user").path("username").asText();
                assertThat(user).isNotEmpty().doesNotStartWith("system:anonymous");
                assertThat(m.path("user").path("groups").toString()).doesNotContain("system:masters");
                String resource = m.path("objectRef").path("resource").asText();
                String verb = m.path("verb").asText();
                boolean write = List.of("create", "update", "patch", "delete").contains(verb);
                if (resource.equals("configmaps") && m.path("objectRef").path("name").asText().equals("aws-auth")) {
                    assertThat(write).as("routine aws-auth write: " + e.message()).isFalse();
                }
                if (resource.equals("secrets")) {
                    assertThat(user).as("secret read by a human").startsWith("system:");
                }
            } else if (e.message().contains("access denied")) {
                denied++;
            }
        }
        assertThat(kinds).containsExactly("authenticator", "kube-apiserver", "kube-apiserver-audit",
                "kube-controller-manager", "kube-scheduler");
        assertThat(serverErrorsPerMinute.values()).allMatch(n -> n < 10);
        assertThat(denied).isEqualTo(2);
        assertThat(spliced).extracting(m -> m.path("user").path("username").asText())
                .containsExactlyInAnyOrder("mallory", "quiet-reader", "quiet-reader", "quiet-reader");
        JsonNode mallory = spliced.stream().filter(m -> m.toString().contains("mallory")).findFirst().orElseThrow();
        assertThat(mallory.path("stageTimestamp").asText()).as("moved by whole 5-minute steps")
                .matches("2026-11-20T08:[0-5][05]:30.000000Z");
    }
}
