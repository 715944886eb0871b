package io.ekslookout.detect;

import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The attack records, through the repository's real rules and the real detector: values that overflowed
 * the stack of java.util.regex (a ~3000-entry verbs list before "*", a ~1500-char authenticator error) are matched
 * by RE2 and the rules fire as on any other record.
 */
class RegexAttackTest {
    private static final Path RULES = Path.of(System.getProperty("repo.root", ".."), "rules");

    @TempDir
    Path dir;

    /** Copies one rule and gives it a single fire case built from the first case of its repository test. */
    private RuleTestRunner.Report run(String rule, String tests) throws Exception {
        Files.createDirectories(dir.resolve("tests"));
        Files.copy(RULES.resolve(rule + ".yaml"), dir.resolve(rule + ".yaml"));
        Files.writeString(dir.resolve("tests").resolve(rule + ".yaml"), tests);
        RuleSet set = RuleLoader.loadDirectory(dir);
        return assertTimeoutPreemptively(Duration.ofSeconds(30), () -> RuleTestRunner.run(set));
    }

    private static String firstCase(String rule) throws Exception {
        String all = Files.readString(RULES.resolve("tests").resolve(rule + ".yaml"));
        int second = all.indexOf("\n  - name:", all.indexOf("  - name:") + 1);
        return all.substring(0, second + 1);
    }

    /** The crafted case passed (it must fire with matchCount 1); the copy's missing quiet case is not the point. */
    private static void assertFires(RuleTestRunner.Report report, String caseName) {
        List<RuleTestRunner.CaseResult> cases = report.results().stream()
                .filter(c -> c.caseName().equals(caseName)).toList();
        assertThat(cases).as(report.render()).hasSize(1);
        assertThat(cases.get(0).passed()).as(report.render()).isTrue();
        assertThat(cases.get(0).summary()).isEqualTo("fire, matchCount 1");
    }

    @Test
    void aClusterRoleWithThousandsOfVerbsBeforeTheWildcardFires() throws Exception {
        String verbs = "\"get\", ".repeat(3000) + "\"*\"";
        String tests = firstCase("wildcard-role").replace("{\"verbs\": [\"*\"], \"apiGroups\": [\"apps\"]",
                "{\"verbs\": [" + verbs + "], \"apiGroups\": [\"apps\"]");
        assertThat(tests).contains("\"get\", \"get\", \"*\"]");
        assertFires(run("wildcard-role", tests), "ClusterRole with verbs [*] created");
    }

    @Test
    void anAuthenticatorLineWithALongErrorFires() throws Exception {
        String error = "x\\\\\\\"y ".repeat(300); // 1500 chars of text with escaped quotes: x\"y x\"y ...
        String tests = firstCase("denied-authentication")
                .replaceFirst("error=\\\\\"sts getCallerIdentity failed", "error=\\\\\"" +
                        java.util.regex.Matcher.quoteReplacement(error) + "sts getCallerIdentity failed");
        assertThat(tests).contains(error);
        assertFires(run("denied-authentication", tests), "invalid token: STS refused (error with escaped quotes)");
    }
}
