package io.ekslookout.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Lambda asset: a directory holding {@code lib/eks-lookout.jar} and {@code rules/} (the validated rule files).
 * Lambda puts {@code /var/task/lib/*.jar} on the class path and the function reads {@code RULES_DIR=/var/task/rules};
 * because the rules are part of the asset, a rule change changes the asset hash and redeploys the function.
 */
final class LambdaBundle {
    static final String JAR_NAME = "eks-lookout.jar";
    static final String RULES_IN_TASK = "/var/task/rules";

    private LambdaBundle() {
    }

    /**
     * Stages the asset in a fresh temporary directory (CDK copies it into cdk.out while the construct is built;
     * the directory is removed when the JVM exits).
     */
    static Path stage(Path functionJar, Path rulesDir) {
        try {
            Path dir = Files.createTempDirectory("eks-lookout-asset");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
            Path lib = Files.createDirectories(dir.resolve("lib"));
            Files.copy(functionJar, lib.resolve(JAR_NAME));
            Path rules = Files.createDirectories(dir.resolve("rules"));
            for (Path f : ruleFiles(rulesDir)) {
                Files.copy(f, rules.resolve(f.getFileName().toString()));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the Lambda asset: " + e.getMessage(), e);
        }
    }

    /** The rule files the function loads: the YAML files directly in the rules directory (not tests/ or hunts/). */
    static List<Path> ruleFiles(Path rulesDir) throws IOException {
        try (Stream<Path> s = Files.list(rulesDir)) {
            return s.filter(p -> Files.isRegularFile(p) && RuleCheck.isYaml(p)).sorted().toList();
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: it is a temporary directory
        }
    }
}
