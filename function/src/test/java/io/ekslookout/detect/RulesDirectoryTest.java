package io.ekslookout.detect;

import io.ekslookout.rules.Rule;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The repository's own rules/: they validate, and every case of every rule and hunt test passes through the real
 * detector (so `mvn verify` fails when a rule's test fails). Every rule must have a test with a fire and a quiet
 * case; this only passes vacuously while rules/ holds no rule at all.
 */
class RulesDirectoryTest {
    private static final Path RULES = Path.of(System.getProperty("repo.root", ".."), "rules");

    private static boolean hasRules() throws Exception {
        if (!Files.isDirectory(RULES)) {
            return false;
        }
        try (Stream<Path> s = Files.list(RULES)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".yaml"));
        }
    }

    @Test
    void everyRuleAndHuntTestPasses() throws Exception {
        assumeTrue(hasRules(), "rules/ has no rules yet");
        RuleSet set = RuleLoader.loadDirectory(RULES);
        assertThat(set.rules()).isNotEmpty();
        RuleTestRunner.Report report = RuleTestRunner.run(set);
        assertThat(report.results()).hasSizeGreaterThanOrEqualTo(2 * set.rules().size());
        assertThat(report.ok()).as(report.render()).isTrue();
    }

    @Test
    void theBundledCopyInTheJarIsTheSameRuleSet() throws Exception {
        assumeTrue(hasRules(), "rules/ has no rules yet");
        RuleSet dir = RuleLoader.loadDirectory(RULES);
        RuleSet bundled = RuleLoader.loadClasspath("rules");
        assertThat(bundled.rules()).extracting(Rule::id)
                .containsExactlyElementsOf(dir.rules().stream().map(Rule::id).toList());
        assertThat(bundled.rules()).extracting(Rule::queryText)
                .containsExactlyElementsOf(dir.rules().stream().map(Rule::queryText).toList());
    }
}
