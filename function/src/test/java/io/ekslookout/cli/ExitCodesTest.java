package io.ekslookout.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One meaning per exit code across every command: 0 clean, 1 findings (scan) or a failing case (test), 2 bad input,
 * configuration or rules, 3 internal error. Query and hunt rows are results, not findings: 0.
 */
class ExitCodesTest {
    @TempDir
    Path dir;
    Path rules;
    Path logs;
    Path badRules;

    @BeforeEach
    void setUp() throws IOException {
        rules = dir.resolve("rules");
        Files.createDirectories(rules.resolve("hunts"));
        Files.createDirectories(rules.resolve("tests"));
        Files.writeString(rules.resolve("deletes.yaml"), """
                id: deletes
                title: Something was deleted
                summary: Something was deleted.
                severity: high
                description: deletes
                query: |
                  filter verb = "delete"
                  | fields user.username
                """);
        Files.writeString(rules.resolve("hunts/users.yaml"), """
                id: users
                title: Every user
                description: who called
                params:
                  verb: {description: the verb, required: true}
                query: |
                  filter verb = "{{verb}}"
                  | fields user.username
                """);
        Files.writeString(rules.resolve("tests/deletes.yaml"), """
                rule: deletes
                cases:
                  - name: a delete fires
                    expect: fire
                    events:
                      - logStream: kube-apiserver-audit-1
                        message: {verb: delete, user: {username: alice}}
                  - name: a get stays quiet
                    expect: quiet
                    events:
                      - logStream: kube-apiserver-audit-1
                        message: {verb: get, user: {username: alice}}
                """);
        long ts = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
        logs = dir.resolve("logs.jsonl");
        Files.writeString(logs, "{\"logStreamName\":\"kube-apiserver-audit-1\",\"timestamp\":" + ts + ",\"message\":"
                + "\"{\\\"verb\\\":\\\"delete\\\",\\\"user\\\":{\\\"username\\\":\\\"alice\\\"}}\"}\n");
        badRules = dir.resolve("bad");
        Files.createDirectories(badRules);
        Files.writeString(badRules.resolve("broken.yaml"), "id: broken\ntitle: x\nseverity: loud\nquery: |\n  fields\n");
    }

    record Case(String what, int code, String... args) {
    }

