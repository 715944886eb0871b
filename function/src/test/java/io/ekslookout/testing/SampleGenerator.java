package io.ekslookout.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs samples/generate.py (the synthetic corpus generator) for tests; skips them when python3/PyYAML is missing. */
public final class SampleGenerator {
    public static final Path SCRIPT = Path.of(System.getProperty("repo.root", ".."), "samples", "generate.py");

    private SampleGenerator() {
    }

    /** Skips the calling test unless python3 with PyYAML can run the generator. */
    public static void assumeAvailable() {
        assumeTrue(pythonWithYaml(), "python3 with PyYAML is needed to run samples/generate.py");
    }

    private static boolean pythonWithYaml() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import yaml").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs the generator with these arguments; fails the test unless it ends with exit code 0 in time. */
    public static void run(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        runScript(SCRIPT, timeoutSeconds, args);
    }

    /** As {@link #run}, with a copy of the generator elsewhere (to see where it writes by default). */
    public static void runScript(Path script, long timeoutSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(timeoutSeconds, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
    }
}
