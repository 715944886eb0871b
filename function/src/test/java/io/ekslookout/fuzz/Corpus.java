package io.ekslookout.fuzz;

import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleTest;
import io.ekslookout.rules.RuleValidationException;
import org.yaml.snakeyaml.Yaml;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The real inputs the fuzz targets start from: the repository's rules, hunts and their tests, the query conformance
 * cases and the sample logs. Loaded once, lazily.
 */
final class Corpus {
    static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
    static final Path RULES = ROOT.resolve("rules");

    private Corpus() {
    }

    /** A YAML file of the repository: its path relative to the root, and its text. */
    record File(String name, String text) {
    }

    private static final class Holder {
        static final List<File> RULE_FILES = yamlFiles(RULES);
        static final List<File> HUNT_FILES = yamlFiles(RULES.resolve("hunts"));
        static final List<File> TEST_FILES = yamlFiles(RULES.resolve("tests"));
        static final List<String> QUERIES = loadQueries();
        static final RuleSet RULE_SET = loadRuleSet();
        static final List<RuleTest.Event> TEST_EVENTS = loadTestEvents();
        static final List<String> SAMPLE_LINES = sampleLines(4000);
    }

    static List<File> ruleFiles() {
        return Holder.RULE_FILES;
    }

    static List<File> huntFiles() {
        return Holder.HUNT_FILES;
    }

    static List<File> testFiles() {
        return Holder.TEST_FILES;
    }

    /** Every query text of the rules, the hunts and the conformance cases. */
    static List<String> queries() {
        return Holder.QUERIES;
    }

    private static List<String> loadQueries() {
        List<String> out = new ArrayList<>();
        Yaml yaml = new Yaml();
        List<File> files = new ArrayList<>(yamlFiles(RULES));
        files.addAll(yamlFiles(RULES.resolve("hunts")));
        files.addAll(yamlFiles(ROOT.resolve("function/src/test/resources/conformance")));
        for (File f : files) {
            if (yaml.load(f.text()) instanceof Map<?, ?> m && m.get("query") instanceof String q) {
                out.add(q);
            }
        }
        return List.copyOf(out);
    }

    /** The rules as loaded (with their tests). */
    static RuleSet ruleSet() {
        return Holder.RULE_SET;
    }

    private static RuleSet loadRuleSet() {
        try {
            return RuleLoader.loadDirectory(RULES);
        } catch (RuleValidationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The events of every rule test case: events that make a rule fire, and its near misses. */
    static List<RuleTest.Event> testEvents() {
        return Holder.TEST_EVENTS;
    }

    private static List<RuleTest.Event> loadTestEvents() {
        List<RuleTest.Event> out = new ArrayList<>();
        for (RuleTest t : ruleSet().tests()) {
            for (RuleTest.Case c : t.cases()) {
                out.addAll(c.events());
            }
        }
        return List.copyOf(out);
    }

    /** The first {@code max} JSON lines of samples/eks-demo.jsonl.gz (CloudWatch events of a demo cluster). */
    static List<String> sampleLines() {
        return Holder.SAMPLE_LINES;
    }

    private static List<String> sampleLines(int max) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(ROOT.resolve("samples/eks-demo.jsonl.gz"))), StandardCharsets.UTF_8))) {
            return r.lines().limit(max).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<File> yamlFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<File> out = new ArrayList<>();
            for (Path p : s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                out.add(new File(ROOT.relativize(p).toString(), Files.readString(p)));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
