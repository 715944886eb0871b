package io.ekslookout.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * infra/cdk-app.sh (what cdk.json runs): it must start the app on the built jars without rebuilding when they are
 * current, and rebuild (saying why) when a source or pom is newer. Runs the real script in a scratch copy of the
 * repository layout, with stand-in {@code mvn} and {@code java} commands that only record that they ran.
 */
class CdkAppScriptTest {
    private static final Instant BUILT = Instant.parse("2026-01-02T00:00:00Z");
    private static final Instant EDITED_BEFORE = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant EDITED_AFTER = Instant.parse("2026-01-03T00:00:00Z");

    Path root;
    Path bin;

    @BeforeEach
    void layout() throws IOException {
        root = Files.createTempDirectory("cdk-app-script");
        Path script = Path.of(System.getProperty("repo.root", "..")).resolve("infra/cdk-app.sh");
        Files.createDirectories(root.resolve("infra"));
        Files.copy(script, root.resolve("infra/cdk-app.sh"));
        for (String src : List.of("pom.xml", "function/pom.xml", "infra/pom.xml",
                "function/src/main/java/A.java", "infra/src/main/java/B.java")) {
            write(src, "source", EDITED_BEFORE);
        }
        write("function/target/eks-lookout.jar", "jar", BUILT);
        write("infra/target/eks-lookout-infra-0.1.0.jar", "jar", BUILT);
        write("infra/target/classpath.txt",
                "/w/function/target/eks-lookout-function-0.1.0.jar:/m2/aws-cdk-lib.jar:/m2/cdknag.jar", BUILT);
        bin = Files.createDirectories(root.resolve("fake-bin"));
        // Stand-ins: mvn records the build and touches the outputs; java records its class path.
        script("mvn", "echo mvn \"$@\" >> calls.log\ntouch function/target/eks-lookout.jar "
                + "infra/target/eks-lookout-infra-0.1.0.jar infra/target/classpath.txt\n");
        script("java", "echo java \"$@\" >> calls.log\n");
    }

    @Test
    void currentBuildRunsTheAppWithoutRebuilding() throws Exception {
        Result r = run();
        assertThat(r.exit).isZero();
        assertThat(r.calls).hasSize(1);
        // The deployed (shaded) jar first, the infra jar, the dependencies; Maven's thin function jar left out.
        assertThat(r.calls.get(0)).isEqualTo("java -cp function/target/eks-lookout.jar:"
                + "infra/target/eks-lookout-infra-0.1.0.jar:/m2/aws-cdk-lib.jar:/m2/cdknag.jar"
                + " io.ekslookout.infra.EksLookoutApp");
        assertThat(r.stderr).isEmpty();
    }

    @Test
    void anEditedFunctionSourceRebuildsFirstAndSaysWhy() throws Exception {
        write("function/src/main/java/A.java", "edited", EDITED_AFTER);
        Result r = run();
        assertThat(r.exit).isZero();
        assertThat(r.calls).hasSize(2);
        assertThat(r.calls.get(0)).startsWith("mvn ").contains("package").contains("-DskipTests");
        assertThat(r.calls.get(1)).startsWith("java ");
        assertThat(r.stderr).contains("function/src/main/java/A.java changed since the last build; building");
    }

    @Test
    void anEditedInfraSourceOrPomRebuildsToo() throws Exception {
        write("infra/src/main/java/B.java", "edited", EDITED_AFTER);
        assertThat(run().calls.get(0)).startsWith("mvn ");
        layout();
        write("pom.xml", "edited", EDITED_AFTER);
        assertThat(run().calls.get(0)).startsWith("mvn ");
    }

    @Test
    void noBuildYetBuildsFirst() throws Exception {
        Files.delete(root.resolve("function/target/eks-lookout.jar"));
        Result r = run();
        assertThat(r.stderr).contains("no build yet");
        assertThat(r.calls.get(0)).startsWith("mvn ");
    }

    @Test
    void aFailedBuildStopsWithoutRunningTheApp() throws Exception {
        script("mvn", "echo mvn >> calls.log\nexit 1\n");
        write("function/src/main/java/A.java", "edited", EDITED_AFTER);
        Result r = run();
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.calls).containsExactly("mvn");
        assertThat(r.stderr).contains("the build failed");
    }

    private record Result(int exit, List<String> calls, String stderr) {
    }

    private Result run() throws Exception {
        Files.deleteIfExists(root.resolve("calls.log"));
        ProcessBuilder pb = new ProcessBuilder("sh", "infra/cdk-app.sh").directory(root.toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Path err = root.resolve("stderr.txt");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        Path log = root.resolve("calls.log");
        List<String> calls = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return new Result(p.exitValue(), calls, Files.readString(err));
    }

    private void write(String rel, String text, Instant mtime) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(p, FileTime.from(mtime));
    }

    private void script(String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        p.toFile().setExecutable(true);
    }
}