    private List<Case> cases() throws IOException {
        String l = logs.toString();
        String r = rules.toString();
        Path corrupt = dir.resolve("corrupt.log.gz");
        Files.write(corrupt, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3});
        Path failingTests = dir.resolve("failing");
        Files.createDirectories(failingTests.resolve("tests"));
        Files.copy(rules.resolve("deletes.yaml"), failingTests.resolve("deletes.yaml"));
        Files.writeString(failingTests.resolve("tests/deletes.yaml"), Files.readString(rules.resolve(
                "tests/deletes.yaml")).replace("verb: get", "verb: delete"));
        List<Case> c = new ArrayList<>();
        c.add(new Case("query with rows", 0, "query", "--logs", l, "fields user.username"));
        c.add(new Case("query without rows", 0, "query", "--logs", l, "filter verb = 'x'"));
        c.add(new Case("query syntax error", 2, "query", "--logs", l, "fields |"));
        c.add(new Case("query missing logs", 2, "query", "--logs", dir.resolve("none").toString(), "fields a"));
        c.add(new Case("query missing query file", 2, "query", "--logs", l, "-f", dir.resolve("q").toString()));
        c.add(new Case("query bad format", 2, "query", "--logs", l, "--format", "xml", "fields a"));
        c.add(new Case("hunt list", 0, "hunt", "--rules", r));
        c.add(new Case("hunt with rows", 0, "hunt", "users", "-p", "verb=delete", "--rules", r, "--logs", l));
        c.add(new Case("hunt without rows", 0, "hunt", "users", "-p", "verb=get", "--rules", r, "--logs", l));
        c.add(new Case("hunt unknown", 2, "hunt", "nope", "--rules", r, "--logs", l));
        c.add(new Case("hunt missing parameter", 2, "hunt", "users", "--rules", r, "--logs", l));
        c.add(new Case("hunt bad rules", 2, "hunt", "users", "--rules", badRules.toString(), "--logs", l));
        c.add(new Case("scan findings", 1, "scan", "--rules", r, "--logs", l));
        c.add(new Case("scan below --fail-on", 0, "scan", "--rules", r, "--logs", l, "--fail-on", "critical"));
        c.add(new Case("scan bad rules", 2, "scan", "--rules", badRules.toString(), "--logs", l));
        c.add(new Case("scan bad --fail-on", 2, "scan", "--rules", r, "--logs", l, "--fail-on", "loud"));
        c.add(new Case("scan unreadable logs", 2, "scan", "--rules", r, "--logs", corrupt.toString()));
        c.add(new Case("scan bad --throttle-timeout", 2, "scan", "--rules", r, "--cluster", "x",
                "--throttle-timeout", "soon"));
        c.add(new Case("test passing", 0, "test", r));
        c.add(new Case("test failing case", 1, "test", failingTests.toString()));
        c.add(new Case("test bad rules", 2, "test", badRules.toString()));
        c.add(new Case("test unknown --only", 2, "test", r, "--only", "nope"));
        c.add(new Case("validate valid", 0, "validate", r));
        c.add(new Case("validate invalid", 2, "validate", badRules.toString()));
        c.add(new Case("unknown option", 2, "scan", "--nope"));
        c.add(new Case("unknown command", 2, "frobnicate"));
        c.add(new Case("help", 0, "--help"));
        return c;
    }

    @Test
    void everyCommandUsesTheCodesTheSameWay() throws IOException {
        for (Case c : cases()) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(new PrintWriter(out), new PrintWriter(err), c.args());
            assertThat(code).as("%s: %s%s", c.what(), out, err).isEqualTo(c.code());
            assertThat(err.toString()).as(c.what()).doesNotContain("\tat ").doesNotContain("Exception:");
            if (c.code() == 2 && !c.what().contains("bad rules") && !c.what().equals("validate invalid")) {
                assertThat(out.toString() + err).as(c.what()).containsPattern("(?m)^error: ");
            }
        }
    }

    @CommandLine.Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("index 3 out of bounds");
        }
    }

    private static String[] runBoom(Map<String, String> env) {
        CommandLine cl = Main.commandLine(env::get);
        cl.addSubcommand("boom", new Boom());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new String[] {String.valueOf(cl.execute("boom")), err.toString()};
    }

    @Test
    void anInternalErrorIsExit3OnOneLineAndTheStackTraceOnlyOnRequest() {
        String[] quiet = runBoom(Map.of());
        assertThat(quiet[0]).isEqualTo("3");
        assertThat(quiet[1]).isEqualTo("internal error: IllegalStateException: index 3 out of bounds (a bug: please"
                + " report it; EKS_LOOKOUT_DEBUG=1 prints the stack trace)\n");
        String[] debug = runBoom(Map.of("EKS_LOOKOUT_DEBUG", "1"));
        assertThat(debug[0]).isEqualTo("3");
        assertThat(debug[1]).startsWith(quiet[1]).contains("\tat io.ekslookout.cli.ExitCodesTest$Boom.call");
        assertThat(runBoom(Map.of("EKS_LOOKOUT_DEBUG", "0"))[1]).isEqualTo(quiet[1]);
    }

    @Test
    void everyCommandsHelpListsItsExitCodes() {
        for (String command : List.of("query", "scan", "hunt", "test", "validate")) {
            StringWriter out = new StringWriter();
            assertThat(Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), command, "--help")).isZero();
            assertThat(out.toString()).as(command).contains("Exit codes:").contains("  0   ").contains("  2   ")
                    .contains("  3   internal error");
        }
        StringWriter out = new StringWriter();
        Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "--help");
        assertThat(out.toString()).contains("Exit codes (every command):").contains("1   findings")
                .contains("EKS_LOOKOUT_DEBUG=1");
    }
}
