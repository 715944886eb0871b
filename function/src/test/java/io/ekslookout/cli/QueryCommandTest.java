package io.ekslookout.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The query command's argument and error handling (runs without the engine). */
class QueryCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path logs() throws IOException {
        Path p = dir.resolve("e.jsonl");
        Files.writeString(p, "{\"logStreamName\":\"s\",\"timestamp\":1,\"message\":\"m\"}\n");
        return p;
    }

    @Test
    void queryErrorIsLocatedWithACaretAndExitCode2() throws IOException {
        Run r = run("query", "--logs", logs().toString(), "fields @timestamp\n| filter (verb = \"get\"");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error: ").contains("^").doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err()).containsPattern("\\d+:\\d+: ");
    }

    @Test
    void usageErrorsExitWith2() throws IOException {
        Path logs = logs();
        assertThat(run("query", "fields @message").code()).isEqualTo(2); // no --logs
        Run badSince = run("query", "--logs", logs.toString(), "--since", "yesterday", "fields @message");
        assertThat(badSince.code()).isEqualTo(2);
        assertThat(badSince.err()).contains("cannot read time 'yesterday'");
        Run badFormat = run("query", "--logs", logs.toString(), "--format", "xml", "fields @message");
        assertThat(badFormat.code()).isEqualTo(2);
        assertThat(badFormat.err()).contains("unknown format 'xml'");
        Run missing = run("query", "--logs", dir.resolve("nope").toString(), "fields @message");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file or directory");
        Run noQuery = run("query", "--logs", logs.toString());
        assertThat(noQuery.code()).isEqualTo(2);
        assertThat(noQuery.err()).contains("missing the query");
        Run reversed = run("query", "--logs", logs.toString(), "--since", "1h", "--until", "2h", "fields @message");
        assertThat(reversed.code()).isEqualTo(2);
        assertThat(reversed.err()).contains("--since must be before --until");
    }

    @Test
    void helpListsTheCommand() {
        Run r = run("query", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--logs=PATH").contains("--format=F").contains("--since=T");
        Run top = run();
        assertThat(top.out()).contains("query");
    }
}
