package io.ekslookout.rules;

import io.ekslookout.query.Query;
import io.ekslookout.query.QueryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class RuleLoaderTest {
    @TempDir
    Path dir;

    static final String GOOD = """
            id: aws-auth-mutation
            title: aws-auth ConfigMap modified
            severity: high
            description: |
              Who can map IAM to Kubernetes.
            query: |
              filter objectRef.resource = "configmaps" and objectRef.name = "aws-auth"
              | fields @timestamp, user.username, verb
            suppress:
              user.username: ["eks:addon", "/^system:node:/"]
            groupBy: [user.username]
            tags: [T1098]
            runbook: https://example.com/runbook
            summary: One line on why it matters.
            """;

    static final String SPIKE = """
            id: apiserver-5xx-spike
            title: API server 5xx spike
            severity: medium
            description: many errors
            query: |
              filter responseStatus.code >= 500
              | stats count(*) as errors by bin(1m)
            threshold:
              column: errors
              op: ">="
              value: 10
            summary: One line on why it matters.
            """;

    private void write(String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private List<RuleProblem> problems() {
        return catchThrowableOfType(RuleValidationException.class, () -> RuleLoader.loadDirectory(dir)).problems();
    }

    private String f(String rel) {
        return dir.resolve(rel).toString();
    }

    @Test
    void loadsAValidRuleWithEveryField() throws Exception {
        write("aws-auth-mutation.yaml", GOOD);
        write("apiserver-5xx-spike.yaml", SPIKE);
        RuleSet set = RuleLoader.loadDirectory(dir);
        assertThat(set.rules()).extracting(Rule::id).containsExactly("apiserver-5xx-spike", "aws-auth-mutation");
        Rule r = set.rule("aws-auth-mutation").orElseThrow();
        assertThat(r.severity()).isEqualTo(Severity.HIGH);
        assertThat(r.description()).isEqualTo("Who can map IAM to Kubernetes.\n");
        assertThat(r.query()).isNotNull();
        assertThat(r.queryText()).startsWith("filter objectRef.resource");
        assertThat(r.groupBy()).containsExactly("user.username");
        assertThat(r.tags()).containsExactly("T1098");
        assertThat(r.enabled()).isTrue();
        assertThat(r.suppress().suppresses(java.util.Map.of("user.username", "system:node:ip-10-0-0-1"))).isTrue();
        assertThat(r.suppress().suppresses(java.util.Map.of("user.username", "alice"))).isFalse();
        Rule s = set.rule("apiserver-5xx-spike").orElseThrow();
        assertThat(s.threshold()).isEqualTo(new Threshold("errors", Threshold.Op.GE, "10"));
    }

    @Test
    void reportsEveryProblemOfEveryFileAtOnceEachLocated() throws Exception {
        write("a-rule.yaml", """
                id: a-rule
                title: A
                serverity: high
                description: x
                query: fields a
                """);
        write("b-rule.yaml", """
                id: b-rule
                title: B
                severity: urgent
                description: x
                query: fields a
                enabled: sometimes
                summary: One line on why it matters.
                """);
        write("c_rule.yaml", """
                id: c_rule
                title: C
                severity: low
                description: x
                query: fields a
                summary: One line on why it matters.
                """);
        write("d-rule.yaml", """
                id: other-name
                severity: low
                description: x
                query: fields a
                """);
        List<RuleProblem> ps = problems();
        List<String> all = ps.stream().map(RuleProblem::toString).toList();
        assertThat(all).contains(
                f("a-rule.yaml") + ":3:1: unknown key 'serverity' in a rule (did you mean 'severity'?); allowed keys: "
                        + String.join(", ", RuleLoader.RULE_KEYS),
                f("a-rule.yaml") + ":1:1: missing required key 'severity' in a rule",
                f("b-rule.yaml") + ":3:11: severity 'urgent' is not one of info, low, medium, high, critical",
                f("b-rule.yaml") + ":6:10: 'enabled' must be true or false, found text",
                f("c_rule.yaml") + ":1:5: rule id 'c_rule' is not kebab-case (lower-case letters, digits, dashes)",
                f("d-rule.yaml") + ":1:5: rule id 'other-name' does not match its file name 'd-rule.yaml' (rename"
                        + " one of them)",
                f("d-rule.yaml") + ":1:1: missing required key 'title' in a rule");
    }

    @Test
    void duplicateIdsAcrossFilesAndDuplicateKeysInOne() throws Exception {
        write("dup.yaml", GOOD.replace("aws-auth-mutation", "dup"));
        write("dup.yml", GOOD.replace("aws-auth-mutation", "dup") + "title: again\n");
        List<String> all = problems().stream().map(RuleProblem::toString).toList();
        assertThat(all).contains(f("dup.yml") + ":1:5: duplicate rule id 'dup' (also in " + f("dup.yaml") + ")");
        assertThat(all).anyMatch(s -> s.startsWith(f("dup.yml") + ":15:1: duplicate key 'title' (first at line 2)"));
    }

    @Test
    void aQueryErrorIsLocatedInsideTheYamlFile() throws Exception {
        String bad = "filter verb = \"patch\"\n| frobnicate n\n";
        QueryException qe = catchThrowableOfType(QueryException.class, () -> Query.parse(bad));
        assertThat(qe).as("the engine rejects the broken query").isNotNull();
        write("broken.yaml", """
                id: broken
                title: B
                severity: low
                description: x
                query: |
                    filter verb = "patch"
                    | frobnicate n
                summary: One line on why it matters.
                """);
        List<RuleProblem> ps = problems();
        assertThat(ps).hasSize(1);
        RuleProblem p = ps.get(0);
        // the query starts on file line 6 at indentation 4
        assertThat(p.line()).isEqualTo(5 + qe.line());
        assertThat(p.column()).isEqualTo(4 + qe.column());
        assertThat(p.message()).isEqualTo("query does not parse: " + qe.reason());
    }

    static Stream<Arguments> re2Refusals() {
        return Stream.of(
                // where the pattern is written (query or suppress value), file line, column, message fragment
                arguments("query", "filter user.username like /^(?!system:)/", 8, 31, "look-around ((?!…)"),
                arguments("query", "filter verb = \"patch\" and user.username =~ /(a)\\1/", 8, 48,
                        "back-references (\\1)"),
                arguments("query", "parse @message /(?<u>x)(?<=y)/", 8, 20, "look-around ((?<=…)"),
                arguments("suppress", "/^(?=system:)/", 10, 35, "look-around ((?=…)"),
                arguments("suppress", "/(a)\\1/", 10, 37, "back-references (\\1)"),
                arguments("suppress", "/x*+/", 10, 32, "invalid regex: invalid nested repetition operator"));
    }

    /** A pattern RE2 refuses is a problem at its file:line:column, in a query and in a suppress value. */
    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @MethodSource("re2Refusals")
    void aPatternRe2RefusesIsLocatedInTheRuleFile(String where, String pattern, int line, int column,
                                                  String fragment) throws Exception {
        String text = where.equals("query")
                ? GOOD.replace("| fields @timestamp, user.username, verb",
                        "| " + pattern + "\n  | fields @timestamp, user.username, verb")
                : GOOD.replace("\"/^system:node:/\"", "\"" + pattern.replace("\\", "\\\\") + "\"");
        write("aws-auth-mutation.yaml", text);
        List<RuleProblem> ps = problems();
        assertThat(ps).extracting(RuleProblem::toString).hasSize(1);
        assertThat(ps.get(0).message()).contains(fragment);
        assertThat(ps.get(0).line()).as(ps.get(0).toString()).isEqualTo(line);
        assertThat(ps.get(0).column()).as(ps.get(0).toString()).isEqualTo(column);
    }

    @Test
    void aQueryErrorInAQuotedQueryIsLocatedOnItsLine() throws Exception {
        String q = "fields a | frobnicate n";
        QueryException qe = catchThrowableOfType(QueryException.class, () -> Query.parse(q));
        assertThat(qe).isNotNull();
        write("quoted.yaml", "id: quoted\ntitle: Q\nseverity: low\ndescription: x\nquery: \"" + q + "\"\n"
                + "summary: S\n");
        RuleProblem p = problems().get(0);
        assertThat(p.line()).isEqualTo(5);
        assertThat(p.column()).isEqualTo("query: \"".length() + qe.column());
    }

    @Test
    void thresholdOnAColumnTheQueryDoesNotProduce() throws Exception {
        write("apiserver-5xx-spike.yaml", SPIKE.replace("column: errors", "column: error"));
        assertThat(problems()).extracting(RuleProblem::toString).containsExactly(f("apiserver-5xx-spike.yaml")
                + ":9:11: threshold column 'error' is not a column of the query's results (did you mean 'errors'?);"
                + " columns: bin(1m), errors");
    }

    @Test
    void thresholdShapeErrors() throws Exception {
        write("apiserver-5xx-spike.yaml", SPIKE.replace("op: \">=\"", "op: \"=>\"").replace("value: 10", "valu: 10"));
        List<String> all = problems().stream().map(RuleProblem::toString).toList();
        assertThat(all).contains(
                f("apiserver-5xx-spike.yaml") + ":10:7: threshold op '=>' is not one of > >= < <= = !=",
                f("apiserver-5xx-spike.yaml") + ":11:3: unknown key 'valu' in threshold (did you mean 'value'?);"
                        + " allowed keys: column, op, value",
                f("apiserver-5xx-spike.yaml") + ":9:3: missing required key 'value' in threshold");
    }

    @Test
    void badRegexInSuppressPointsAtTheError() throws Exception {
        write("aws-auth-mutation.yaml", GOOD.replace("\"/^system:node:/\"", "\"/^system:(node/\""));
        List<RuleProblem> ps = problems();
        assertThat(ps).hasSize(1);
        assertThat(ps.get(0).line()).isEqualTo(10);
        assertThat(ps.get(0).message()).startsWith("bad regex in suppress for 'user.username': ");
        String line = GOOD.lines().toList().get(9);
        assertThat(ps.get(0).column()).isGreaterThan(line.indexOf("\"/^system"));
    }

    @Test
    void suppressAndGroupByFieldsMustBeResultColumns() throws Exception {
        write("aws-auth-mutation.yaml", GOOD.replace("user.username: [", "user.name: [")
                .replace("groupBy: [user.username]", "groupBy: [verb, usr]"));
        List<String> all = problems().stream().map(RuleProblem::toString).toList();
        assertThat(all).hasSize(2);
        assertThat(all.get(0)).startsWith(f("aws-auth-mutation.yaml") + ":10:3: suppress field 'user.name' is not a"
                + " column of the query's results, so it would never match");
        assertThat(all.get(1)).startsWith(f("aws-auth-mutation.yaml") + ":11:17: groupBy field 'usr' is not a column");
    }

    @Test
    void yamlSyntaxErrorsAreLocatedAndOtherFilesStillChecked() throws Exception {
        write("a-rule.yaml", "id: a-rule\ntitle: [unclosed\nseverity: low\n");
        write("b-rule.yaml", "id: b-rule\n");
        List<RuleProblem> ps = problems();
        assertThat(ps).anySatisfy(p -> {
            assertThat(p.file()).isEqualTo(f("a-rule.yaml"));
            assertThat(p.message()).startsWith("YAML syntax error");
            assertThat(p.line()).isGreaterThan(1);
        });
        assertThat(ps).anySatisfy(p -> assertThat(p.toString()).isEqualTo(f("b-rule.yaml")
                + ":1:1: missing required key 'title' in a rule"));
        assertThat(ps).anySatisfy(p -> assertThat(p.toString()).isEqualTo(f("a-rule.yaml") + ":3:9: YAML syntax"
                + " error: expected ',' or ']', but got : (in a flow sequence that starts at line 2, column 8)"));
    }

    @Test
    void aTabIndentedRuleIsOneClearProblem() throws Exception {
        write("tabbed.yaml", "id: tabbed\ntitle: Tabbed\nseverity: high\ndescription: x\nquery: |\n\tfields a\n");
        assertThat(problems()).extracting(RuleProblem::toString).containsExactly(f("tabbed.yaml")
                + ":6:1: YAML syntax error: a tab character: YAML is indented with spaces, not tabs");
        // an unclosed quote is located where it opens, not at the end of the file
        write("unclosed.yaml", "id: unclosed\ntitle: x\nseverity: low\nquery: \"filter verb = 'delete'\n\n");
        assertThat(problems()).extracting(RuleProblem::toString).contains(f("unclosed.yaml") + ":4:8: YAML syntax"
                + " error: found unexpected end of stream (in a quoted scalar that starts at line 4, column 8)");
        // located at the tab itself, not at the end of the token before it
        write("tests/tabbed.yaml", "rule: tabbed\ncases:\n  - name: x\n\texpect: fire\n");
        assertThat(problems()).extracting(RuleProblem::toString).contains(f("tests/tabbed.yaml")
                + ":4:1: YAML syntax error: a tab character: YAML is indented with spaces, not tabs");
    }

    @Test
    void testFilesAreValidatedToo() throws Exception {
        write("aws-auth-mutation.yaml", GOOD);
        write("tests/aws-auth-mutation.yaml", """
                rule: aws-auth-mutaton
                cases:
                  - name: patch
                    expect: fires
                    matchCount: -1
                    events:
                      - logStream: kube-apiserver-audit-1
                        timestamp: yesterday
                        mesage: {}
                """);
        List<String> all = problems().stream().map(RuleProblem::toString).toList();
        String t = f("tests/aws-auth-mutation.yaml");
        assertThat(all).contains(
                t + ":1:7: test file for unknown rule 'aws-auth-mutaton' (did you mean 'aws-auth-mutation'?)",
                t + ":4:13: expect 'fires' is not one of fire, quiet",
                t + ":5:17: matchCount must be a whole number ≥ 0, found a number",
                t + ":8:20: timestamp 'yesterday' is not an ISO-8601 instant such as 2026-11-20T10:00:00.000Z",
                t + ":9:9: unknown key 'mesage' in an event (did you mean 'message'?); allowed keys: logStream,"
                        + " timestamp, repeat, message",
                t + ":7:9: missing required key 'message' in an event");
    }

    /**
     * Numbers of any length or YAML form in a test file are problems at their place, never an exception (found by
     * the fuzz harness: a matchCount of 24 digits made a NumberFormatException escape the loader).
     */
    @Test
    void outOfRangeOrOddNumbersInATestFileAreLocatedProblems() throws Exception {
        write("aws-auth-mutation.yaml", GOOD);
        write("tests/aws-auth-mutation.yaml", """
                rule: aws-auth-mutation
                cases:
                  - name: huge
                    expect: fire
                    matchCount: 111111111111111111111111
                    events:
                      - repeat: 99999999999999999999999999
                        logStream: kube-apiserver-audit-1
                        message: {}
                  - name: hex
                    expect: fire
                    matchCount: 0x10
                    events:
                      - repeat: -1
                        logStream: kube-apiserver-audit-1
                        message: {n: 0x1F, o: 0o17, p: +5, big: 123456789012345678901234567890, f: .inf, h: .nan}
                """);
        List<String> all = problems().stream().map(RuleProblem::toString).toList();
        String t = f("tests/aws-auth-mutation.yaml");
        assertThat(all).containsExactly(
                t + ":5:17: matchCount must be a whole number ≥ 0, found a number",
                t + ":7:17: repeat must be a whole number from 1 to 100000",
                t + ":14:17: repeat must be a whole number from 1 to 100000");
    }

    /** YAML numbers in a test event's message become JSON numbers where JSON has them, else stay as written. */
    @Test
    void yamlNumbersInAnEventMessageAreJsonNumbersOrTheirText() {
        record Row(String yaml, String json) {
        }
        for (Row row : List.of(new Row("12", "12"), new Row("-1_000", "-1000"), new Row("0x1F", "31"),
                new Row("0o17", "15"), new Row("+5", "5"), new Row("0b101", "5"),
                new Row("123456789012345678901234567890", "123456789012345678901234567890"),
                new Row("1.5", "1.5"), new Row(".inf", "\".inf\""), new Row("-.Inf", "\"-.Inf\""),
                new Row(".nan", "\".nan\""), new Row("0x", "\"0x\""), new Row("0x-1", "\"0x-1\""))) {
            YamlNode.Scalar.Type type = row.yaml().contains(".") || row.yaml().equals(".nan")
                    ? YamlNode.Scalar.Type.FLOAT : YamlNode.Scalar.Type.INTEGER;
            assertThat(RuleLoader.toJson(new YamlNode.Scalar(1, 1, 0, row.yaml(), type)).toString()).as(row.yaml())
                    .isEqualTo(row.json());
        }
    }

    @Test
    void testCasesExpandRepeatsAndDefaultTimestamps() throws Exception {
        write("aws-auth-mutation.yaml", GOOD);
        write("tests/aws-auth-mutation.yaml", """
                rule: aws-auth-mutation
                cases:
                  - name: two
                    expect: fire
                    matchCount: 3
                    events:
                      - logStream: kube-apiserver-audit-1
                        repeat: 2
                        message: {kind: Event, n: 1, ok: true, z: null}
                      - logStream: authenticator-1
                        timestamp: "2026-11-21T00:00:00Z"
                        message: plain text line
                """);
        RuleSet set = RuleLoader.loadDirectory(dir);
        RuleTest.Case c = set.tests().get(0).cases().get(0);
        assertThat(c.events()).hasSize(3);
        assertThat(c.events().get(0).timestamp()).isEqualTo(RuleTest.BASE_TIME);
        assertThat(c.events().get(1).timestamp()).isEqualTo(RuleTest.BASE_TIME.plusSeconds(1));
        assertThat(c.events().get(0).message()).isEqualTo("{\"kind\":\"Event\",\"n\":1,\"ok\":true,\"z\":null}");
        assertThat(c.events().get(2).message()).isEqualTo("plain text line");
        assertThat(c.matchCount()).isEqualTo(3L);
    }

    @Test
    void huntsAreValidatedAndTheirTestsCheckParams() throws Exception {
        write("hunts/requests-by-user.yaml", """
                id: requests-by-user
                title: Requests by a user
                description: everything one user did
                params:
                  user: {description: user name, required: true}
                  limit: {description: rows, default: 100}
                  unused: {description: nothing}
                query: |
                  filter user.username = "{{user}}" and verb = "{{verb}}"
                  | limit {{limit}}
                """);
        write("hunts/tests/requests-by-user.yaml", """
                hunt: requests-by-user
                cases:
                  - name: no user given
                    expect: fire
                    params: {usr: alice}
                    events: []
                """);
        List<String> all = problems().stream().map(RuleProblem::toString).toList();
        String h = f("hunts/requests-by-user.yaml");
        String t = f("hunts/tests/requests-by-user.yaml");
        assertThat(all).contains(
                h + ":9:49: placeholder {{verb}} is not a declared parameter (parameters: user, limit, unused)",
                h + ":7:11: parameter 'unused' is never used in the query (no {{unused}})");
        // the hunt had errors, so its tests cannot be checked against it, but they are still read
        assertThat(all).noneMatch(s -> s.startsWith(t + ":1:7: test file for unknown hunt"));
    }

    @Test
    void huntTestsNameUnknownParamsAndMissingRequiredOnes() throws Exception {
        write("hunts/requests-by-user.yaml", """
                id: requests-by-user
                title: Requests by a user
                description: everything one user did
                params:
                  user: {description: user name}
                query: filter user.username = "{{user}}"
                """);
        write("hunts/tests/requests-by-user.yaml", """
                hunt: requests-by-user
                cases:
                  - name: typo
                    expect: quiet
                    params: {usr: alice}
                    events: []
                """);
        List<String> all = problems().stream().map(RuleProblem::toString).toList();
        String t = f("hunts/tests/requests-by-user.yaml");
        assertThat(all).containsExactlyInAnyOrder(
                t + ":5:14: hunt 'requests-by-user' has no parameter 'usr' (parameters: user)",
                t + ":3:5: case needs a value for the hunt's required parameter 'user'");
    }

    @Test
    void missingDirectoryIsAProblemNotACrash() throws IOException {
        assertThatThrownBy(() -> RuleLoader.loadDirectory(dir.resolve("nope")))
                .isInstanceOf(RuleValidationException.class).hasMessageContaining("no such rules directory");
        write("a-file.yaml", "id: a-file\n");
        assertThatThrownBy(() -> RuleLoader.loadDirectory(dir.resolve("a-file.yaml")))
                .isInstanceOf(RuleValidationException.class)
                .hasMessageContaining("not a directory: give the rules directory");
    }

    @Test
    void loadsRulesBundledInAJar() throws Exception {
        Path jar = dir.resolve("bundle.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new java.util.jar.JarEntry("rules/"));
            out.closeEntry();
            out.putNextEntry(new java.util.jar.JarEntry("rules/apiserver-5xx-spike.yaml"));
            out.write(SPIKE.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new java.util.jar.JarEntry("rules/hunts/"));
            out.closeEntry();
        }
        try (java.net.URLClassLoader cl = new java.net.URLClassLoader(new java.net.URL[]{jar.toUri().toURL()}, null)) {
            RuleSet set = RuleLoader.loadClasspath("rules", cl);
            assertThat(set.rules()).extracting(Rule::id).containsExactly("apiserver-5xx-spike");
            assertThat(set.rules().get(0).source()).isEqualTo("classpath:rules/apiserver-5xx-spike.yaml");
            assertThatThrownBy(() -> RuleLoader.loadClasspath("nothing-here", cl))
                    .isInstanceOf(RuleValidationException.class).hasMessageContaining("no rules bundled");
        }
    }

    @Test
    void oneDocumentPerFileAndProblemsSortedByPosition() throws Exception {
        write("apiserver-5xx-spike.yaml", SPIKE.replace("severity: medium", "severity: mid") + "---\nid: x\n");
        assertThat(problems()).extracting(RuleProblem::toString).containsExactly(
                f("apiserver-5xx-spike.yaml") + ":3:11: severity 'mid' is not one of info, low, medium, high, critical",
                f("apiserver-5xx-spike.yaml") + ":14:1: a second YAML document (after ---): one rule per file");
    }

    @Test
    void theSummaryIsRequiredOneLineAndAtMost140Characters() throws Exception {
        record Case(String file, String summaryLine, String expected) {
        }
        List<Case> cases = List.of(
                new Case("no-summary", null, ":1:1: missing required key 'summary' in a rule"),
                new Case("blank-summary", "summary: \"  \"", ":6:10: 'summary' must not be empty"),
                new Case("long-summary", "summary: " + "x".repeat(141), ":6:10: 'summary' is 141 characters, "
                        + "expected at most 140 (one sentence that reads at a glance; the description holds the rest)"),
                new Case("two-lines", "summary: |\n  one\n  two", ":6:10: 'summary' must be one line (one sentence "
                        + "shown in every message; the description holds the rest)"));
        for (Case c : cases) {
            java.nio.file.Files.walk(dir).filter(java.nio.file.Files::isRegularFile).forEach(x -> x.toFile().delete());
            write(c.file() + ".yaml", "id: " + c.file() + "\ntitle: T\nseverity: low\ndescription: x\n"
                    + "query: fields a\n" + (c.summaryLine() == null ? "" : c.summaryLine() + "\n"));
            assertThat(problems()).extracting(RuleProblem::toString).as(c.file())
                    .containsExactly(f(c.file() + ".yaml") + c.expected());
        }
        java.nio.file.Files.walk(dir).filter(java.nio.file.Files::isRegularFile).forEach(x -> x.toFile().delete());
        write("ok.yaml", "id: ok\ntitle: T\nseverity: low\ndescription: x\nquery: fields a\nsummary: "
                + "\u00e9".repeat(140) + "\n");
        assertThat(RuleLoader.loadDirectory(dir).rule("ok").orElseThrow().summary()).isEqualTo("\u00e9".repeat(140));
    }

    @Test
    void didYouMeanOnlyForCloseWords() {
        assertThat(RuleLoader.didYouMean("groupby", RuleLoader.RULE_KEYS)).isEqualTo("groupBy");
        assertThat(RuleLoader.didYouMean("sevrity", RuleLoader.RULE_KEYS)).isEqualTo("severity");
        assertThat(RuleLoader.didYouMean("titel", RuleLoader.RULE_KEYS)).isEqualTo("title");
        assertThat(RuleLoader.didYouMean("banana", RuleLoader.RULE_KEYS)).isNull();
        assertThat(RuleLoader.didYouMean("ids", RuleLoader.RULE_KEYS)).isEqualTo("id");
    }
}
