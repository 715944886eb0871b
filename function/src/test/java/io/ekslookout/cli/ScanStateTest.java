package io.ekslookout.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code scan --state PATH}: the same window twice prints and fails on nothing the second time. */
class ScanStateTest {
    Path samples = Path.of(System.getProperty("repo.root"), "samples");
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run scan(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void theSameWindowTwiceShowsNothingNewTheSecondTime() throws Exception {
        Path state = dir.resolve("state.json");
        Run plain = scan("scan", "--logs", samples.toString(), "--format", "json");
        long findings = plain.out().lines().filter(l -> !l.isBlank()).count();
        assertThat(findings).isPositive();

        Run first = scan("scan", "--logs", samples.toString(), "--format", "json", "--state", state.toString());
        assertThat(first.code()).isEqualTo(1);
        assertThat(first.out()).isEqualTo(plain.out());
        assertThat(first.err()).contains("state (" + state + "): " + findings + " new or due, 0 repeat(s)");
        assertThat(Files.readString(state)).contains("\"count\" : 1");

        Run second = scan("scan", "--logs", samples.toString(), "--format", "json", "--state", state.toString());
        assertThat(second.out()).isEmpty();
        assertThat(second.code()).isZero(); // repeats are not a reason to fail
        assertThat(second.err()).contains("findings: 0").contains("0 new or due, " + findings + " repeat(s) not shown");

        // the table says it in its summary on stdout
        Run table = scan("scan", "--logs", samples.toString(), "--state", state.toString());
        assertThat(table.code()).isZero();
        assertThat(table.out()).contains("0 new or due, " + findings + " repeat(s) not shown");

        // with a zero period everything is due again
        Run zero = scan("scan", "--logs", samples.toString(), "--format", "json", "--state", state.toString(),
                "--renotify-after", "0s");
        assertThat(zero.out()).isEqualTo(plain.out());
        assertThat(zero.code()).isEqualTo(1);
    }

    @Test
    void aCorruptStateFileIsExit2AndKeptAsItIs() throws Exception {
        Path state = dir.resolve("state.json");
        Files.writeString(state, "{\"version\":1,\n\"entries\":{\"x\":");
        Run r = scan("scan", "--logs", samples.toString(), "--state", state.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains(state + ":2:").contains("not valid JSON").doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
        assertThat(Files.readString(state)).isEqualTo("{\"version\":1,\n\"entries\":{\"x\":");
    }

    @Test
    void badStateOptionsAreExit2() {
        assertThat(scan("scan", "--logs", samples.toString(), "--state", dir.resolve("a").toString(),
                "--state-table", "t").err()).contains("give --state or --state-table, not both");
        Run r = scan("scan", "--logs", samples.toString(), "--state", dir.resolve("a").toString(),
                "--renotify-after", "soon");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--renotify-after 'soon' is not a duration");
        assertThat(Files.exists(dir.resolve("a"))).isFalse();
    }
}
