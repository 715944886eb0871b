package io.ekslookout.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Rule, hunt and test files cannot make loading slow, deep or big: a size cap, a nesting cap and no aliases, each a
 * located problem; and loading the worst files under the cap stays within a time bound (linear in the size).
 */
class RuleFileLimitsTest {
    @TempDir
    Path dir;

    /**
     * Far above what linear loading takes (each case below is under 1 s on a quiet laptop, a few seconds on a busy
     * 2-core box) and far below what a quadratic loader takes on 256 KiB (tens of billions of steps: minutes).
     */
    static final Duration BOUND = Duration.ofSeconds(20);

    private void write(String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private List<String> problems() {
        return assertTimeoutPreemptively(BOUND, () -> catchThrowableOfType(RuleValidationException.class,
                () -> RuleLoader.loadDirectory(dir)).problems().stream().map(RuleProblem::toString).toList());
    }

    private static List<String> problems(String text) {
        return problems("r.yaml", text);
    }

    private static List<String> problems(String name, String text) {
        return assertTimeoutPreemptively(BOUND, () -> catchThrowableOfType(RuleValidationException.class,
                () -> RuleLoader.load(List.of(new RuleLoader.SourceFile(name, text)), List.of(), List.of(),
                        List.of())).problems().stream().map(RuleProblem::toString).toList());
    }

    @Test
    void aFileOverTheCapIsALocatedProblemAndTheOthersStillLoad() throws IOException {
        write("aws-auth-mutation.yaml", RuleLoaderTest.GOOD);
        String big = RuleLoaderTest.SPIKE.replace("id: apiserver-5xx-spike", "id: big")
                + "# " + "x".repeat(RuleLoader.MAX_FILE_BYTES) + "\n";
        write("big.yaml", big);
        write("tests/huge-test.yaml", "rule: big\ncases: []\n" + "#".repeat(300_000) + "\n");
        long n = Files.size(dir.resolve("big.yaml"));
        assertThat(problems()).containsExactly(
                f("big.yaml") + ":1:1: rule file is " + n + " bytes, the limit is 262144 bytes (256 KiB)",
                f("tests/huge-test.yaml") + ":1:1: rule file is 300021 bytes, the limit is 262144 bytes (256 KiB)");
    }

    @Test
    void theCapCountsUtf8BytesOfFilesGivenAsText() {
        String under = "id: x\n# " + "x".repeat(RuleLoader.MAX_FILE_BYTES - 100) + "\n";
        assertThat(problems(under)).noneMatch(p -> p.contains("limit"));
        // fewer characters than the cap, more bytes: 'é' is two bytes in UTF-8
        String over = "id: x\n# " + "é".repeat(RuleLoader.MAX_FILE_BYTES / 2) + "\n";
        assertThat(problems(over)).containsExactly("r.yaml:1:1: rule file is " + (RuleLoader.MAX_FILE_BYTES + 9)
                + " bytes, the limit is 262144 bytes (256 KiB)");
    }

    /** The classic alias bomb: 9 levels of 9 aliases each, 9^9 strings if expanded. */
    static String billionLaughs() {
        StringBuilder s = new StringBuilder("id: lol\nlol0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 9; i++) {
            s.append("lol").append(i).append(": &l").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                s.append(j > 0 ? ", " : "").append("*l").append(i - 1);
            }
            s.append("]\n");
        }
        return s.toString();
    }

    @Test
    void anAliasBombIsOneLocatedProblemNotAnExpansion() {
        List<String> p = problems(billionLaughs());
        assertThat(p).contains("r.yaml:3:12: YAML alias *l0: rule files do not use anchors and aliases, write the"
                + " value out");
        assertThat(p).filteredOn(s -> s.contains("alias")).hasSize(1);
    }

