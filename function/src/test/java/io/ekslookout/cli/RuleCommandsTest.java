package io.ekslookout.cli;

import io.ekslookout.testing.CliRun;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** scan, hunt, test and validate end to end: exit codes, the findings JSON schema, located errors. */
class RuleCommandsTest {
    @TempDir
    Path dir;
    Path rules;
    Path logs;
    String out;
    String err;

    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    private int run(String... args) {
        CliRun r = CliRun.of(args);
        out = r.out();
        err = r.err();
        return r.code();
    }

    private void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private static String line(long offsetSeconds, String stream, String message) {
        String escaped = message.replace("\\", "\\\\").replace("\"", "\\\"");
        long ts = T0.plusSeconds(offsetSeconds).toEpochMilli();
        return "{\"logStreamName\":\"" + stream + "\",\"timestamp\":" + ts + ",\"ingestionTime\":" + (ts + 1000)
                + ",\"message\":\"" + escaped + "\"}\n";
    }

    private static String audit(String user, String verb, int code) {
        return "{\"kind\":\"Event\",\"stage\":\"ResponseComplete\",\"verb\":\"" + verb + "\",\"user\":{\"username\":\""
                + user + "\"},\"objectRef\":{\"resource\":\"pods\",\"name\":\"p\"},\"responseStatus\":{\"code\":"
                + code + "}}";
    }

    @BeforeEach
    void setUp() throws IOException {
        rules = dir.resolve("rules");
        write(rules.resolve("verb-delete.yaml"), """
                id: verb-delete
                title: Something was deleted
                severity: high
                description: deletes
                query: |
                  filter verb = "delete"
                  | fields @timestamp, user.username, verb, objectRef.name
                suppress:
                  user.username: ["/^eks:/"]
                groupBy: [user.username]
                summary: One line on why it matters.
                """);
        write(rules.resolve("errors-spike.yaml"), """
                id: errors-spike
                title: Many server errors
                severity: medium
                description: 5xx
                query: |
                  filter responseStatus.code >= 500
                  | stats count(*) as errors by bin(1m)
                threshold: {column: errors, op: ">=", value: 3}
                summary: One line on why it matters.
                """);
        write(rules.resolve("hunts/requests-by-user.yaml"), """
                id: requests-by-user
                title: Requests by a user
                description: everything one user did
                params:
                  user: {description: the user name, required: true}
                query: |
                  filter user.username = "{{user}}"
                  | fields @timestamp, verb, responseStatus.code
                  | sort @timestamp asc
                """);
        StringBuilder sb = new StringBuilder();
        sb.append(line(1, "kube-apiserver-audit-1", audit("alice", "delete", 200)));
        sb.append(line(2, "kube-apiserver-audit-1", audit("alice", "delete", 200)));
        sb.append(line(3, "kube-apiserver-audit-1", audit("bob", "delete", 403)));
        sb.append(line(4, "kube-apiserver-audit-1", audit("eks:addon-manager", "delete", 200)));
        for (int i = 0; i < 4; i++) {
            sb.append(line(10 + i, "kube-apiserver-audit-1", audit("carol", "get", 503)));
        }
        sb.append(line(70, "kube-apiserver-audit-1", audit("carol", "get", 500)));
        sb.append("this is not json\n");
        logs = dir.resolve("logs.jsonl");
        write(logs, sb.toString());
    }

