package io.ekslookout.fuzz;

import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleLoader.SourceFile;
import io.ekslookout.rules.RuleProblem;
import io.ekslookout.rules.RuleValidationException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target 3, the rule loader: the repository's rules, hunts and rule tests edited as text (YAML syntax, wrong
 * types, odd scalars, anchors, hostile regexes). Loading either succeeds or throws RuleValidationException whose
 * every problem is located inside one of the given files (file:line:column) and says what is wrong; nothing else
 * may escape.
 */
class FuzzRuleLoaderTest {
    private static final List<String> YAML_PIECES = List.of(": ", "- ", "&a ", "*a", "!!binary ", "!!str ",
            "!!python/object:os.system ", "!<tag:x> ", "{", "}", "[", "]", "|", "|-", ">", "\t", "#", "'", "\"",
            "? ", "---\n", "...\n", "%YAML 1.1\n", "<<: *a\n", "~", "null", "0x1F", "1e999", ".inf", ".nan", "yes",
            "no", "0o17", "2026-11-20", "\u0000", "\uFEFF", "\u0085", "\u2028", "  ", "\n  ", "\n", "id: x\n",
            "severity: urgent\n", "enabled: maybe\n", "query: |\n  ", "query: fields @message | filter x =~ /(a+)+$/\n",
            "suppress:\n  a: [\"/(a|aa)*$/\"]\n", "threshold: {column: c, op: \">\", value: 1e999}\n",
            "groupBy: [a, {b: c}]\n", "tags: 1\n", "{}", "[]", "\"\\ud800\"", "\"\\x00\"");

    @Test
    void loadingOnlyEverThrowsLocatedRuleValidationException() {
        Fuzz.run("rule-loader", List.of(
                Fuzz.Generator.of("mutated-rule", 400, r -> List.of(ruleFile(r, 1 + r.nextInt(4)))),
                Fuzz.Generator.of("mutated-rule-and-test", 200, FuzzRuleLoaderTest::ruleAndTest),
                Fuzz.Generator.of("mutated-hunt", 200, FuzzRuleLoaderTest::hunt),
                Fuzz.Generator.of("arbitrary-text", 200, r -> List.of(new Named("rules", "rules/x.yaml",
                        Mutate.randomChars(r, r.nextInt(200))))),
                Fuzz.Generator.of("alias-bomb", 20, FuzzRuleLoaderTest::aliasBomb)),
                FuzzRuleLoaderTest::show, FuzzRuleLoaderTest::load);
        // not vacuous: some edits must keep the files valid and most must be refused
        System.out.printf("fuzz rule-loader: %d loaded, %d refused with located problems%n", LOADED.get(),
                REFUSED.get());
        if (!Fuzz.replaying()) {
            assertThat(LOADED.get()).isPositive();
            assertThat(REFUSED.get()).isGreaterThan(LOADED.get());
        }
    }

    private static final AtomicInteger LOADED = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();

    /**
     * One file of the load: {@code kind} rules, hunts, tests or hunt-tests (the list it goes into).
     */
    record Named(String kind, String name, String text) {
    }

    static void load(List<Named> files) {
        Map<String, List<SourceFile>> byKind = new HashMap<>();
        Map<String, String> textOf = new HashMap<>();
        for (Named f : files) {
            byKind.computeIfAbsent(f.kind(), k -> new ArrayList<>()).add(new SourceFile(f.name(), f.text()));
            textOf.put(f.name(), f.text());
        }
        try {
            RuleLoader.load(byKind.getOrDefault("rules", List.of()), byKind.getOrDefault("hunts", List.of()),
                    byKind.getOrDefault("tests", List.of()), byKind.getOrDefault("hunt-tests", List.of()));
            LOADED.incrementAndGet();
        } catch (RuleValidationException e) {
            REFUSED.incrementAndGet();
            assertThat(e.problems()).isNotEmpty();
            for (RuleProblem p : e.problems()) {
                assertThat(textOf).as("the file of " + p).containsKey(p.file());
                String[] lines = textOf.get(p.file()).split("\r\n|\r|\n|\u0085|\u2028|\u2029", -1);
                assertThat(p.line()).as("line of " + p).isBetween(1, lines.length + 1);
                assertThat(p.column()).as("column of " + p).isGreaterThanOrEqualTo(1);
                assertThat(p.message()).as("message of " + p).isNotBlank();
            }
        }
    }

    /** A bundled rule with {@code edits} text edits. */
    static Named ruleFile(Random r, int edits) {
        Corpus.File f = Fuzz.pick(r, Corpus.ruleFiles());
        return new Named("rules", f.name(), Mutate.text(r, f.text(), YAML_PIECES, edits));
    }

    /** A rule and its test file, one or both edited. */
    static List<Named> ruleAndTest(Random r) {
        Corpus.File rule = Fuzz.pick(r, Corpus.ruleFiles());
        String id = rule.name().substring(rule.name().lastIndexOf('/') + 1);
        Corpus.File test = Corpus.testFiles().stream().filter(t -> t.name().endsWith("/" + id)).findFirst()
                .orElse(Fuzz.pick(r, Corpus.testFiles()));
        boolean editRule = r.nextBoolean();
        return List.of(
                new Named("rules", rule.name(), editRule ? Mutate.text(r, rule.text(), YAML_PIECES, 2) : rule.text()),
                new Named("tests", test.name(), !editRule || r.nextBoolean()
                        ? Mutate.text(r, test.text(), YAML_PIECES, 1 + r.nextInt(4)) : test.text()));
    }

    static List<Named> hunt(Random r) {
        Corpus.File f = Fuzz.pick(r, Corpus.huntFiles());
        return List.of(new Named("hunts", f.name(), Mutate.text(r, f.text(), YAML_PIECES, 1 + r.nextInt(4))));
    }

    /** "Billion laughs": anchors that each alias the previous one ten times, under a rule's keys. */
    static List<Named> aliasBomb(Random r) {
        StringBuilder sb = new StringBuilder("id: bomb\ntitle: t\nseverity: low\ndescription: d\n"
                + "query: fields @message\ntags:\n  - &a0 [\"lol\"]\n");
        int levels = 3 + r.nextInt(8);
        for (int i = 1; i <= levels; i++) {
            sb.append("  - &a").append(i).append(" [")
                    .append(("*a" + (i - 1) + ", ").repeat(9)).append("*a").append(i - 1).append("]\n");
        }
        return List.of(new Named("rules", "rules/bomb.yaml", sb.toString()));
    }

    static String show(List<Named> files) {
        return files.stream().map(f -> "--- " + f.kind() + ": " + f.name() + "\n" + Fuzz.escape(f.text()))
                .collect(Collectors.joining("\n"));
    }
}