    @Test
    void anAliasInARuleValueIsRefusedNotReadAsItsAnchorName() {
        assertThat(problems("aws-auth-mutation.yaml", RuleLoaderTest.GOOD.replace("severity: high",
                "severity: &s high").replace("tags: [T1098]", "tags: [*s]")))
                .containsExactly("aws-auth-mutation.yaml:12:8: YAML alias *s: rule files do not use anchors and aliases, write the"
                        + " value out");
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> deep() {
        int n = 10_000;
        StringBuilder block = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            block.append("  ".repeat(i)).append("k").append(i).append(":\n");
        }
        return Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("flow sequences", "[".repeat(n) + "]".repeat(n),
                        "r.yaml:1:65:"),
                org.junit.jupiter.params.provider.Arguments.of("unclosed flow sequences", "id: x\nq: " + "[".repeat(n),
                        "r.yaml:2:67:"), // the document's mapping is level 1
                org.junit.jupiter.params.provider.Arguments.of("flow mappings", "{a: ".repeat(n) + "1" + "}".repeat(n),
                        "r.yaml:1:257:"),
                org.junit.jupiter.params.provider.Arguments.of("block mappings", block.toString(), "r.yaml:65:"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deep")
    void deepNestingIsALocatedProblemNotAStackOverflow(String name, String text, String at) {
        assertThat(problems(text)).singleElement().asString()
                .startsWith(at).endsWith("nested deeper than 64 levels of mappings and sequences (is a bracket left"
                        + " open?)");
    }

    /** Just-under-the-cap files of the shapes that cost a YAML loader most. */
    static Stream<org.junit.jupiter.params.provider.Arguments> worstUnderTheCap() {
        int cap = RuleLoader.MAX_FILE_BYTES - 64;
        StringBuilder keys = new StringBuilder("id: many-keys\n");
        for (int i = 0; keys.length() < cap - 20; i++) {
            keys.append("k").append(i).append(": v\n");
        }
        StringBuilder items = new StringBuilder("id: many-items\ntags: [");
        while (items.length() < cap - 10) {
            items.append("a, ");
        }
        items.append("a]\n");
        StringBuilder nested = new StringBuilder("id: nested\nx: ");
        String unit = "[".repeat(60) + "]".repeat(60) + ", ";
        nested.append("[");
        while (nested.length() < cap - unit.length() - 5) {
            nested.append(unit);
        }
        nested.append("1]\n");
        StringBuilder query = new StringBuilder("id: long-query\ntitle: t\nseverity: low\ndescription: d\nquery: |\n"
                + "  fields @timestamp\n");
        while (query.length() < cap - 40) {
            query.append("  | filter verb = \"delete\"\n");
        }
        StringBuilder aliases = new StringBuilder("id: aliases\na: &a x\nb: [");
        while (aliases.length() < cap - 10) {
            aliases.append("*a, ");
        }
        aliases.append("*a]\n");
        return Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("one mapping, 30k keys", keys.toString()),
                org.junit.jupiter.params.provider.Arguments.of("one flow sequence, 87k items", items.toString()),
                org.junit.jupiter.params.provider.Arguments.of("nesting at the limit, repeated", nested.toString()),
                org.junit.jupiter.params.provider.Arguments.of("a long query", query.toString()),
                org.junit.jupiter.params.provider.Arguments.of("65k aliases", aliases.toString()),
                org.junit.jupiter.params.provider.Arguments.of("one long plain scalar",
                        "id: x\ntitle: " + "y".repeat(cap - 20) + "\n"),
                org.junit.jupiter.params.provider.Arguments.of("one long quoted scalar of escapes",
                        "id: x\ntitle: \"" + "\\n".repeat((cap - 20) / 2) + "\"\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("worstUnderTheCap")
    void theWorstFilesUnderTheCapLoadWithinTheBound(String name, String text) {
        assertThat(text.length()).isLessThanOrEqualTo(RuleLoader.MAX_FILE_BYTES);
        long t0 = System.nanoTime();
        // every one of these has problems (missing keys, unknown keys, ...): what matters is that they are located
        // problems, found in time, not an exception or a hang
        assertThatCode(() -> problems(text)).doesNotThrowAnyException();
        System.out.printf("RuleFileLimitsTest %-36s %7d bytes %6d ms%n", name, text.length(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    private String f(String rel) {
        return dir.resolve(rel).toString();
    }
}