    private List<JsonNode> jsonLines() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : this.out.split("\n")) {
            if (!l.isBlank()) {
                out.add(new ObjectMapper().readTree(l));
            }
        }
        return out;
    }

    @Test
    void scanJsonPrintsOneObjectPerFindingWithExactlyTheDocumentedKeys() throws IOException {
        int code = run("scan", "--logs", logs.toString(), "--rules", rules.toString(), "--format", "json");
        assertThat(code).as(err).isEqualTo(1);
        List<JsonNode> findings = jsonLines();
        assertThat(findings).hasSize(3);
        for (JsonNode f : findings) {
            List<String> keys = new ArrayList<>();
            f.fieldNames().forEachRemaining(keys::add);
            assertThat(keys).containsExactlyElementsOf(FindingPrinter.JSON_KEYS);
            assertThat(f.get("windowStart").asText()).isEqualTo(T0.plusSeconds(1).toString());
            assertThat(f.get("windowEnd").asText()).isEqualTo(T0.plusSeconds(70).plusMillis(1).toString());
        }
        JsonNode alice = findings.get(0);
        assertThat(alice.get("ruleId").asText()).isEqualTo("verb-delete");
        assertThat(alice.get("severity").asText()).isEqualTo("high");
        assertThat(alice.get("title").asText()).isEqualTo("Something was deleted");
        assertThat(alice.get("groupKey").asText()).isEqualTo("alice");
        assertThat(alice.get("matchCount").asLong()).isEqualTo(2);
        assertThat(alice.get("rows")).hasSize(2);
        assertThat(alice.get("rows").get(0).get("user.username").asText()).isEqualTo("alice");
        assertThat(alice.get("rowsOmitted").asLong()).isZero();
        assertThat(findings.get(1).get("groupKey").asText()).isEqualTo("bob");
        JsonNode spike = findings.get(2);
        assertThat(spike.get("ruleId").asText()).isEqualTo("errors-spike");
        assertThat(spike.get("groupKey").isNull()).isTrue();
        assertThat(spike.get("matchCount").asLong()).isEqualTo(1);
        assertThat(spike.get("rows").get(0).get("errors").asText()).isEqualTo("4");
        // the summary goes to stderr so stdout stays machine-readable
        assertThat(err).contains("2 rules run").contains("malformed lines: 1").contains("suppressed rows: 1");
    }

    @Test
    void scanCsvHasAHeaderAndOneLinePerShownRow() {
        assertThat(run("scan", "--logs", logs.toString(), "--rules", rules.toString(), "--format", "csv"))
                .isEqualTo(1);
        List<String> lines = out.lines().toList();
        assertThat(lines.get(0)).isEqualTo("severity,ruleId,title,cluster,groupKey,matchCount,rowsOmitted,windowStart,"
                + "windowEnd,row");
        assertThat(lines).hasSize(1 + 2 + 1 + 1); // alice's 2 rows, bob's row, the spike's bin
        assertThat(lines.get(1)).startsWith("high,verb-delete,Something was deleted,,alice,2,0,");
        assertThat(lines.get(1)).contains("\"{\"\"@timestamp\"\":");
        assertThat(err).contains("findings: 3");
    }

    @Test
    void scanTableIsReadableAndSummarises() {
        int code = run("scan", "--logs", logs.toString(), "--rules", rules.toString());
        assertThat(code).isEqualTo(1);
        assertThat(out).contains("HIGH     verb-delete — Something was deleted  [alice]  (2 matches)")
                .contains("MEDIUM   errors-spike — Many server errors  (1 match)")
                .contains("user.username=alice")
                .contains("findings: 3 (high 2, medium 1); rule errors: 0; events read: 9; malformed lines: 1");
    }

    @Test
    void failOnAndMinSeverityChooseTheExitCodeAndTheRules() throws IOException {
        assertThat(run("scan", "--logs", logs.toString(), "--rules", rules.toString(), "--fail-on", "critical"))
                .isZero();
        assertThat(run("scan", "--logs", logs.toString(), "--rules", rules.toString(), "--min-severity", "high",
                "--format", "json")).isEqualTo(1);
        assertThat(jsonLines()).extracting(j -> j.get("ruleId").asText()).containsOnly("verb-delete");
        assertThat(err).contains("1 rule run (of 2)");
    }

    @Test
    void sinceAndUntilNarrowTheWindow() throws IOException {
        assertThat(run("scan", "--logs", logs.toString(), "--rules", rules.toString(), "--format", "json",
                "--since", T0.plusSeconds(5).toString(), "--until", T0.plusSeconds(60).toString())).isEqualTo(1);
        List<JsonNode> f = jsonLines();
        assertThat(f).extracting(j -> j.get("ruleId").asText()).containsExactly("errors-spike");
        assertThat(f.get(0).get("windowStart").asText()).isEqualTo(T0.plusSeconds(5).toString());
        assertThat(run("scan", "--logs", logs.toString(), "--rules", rules.toString(),
                "--since", T0.plusSeconds(100).toString(), "--until", T0.plusSeconds(200).toString())).isZero();
        assertThat(out).contains("findings: 0");
    }

    @Test
    void badRulesExitTwoWithLocatedProblems() throws IOException {
        write(rules.resolve("errors-spike.yaml"), Files.readString(rules.resolve("errors-spike.yaml"))
                .replace("severity: medium", "severity: meduim"));
        assertThat(run("scan", "--logs", logs.toString(), "--rules", rules.toString())).isEqualTo(2);
        assertThat(err).contains(rules.resolve("errors-spike.yaml") + ":3:11: severity 'meduim' is not one of");
        assertThat(out).isEmpty();
        assertThat(run("validate", rules.toString())).isEqualTo(2);
        assertThat(out).contains(":3:11: severity 'meduim'").contains("1 problem in rule files")
                .contains("\n    severity: meduim\n              ^\n");
        write(rules.resolve("errors-spike.yaml"), Files.readString(rules.resolve("errors-spike.yaml"))
                .replace("severity: meduim", "severity: medium"));
        assertThat(run("validate", rules.toString())).isZero();
        assertThat(out).contains("2 rules (2 enabled), 1 hunts, 0 test files: valid");
    }

    @Test
    void anEmptyInputIsSaidOutLoud() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("notes.txt"), "not a log file");
        assertThat(run("scan", "--logs", empty.toString(), "--rules", rules.toString())).isEqualTo(2);
        assertThat(err).contains("error: --logs: no log files in " + empty).contains("not read: "
                + empty.resolve("notes.txt"));
        assertThat(out).isEmpty();
        assertThat(run("query", "--logs", empty.toString(), "fields @message")).isEqualTo(2);
        assertThat(err).contains("error: --logs: no log files in " + empty);
        Files.writeString(empty.resolve("events.jsonl"), "");
        assertThat(run("scan", "--logs", empty.toString(), "--rules", rules.toString())).isZero();
        assertThat(out).contains("events read: 0").contains("warning: no log events were read");
    }

    @Test
    void anInputOfOnlyMalformedLinesIsAnErrorNotACleanScan() throws IOException {
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bad.resolve("events.jsonl"), "not json\n{\"message\":\"no timestamp\"}\n");
        assertThat(run("scan", "--logs", bad.toString(), "--rules", rules.toString())).isEqualTo(2);
        assertThat(out).contains("events read: 0").contains("malformed lines: 2")
                .contains("error: no readable log event: every one of the 2 records was malformed")
                .contains("events.jsonl:1:");
    }

    @Test
    void aBadCommandLineIsOneErrorLineNotTheUsage() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err).startsWith("error: Unmatched argument at index 0: 'frobnicate'")
                .contains("See 'eks-lookout --help'.").doesNotContain("Usage:");
        assertThat(run("scan", "--bogus")).isEqualTo(2);
        assertThat(err).startsWith("error: Unknown option: '--bogus'").contains("See 'eks-lookout scan --help'.")
                .doesNotContain("Usage:");
        assertThat(out).isEmpty();
    }

    @Test
    void badArgumentsExitTwo() {
        assertThat(run("scan", "--logs", logs.toString(), "--rules", rules.toString(), "--fail-on", "urgent"))
                .isEqualTo(2);
        assertThat(err).contains("--fail-on 'urgent' is not one of info, low, medium, high, critical");
        assertThat(run("scan", "--logs", dir.resolve("missing").toString(), "--rules", rules.toString()))
                .isEqualTo(2);
        assertThat(run("scan", "--logs", logs.toString(), "--rules", rules.toString(), "--format", "xml"))
                .isEqualTo(2);
        assertThat(run("scan", "--rules", rules.toString())).isEqualTo(2);
    }

    @Test
    void huntRunsWithEscapedParamsAndNamesMissingOnes() throws IOException {
        assertThat(run("hunt", "requests-by-user", "--logs", logs.toString(), "--rules", rules.toString()))
                .isEqualTo(2);
        assertThat(err).contains("hunt 'requests-by-user' needs parameter user (the user name)");
        assertThat(run("hunt", "requests-by-user", "--param", "user=bob", "--logs", logs.toString(), "--rules",
                rules.toString(), "--format", "csv")).as(err).isZero();
        assertThat(out.lines().toList()).hasSize(2);
        assertThat(out).contains("delete").contains("403");
        // a value that tries to close the string literal matches nothing instead of widening the query
        assertThat(run("hunt", "requests-by-user", "--param", "user=x\" or verb = \"delete", "--logs",
                logs.toString(), "--rules", rules.toString(), "--format", "json")).isZero();
        assertThat(out).isBlank();
        assertThat(run("hunt", "nope", "--logs", logs.toString(), "--rules", rules.toString())).isEqualTo(2);
        assertThat(err).contains("no hunt named 'nope'; hunts: requests-by-user");
    }

    @Test
    void huntListingShowsRequiredDefaultAndOptionalParameters() {
        Path repoRules = Path.of(System.getProperty("repo.root", ".."), "rules");
        assertThat(run("hunt", "--rules", repoRules.toString())).as(err).isZero();
        assertThat(out).contains("--param userAgent=…  (required) substring of the user agent")
                .contains("--param username=…  (default kubernetes-admin) ")
                .contains("--param verb=…  (optional) only this verb")
                .doesNotContain("(default )").doesNotContain("(default \"\")");
    }

    @Test
    void testCommandPassesAndFailsWithADiff() throws IOException {
        write(rules.resolve("tests/verb-delete.yaml"), """
                rule: verb-delete
                cases:
                  - name: a delete by a person
                    expect: fire
                    matchCount: 1
                    events:
                      - logStream: kube-apiserver-audit-1
                        message: {verb: delete, user: {username: alice}, objectRef: {name: p}}
                  - name: a delete by EKS itself
                    expect: quiet
                    events:
                      - logStream: kube-apiserver-audit-1
                        message: {verb: delete, user: {username: "eks:addon-manager"}}
                """);
        write(rules.resolve("tests/errors-spike.yaml"), """
                rule: errors-spike
                cases:
                  - name: three errors in a minute
                    expect: fire
                    events:
                      - logStream: kube-apiserver-audit-1
                        repeat: 3
                        message: {responseStatus: {code: 500}}
                  - name: two errors are not a spike
                    expect: quiet
                    events:
                      - logStream: kube-apiserver-audit-1
                        repeat: 2
                        message: {responseStatus: {code: 500}}
                """);
        write(rules.resolve("hunts/tests/requests-by-user.yaml"), """
                hunt: requests-by-user
                cases:
                  - name: finds the user's requests
                    expect: fire
                    matchCount: 2
                    params: {user: alice}
                    events:
                      - logStream: kube-apiserver-audit-1
                        repeat: 2
                        message: {verb: get, user: {username: alice}}
                      - logStream: kube-apiserver-audit-1
                        message: {verb: get, user: {username: bob}}
                """);
        assertThat(run("test", rules.toString())).as(out + err).isZero();
        assertThat(out).contains("PASS  verb-delete: a delete by a person").contains("5 cases: 5 passed, 0 failed");

        write(rules.resolve("tests/errors-spike.yaml"), Files.readString(rules.resolve("tests/errors-spike.yaml"))
                .replace("repeat: 2", "repeat: 4"));
        assertThat(run("test", rules.toString(), "--only", "verb-delete,requests-by-user")).isZero();
        assertThat(out).contains("3 cases: 3 passed, 0 failed").doesNotContain("errors-spike");
        assertThat(run("test", rules.toString(), "--only", "nope")).isEqualTo(2);
        assertThat(run("test", rules.toString())).isEqualTo(1);
        assertThat(out).contains("FAIL  errors-spike: two errors are not a spike")
                .contains("expected: quiet (no finding)")
                .contains("actual:   fire: 1 finding, matchCount 1")
                .contains("errors=4")
                .contains("5 cases: 4 passed, 1 failed");
    }

    @Test
    void testCommandRequiresAFireAndAQuietCasePerRule() {
        assertThat(run("test", rules.toString())).isEqualTo(1);
        assertThat(out).contains("FAIL  verb-delete: has tests").contains("missing: both");
    }
}
