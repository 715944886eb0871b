package io.ekslookout.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** --max-groups on query: the cap is applied and warned about on stderr; a cap below 1 is a located usage error. */
class MaxGroupsOptionTest {
    @TempDir
    Path dir;

    private Path logs() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            sb.append("{\"logStreamName\":\"s\",\"timestamp\":").append(1000 + i)
                    .append(",\"message\":\"{\\\"k\\\":\\\"k").append(i).append("\\\"}\"}\n");
        }
        Path p = dir.resolve("a.jsonl");
        Files.writeString(p, sb.toString());
        return p;
    }

    @Test
    void queryWarnsWhenTheCapCutsTheGroups() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "query", "--logs", logs().toString(),
                "--max-groups", "4", "--format", "csv", "stats count(*) as n by k");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString().strip().split("\n")).hasSize(1 + 4);
        assertThat(err.toString()).contains("warning: stats groups capped at 4: results are partial (8 records");
    }

    @Test
    void aCapBelowOneIsRefused() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "query", "--logs", logs().toString(),
                "--max-groups", "0", "stats count(*) by k");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--max-groups must be at least 1, got 0");
    }
}
