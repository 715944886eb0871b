package io.ekslookout.cli;

import io.ekslookout.testing.CliRun;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sigma import}: exit codes, the files written, refusals located, --force, and validate on the output. */
class SigmaImportCliTest {
    static final Path GOOD = Path.of("src/test/resources/sigma/good");

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

    private long yamlFiles(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).count();
        }
    }

    @Test
    void allGoodFilesConvertExitZeroAndValidate() throws IOException {
        Path rules = dir.resolve("rules");
        assertThat(run("sigma", "import", GOOD.toString(), "--out", rules.toString())).as(err).isEqualTo(0);
        long sigma;
        try (Stream<Path> s = Files.list(GOOD)) {
            sigma = s.filter(p -> p.toString().endsWith(".yml")).count();
        }
        assertThat(yamlFiles(rules)).isEqualTo(sigma);
        assertThat(out).contains("exec_into_pod.yml -> ", "exec-into-a-pod-container-5b1c7a0e.yaml",
                sigma + " converted, 0 refused");
        assertThat(err).isEmpty();
        assertThat(Files.readString(rules.resolve("exec-into-a-pod-container-5b1c7a0e.yaml")))
                .contains("id: exec-into-a-pod-container-5b1c7a0e", "severity: medium");

        assertThat(run("validate", rules.toString())).as(out + err).isEqualTo(0);
        assertThat(out).contains(sigma + " rules (" + sigma + " enabled)", "valid");
    }

    @Test
    void badFilesAreReportedTheGoodOnesWrittenExitTwo() throws IOException {
        Path in = dir.resolve("in");
        Files.createDirectories(in);
        Files.copy(GOOD.resolve("exec_into_pod.yml"), in.resolve("a_good.yml"));
        Files.writeString(in.resolve("b_windows.yml"), "title: Whoami\nlogsource:\n  product: windows\n"
                + "  category: process_creation\ndetection:\n  sel:\n    Image|endswith: '\\whoami.exe'\n"
                + "  condition: sel\n");
        Files.writeString(in.resolve("c_count.yml"), "title: Many deletes\nlogsource:\n  product: kubernetes\n"
                + "  service: audit\ndetection:\n  sel:\n    verb: delete\n  condition: sel | count() > 10\n");
        Path rules = dir.resolve("rules");

        assertThat(run("sigma", "import", in.toString(), "--out", rules.toString())).isEqualTo(2);
        assertThat(yamlFiles(rules)).isEqualTo(1);
        assertThat(out).contains("a_good.yml -> ");
        assertThat(err).contains(in.resolve("b_windows.yml") + ":3:12: logsource product 'windows'",
                in.resolve("c_count.yml") + ":8:18: condition: aggregation",
                "    product: windows", "1 converted, 2 refused");
        assertThat(run("validate", rules.toString())).isEqualTo(0);
    }

    @Test
    void existingFilesAreKeptUnlessForce() throws IOException {
        Path rules = dir.resolve("rules");
        Path one = GOOD.resolve("exec_into_pod.yml");
        assertThat(run("sigma", "import", one.toString(), "--out", rules.toString())).isEqualTo(0);
        Path written = rules.resolve("exec-into-a-pod-container-5b1c7a0e.yaml");
        Files.writeString(written, "# edited by hand\n");

        assertThat(run("sigma", "import", one.toString(), "--out", rules.toString())).isEqualTo(2);
        assertThat(err).contains("already exists: give --force to overwrite it", "0 converted, 1 refused");
        assertThat(Files.readString(written)).isEqualTo("# edited by hand\n");

        assertThat(run("sigma", "import", one.toString(), "--out", rules.toString(), "--force")).isEqualTo(0);
        assertThat(Files.readString(written)).startsWith("# Converted from a Sigma rule");
        try (Stream<Path> s = Files.list(rules)) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith(".sigma-import-"))).isEmpty();
        }
    }

    @Test
    void twoInputsWithTheSameIdAndMissingPathsAreRefused() throws IOException {
        Path rules = dir.resolve("rules");
        Path copy = dir.resolve("copy.yml");
        Files.copy(GOOD.resolve("exec_into_pod.yml"), copy);
        assertThat(run("sigma", "import", GOOD.resolve("exec_into_pod.yml").toString(), copy.toString(),
                dir.resolve("missing.yml").toString(), "--out", rules.toString())).isEqualTo(2);
        assertThat(err).contains(copy + ":1:1: makes the rule id 'exec-into-a-pod-container-5b1c7a0e'",
                dir.resolve("missing.yml") + ":1:1: no such file or directory", "1 converted, 2 refused");
    }

    @Test
    void argumentsAreChecked() {
        assertThat(run("sigma", "import", GOOD.toString())).isEqualTo(2);
        assertThat(err).contains("--out");
        assertThat(run("sigma")).isEqualTo(0);
        assertThat(out).contains("import");
    }
}
