package io.ekslookout.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command is `bin/eks-lookout scan --logs samples/` (CI checks the launcher prints what
 * `java -jar` prints), with its output printed under it. This runs the same command from the repository root and
 * requires the README to show exactly what it prints, so the README cannot drift from the rules or the corpus.
 */
class ReadmeScanOutputTest {
    private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();

    @Test
    void readmeShowsTheRealOutputOfTheFirstCommand() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertThat(readme).contains("bin/eks-lookout scan --logs samples/\n");
        int from = readme.indexOf("```text\n", readme.indexOf("scan --logs samples/\n"));
        assertThat(from).as("a ```text block after the first scan command").isPositive();
        String shown = readme.substring(from + "```text\n".length(), readme.indexOf("\n```", from + 1));

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String samples = relativeSamples();
        int exit;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            exit = Main.run(o, e, "scan", "--logs", samples, "--rules", ROOT.resolve("rules").toString());
        }
        assertThat(exit).as(err.toString()).isEqualTo(1);
        // the test runs in function/, the README from the root: only the path prefix of file locations differs
        String actual = (out.toString() + err.toString()).replace(samples, "samples/").stripTrailing();
        assertThat(actual).isEqualTo(shown.stripTrailing());
    }

    /** The samples directory as the README writes it (relative to the root), resolvable from the test's cwd. */
    private static String relativeSamples() {
        Path cwd = Path.of("").toAbsolutePath().normalize();
        Path rel = cwd.relativize(ROOT.resolve("samples"));
        return rel.toString().isEmpty() ? "samples/" : rel + "/";
    }
}
