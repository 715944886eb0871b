package io.ekslookout.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The tuning overlay (rules/overrides.yaml): validated at file:line:column, applied by the loader. */
class OverridesTest {
    private static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));

    @TempDir
    Path dir;

    private void rules() throws IOException {
        Files.writeString(dir.resolve("aws-auth-mutation.yaml"), RuleLoaderTest.GOOD);
        Files.writeString(dir.resolve("apiserver-5xx-spike.yaml"), RuleLoaderTest.SPIKE);
    }

    private List<String> problems(String overlay) throws IOException {
        rules();
        Files.writeString(dir.resolve("overrides.yaml"), overlay);
        return catchThrowableOfType(RuleValidationException.class, () -> RuleLoader.loadDirectory(dir)).problems()
                .stream().map(p -> p.toString().replace(dir.toString() + "/", "")).toList();
    }

    static Stream<Arguments> badOverlays() {
        return Stream.of(
                arguments("unknown rule id", "aws-auth-mutaton:\n  enabled: false\n",
                        "overrides.yaml:1:1: overrides for unknown rule 'aws-auth-mutaton' (did you mean"
                                + " 'aws-auth-mutation'?); rules: apiserver-5xx-spike, aws-auth-mutation"),
                arguments("unknown key", "aws-auth-mutation:\n  severty: low\n",
                        "overrides.yaml:2:3: unknown key 'severty' in the overrides of 'aws-auth-mutation' (did you"
                                + " mean 'severity'?); allowed keys: enabled, severity, suppress, threshold,"
                                + " renotifyAfter"),
                arguments("bad severity", "aws-auth-mutation:\n  severity: urgent\n",
                        "overrides.yaml:2:13: severity 'urgent' is not one of info, low, medium, high, critical"),
                arguments("bad regex", "aws-auth-mutation:\n  suppress:\n    verb: [\"/(/\"]\n",
                        "overrides.yaml:3:12: bad regex in suppress for 'verb': invalid regex: missing closing ): `(`"),
                arguments("suppress on a column the query lacks", "aws-auth-mutation:\n  suppress:\n    user: [x]\n",
                        "overrides.yaml:3:5: suppress field 'user' is not a column of the query's results, so it"
                                + " would never match; columns: @timestamp, user.username, verb"),
                arguments("threshold on a column the query lacks",
                        "apiserver-5xx-spike:\n  threshold: {column: error, op: \">\", value: 3}\n",
                        "overrides.yaml:2:23: threshold column 'error' is not a column of the query's results (did"
                                + " you mean 'errors'?); columns: bin(1m), errors"),
                arguments("duplicate id", "aws-auth-mutation:\n  enabled: false\naws-auth-mutation:\n  severity: low\n",
                        "overrides.yaml:3:1: duplicate key 'aws-auth-mutation' (first at line 1)"),
                arguments("bad renotifyAfter", "aws-auth-mutation:\n  renotifyAfter: soon\n",
                        "overrides.yaml:2:18: 'renotifyAfter' must be a duration such as 30m, 6h, 1d or PT6H"),
                arguments("renotifyAfter out of range", "aws-auth-mutation:\n  renotifyAfter: 100d\n",
                        "overrides.yaml:2:18: 'renotifyAfter' is 100d, expected from 1m to 90d"),
                arguments("enabled not a boolean", "aws-auth-mutation:\n  enabled: no way\n",
                        "overrides.yaml:2:12: 'enabled' must be true or false, found text"),
                arguments("not a mapping", "- aws-auth-mutation\n",
                        "overrides.yaml:1:1: expected overrides (a mapping of rule id → changes), found a list"),
                arguments("entry not a mapping", "aws-auth-mutation: false\n",
                        "overrides.yaml:1:20: overrides of 'aws-auth-mutation' must be a mapping of enabled,"
                                + " severity, suppress, threshold, renotifyAfter; found a boolean"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOverlays")
    void aBadOverlayIsALocatedProblem(String name, String overlay, String expected) throws IOException {
        assertThat(problems(overlay)).containsExactly(expected);
    }

    @Test
    void anOverlayChangesTheEffectiveRulesAndKeepsTheBundledOnes() throws Exception {
        rules();
        Files.writeString(dir.resolve("overrides.yaml"), """
                # site tuning
                aws-auth-mutation:
                  enabled: false
                  severity: critical
                  suppress:
                    user.username: ["/^ci-/"]
                    verb: [get]
                  renotifyAfter: 6h
                apiserver-5xx-spike:
                  threshold: {column: errors, op: ">", value: 50}
                """);
        RuleSet set = RuleLoader.loadDirectory(dir);
        Rule auth = set.rule("aws-auth-mutation").orElseThrow();
        assertThat(auth.enabled()).isFalse();
        assertThat(auth.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(auth.renotifyAfter()).isEqualTo(Duration.ofHours(6));
        // added to the rule's own entries, which still hold
        assertThat(auth.suppress().suppresses(Map.of("user.username", "ci-deployer"))).isTrue();
        assertThat(auth.suppress().suppresses(Map.of("verb", "get"))).isTrue();
        assertThat(auth.suppress().suppresses(Map.of("user.username", "system:node:ip-10-0-0-1"))).isTrue();
        assertThat(auth.suppress().suppresses(Map.of("user.username", "alice"))).isFalse();
        Rule spike = set.rule("apiserver-5xx-spike").orElseThrow();
        assertThat(spike.threshold()).hasToString("errors > 50");
        assertThat(spike.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(set.enabledRules()).extracting(Rule::id).containsExactly("apiserver-5xx-spike");

        Rule bundled = set.withoutOverrides().rule("aws-auth-mutation").orElseThrow();
        assertThat(bundled.enabled()).isTrue();
        assertThat(bundled.severity()).isEqualTo(Severity.HIGH);
        assertThat(bundled.renotifyAfter()).isNull();
        assertThat(set.overrides().byRule().get("aws-auth-mutation").describe())
                .isEqualTo("enabled: false, severity: critical, suppress: +2 entries, renotifyAfter: 6h (with"
                        + " --state or STATE_TABLE)");
    }

    @Test
    void anExplicitFileIsUsedAndTheDirectorysOwnIsNotARuleFile() throws Exception {
        rules();
        Files.writeString(dir.resolve("overrides.yaml"), "aws-auth-mutation:\n  severity: low\n");
        Path other = dir.resolveSibling(dir.getFileName() + "-prod.yaml");
        Files.writeString(other, "aws-auth-mutation:\n  severity: info\n");
        try {
            assertThat(RuleLoader.loadDirectory(dir).rule("aws-auth-mutation").orElseThrow().severity())
                    .isEqualTo(Severity.LOW);
            assertThat(RuleLoader.loadDirectory(dir, other).rule("aws-auth-mutation").orElseThrow().severity())
                    .isEqualTo(Severity.INFO);
            assertThat(RuleLoader.loadDirectory(dir).rules()).hasSize(2);
        } finally {
            Files.delete(other);
        }
    }

    @Test
    void aMissingExplicitFileIsAProblemAndACommentOnlyFileChangesNothing() throws Exception {
        rules();
        Path missing = dir.resolve("nope.yaml");
        assertThat(catchThrowableOfType(RuleValidationException.class,
                () -> RuleLoader.loadDirectory(dir, missing)).problems())
                .containsExactly(new RuleProblem(missing.toString(), 1, 1, "no such overrides file"));
        Files.writeString(dir.resolve("overrides.yaml"), "# nothing tuned yet\n");
        RuleSet set = RuleLoader.loadDirectory(dir);
        assertThat(set.rules()).isEqualTo(set.bundled());
        assertThat(set.overrides().isEmpty()).isTrue();
    }

    @Test
    void theOverlayHasTheRuleFilesSizeLimit() throws Exception {
        rules();
        Files.writeString(dir.resolve("overrides.yaml"), "#" + "x".repeat(YamlTree.MAX_FILE_BYTES));
        assertThat(catchThrowableOfType(RuleValidationException.class, () -> RuleLoader.loadDirectory(dir))
                .problems()).singleElement().satisfies(p -> {
                    assertThat(p.file()).endsWith("overrides.yaml");
                    assertThat(p.message()).startsWith("rule file is " + (YamlTree.MAX_FILE_BYTES + 1) + " bytes");
                });
    }

    @Test
    void theBundledRulesShipNoOverlay() throws Exception {
        RuleSet set = RuleLoader.loadDirectory(ROOT.resolve("rules"));
        assertThat(set.rules()).isEqualTo(set.bundled());
        assertThat(set.overrides().byRule()).isEmpty();
    }
}
