package io.ekslookout.fuzz;

import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleProblem;
import io.ekslookout.sigma.SigmaConverter;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target: the Sigma converter, on the Sigma fixtures edited as text (YAML syntax, modifiers, conditions,
 * hostile values). A file is either converted into a rule that the rule loader accepts, or refused with problems
 * located inside it; nothing else may escape, and nothing is half-converted.
 */
class FuzzSigmaImportTest {
    private static final List<String> PIECES = List.of(": ", "- ", "&a ", "*a", "{", "}", "[", "]", "|", "\t", "#",
            "'", "\"", "\n", "  ", "\n    ", "|contains", "|re", "|all", "|cased", "|exists", "|startswith",
            "|endswith", "|gt", "|base64", "|i", " and ", " or ", " not ", "(", ")", "1 of ", "all of ", "them", "*",
            "?", "\\", "\\*", "/", "null", "true", "1e999", "0x1F", "(?=x)", "\\Q", "`", "\u0000", "\u2028", "\u0001",
            "hostPath", "capabilities", "user.groups", "requestObject", "annotations.a/b", " | count() > 3",
            "condition: ", "level: ", "product: windows");
    private static final AtomicInteger CONVERTED = new AtomicInteger();
    private static final AtomicInteger REFUSED = new AtomicInteger();

    record Input(String name, String text) {
    }

    @Test
    void convertingOnlyEverGivesALoadableRuleOrLocatedProblems() {
        List<Input> corpus = corpus();
        Fuzz.run("sigma-import", List.of(
                        Fuzz.Generator.of("mutated-sigma", 600, r -> mutate(r, corpus, 1 + r.nextInt(4))),
                        Fuzz.Generator.of("arbitrary-text", 100, r -> new Input("x.yml",
                                Mutate.randomChars(r, r.nextInt(200))))),
                i -> "--- " + i.name() + "\n" + Fuzz.escape(i.text()), FuzzSigmaImportTest::convert);
        System.out.printf("fuzz sigma-import: %d converted, %d refused with located problems%n", CONVERTED.get(),
                REFUSED.get());
        if (!Fuzz.replaying()) {
            assertThat(CONVERTED.get()).isPositive();
            assertThat(REFUSED.get()).isPositive();
        }
    }

    private static Input mutate(Random r, List<Input> corpus, int edits) {
        Input f = Fuzz.pick(r, corpus);
        return new Input(f.name(), Mutate.text(r, f.text(), PIECES, edits));
    }

    static void convert(Input in) throws Exception {
        SigmaConverter.Result res = SigmaConverter.convert(in.name(), in.text());
        if (res.ok()) {
            CONVERTED.incrementAndGet();
            assertThat(res.problems()).isEmpty();
            // the converter validated it already; load it again as validate would
            RuleLoader.load(List.of(new RuleLoader.SourceFile(res.rule().id() + ".yaml", res.rule().yaml())),
                    List.of(), List.of(), List.of());
            return;
        }
        REFUSED.incrementAndGet();
        assertThat(res.rule()).isNull();
        assertThat(res.problems()).isNotEmpty();
        String[] lines = in.text().split("\r\n|\r|\n|\u0085|\u2028|\u2029", -1);
        for (RuleProblem p : res.problems()) {
            assertThat(p.file()).isEqualTo(in.name());
            assertThat(p.line()).as("line of " + p).isBetween(1, lines.length + 1);
            assertThat(p.column()).as("column of " + p).isGreaterThanOrEqualTo(1);
            assertThat(p.message()).as("message of " + p).isNotBlank()
                    .doesNotContain("the converted rule does not validate");
        }
    }

    private static List<Input> corpus() {
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/sigma/good"))) {
            return s.filter(p -> p.toString().endsWith(".yml")).sorted().map(p -> {
                try {
                    return new Input(p.getFileName().toString(), Files.readString(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
