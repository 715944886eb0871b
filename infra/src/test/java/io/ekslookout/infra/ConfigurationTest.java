package io.ekslookout.infra;

import static io.ekslookout.infra.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Context handling, the optional features, and what bad settings or bad rules do to synth. */
class ConfigurationTest {

    @Test
    void slackSecondEmailAndControlPlaneLoggingWhenAsked() {
        Fixture f = Fixture.synth(Fixture.context(
                "alertEmails", "sec@example.com, ops@example.com",
                "slackWorkspaceId", "T0123ABCD", "slackChannelId", "C0456EFGH",
                "enableControlPlaneLogging", "true"));
        assertThat(f.resources("AWS::SNS::Subscription")).extracting(s -> s.at("/Properties/Endpoint").asText())
                .containsExactlyInAnyOrder("sec@example.com", "ops@example.com");
        JsonNode slack = f.resource("AWS::Chatbot::SlackChannelConfiguration").get("Properties");
        assertThat(slack.get("SlackWorkspaceId").asText()).isEqualTo("T0123ABCD");
        assertThat(slack.get("SlackChannelId").asText()).isEqualTo("C0456EFGH");
        assertThat(slack.get("SnsTopicArns")).isEqualTo(json("[{\"Ref\": \"" + f.id("AWS::SNS::Topic") + "\"}]"));
        assertThat(slack.get("GuardrailPolicies").toString()).contains(":iam::aws:policy/ReadOnlyAccess");

        JsonNode logging = f.resource("Custom::AWS").get("Properties");
        JsonNode call = json(logging.get("Create").asText());
        assertThat(call.get("service").asText()).isEqualTo("EKS");
        assertThat(call.get("action").asText()).isEqualTo("updateClusterConfig");
        assertThat(call.at("/parameters/name").asText()).isEqualTo("prod");
        assertThat(call.at("/parameters/logging")).isEqualTo(json("""
                {"clusterLogging": [{"types": ["api", "audit", "authenticator", "controllerManager", "scheduler"],
                  "enabled": true}]}"""));
        // Its provider may update this one cluster's config and write its own log group, nothing else.
        String providerRole = f.template.getResourceId("AWS::IAM::Role", Map.of("Properties",
                Map.of("Description", "eks-lookout: turns on the control-plane logs of EKS cluster prod")));
        List<JsonNode> statements = f.resources("AWS::IAM::Policy").stream()
                .filter(p -> p.at("/Properties/Roles/0/Ref").asText().equals(providerRole))
                .flatMap(p -> java.util.stream.StreamSupport.stream(
                        p.at("/Properties/PolicyDocument/Statement").spliterator(), false))
                .toList();
        assertThat(statements).containsExactlyInAnyOrder(
                json("""
                        {"Sid": "EnableControlPlaneLogs", "Effect": "Allow", "Action": "eks:UpdateClusterConfig",
                         "Resource": %s}""".formatted(EksLookoutStackTest.arn("eks", ":cluster/prod"))),
                json("""
                        {"Sid": "WriteOwnLogs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                         "Resource": {"Fn::GetAtt": ["%s", "Arn"]}}""".formatted(providerLogGroup(f))));
        assertThat(EksLookoutStackTest.describe(
                new io.github.cdklabs.cdknag.AwsSolutionsChecks(f.app).validateScope(f.stack).getViolations())).isEmpty();
    }

    /** The log group of the custom-resource provider (the one non-Java function). */
    private static String providerLogGroup(Fixture f) {
        return f.resources("AWS::Lambda::Function").stream()
                .filter(fn -> !fn.at("/Properties/Runtime").asText().startsWith("java"))
                .map(fn -> fn.at("/Properties/LoggingConfig/LogGroup/Ref").asText())
                .findFirst().orElseThrow();
    }

    @Test
    void durationsAndLimitsFromContextAreApplied() {
        Fixture f = Fixture.synth(Fixture.context("schedule", "10 minutes", "lookback", "PT30M", "settleDelay", "90s",
                "minSeverity", "HIGH"));
        JsonNode fn = f.resource("AWS::Lambda::Function").get("Properties");
        assertThat(fn.at("/Environment/Variables/PERIOD").asText()).isEqualTo("PT10M");
        assertThat(fn.at("/Environment/Variables/LOOKBACK").asText()).isEqualTo("PT30M");
        assertThat(fn.at("/Environment/Variables/SETTLE_DELAY").asText()).isEqualTo("PT1M30S");
        assertThat(fn.at("/Environment/Variables/MIN_SEVERITY").asText()).isEqualTo("high");
        assertThat(fn.get("Timeout").asInt()).isEqualTo(480);
        assertThat(f.resource("AWS::Events::Rule").at("/Properties/ScheduleExpression").asText())
                .isEqualTo("rate(10 minutes)");
    }

    @Test
    void scanModeAndDelayFromContextReachTheFunction() {
        Fixture f = Fixture.synth(Fixture.context("scanMode", "event-time", "scanDelay", "20 minutes"));
        JsonNode vars = f.resource("AWS::Lambda::Function").at("/Properties/Environment/Variables");
        assertThat(vars.get("SCAN_MODE").asText()).isEqualTo("event-time");
        assertThat(vars.get("SCAN_DELAY").asText()).isEqualTo("PT20M");
    }

    @Test
    void cdkJsonValuesArriveTypedAndAreAccepted() {
        Map<String, Object> ctx = Fixture.context();
        ctx.put("alertEmails", List.of("a@example.com", "b@example.com"));
        ctx.put("enableControlPlaneLogging", false);
        ctx.put("slackWorkspaceId", "");
        ctx.put("memorySize", 2048);
        EksLookoutProps p = ContextConfig.read(ctx::get, Fixture.repo());
        assertThat(p.alertEmails()).containsExactly("a@example.com", "b@example.com");
        assertThat(p.enableControlPlaneLogging()).isFalse();
        assertThat(p.slackEnabled()).isFalse();
        assertThat(p.memorySize()).isEqualTo(2048);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing cluster      | clusterName |             | clusterName: required",
            "bad cluster name     | clusterName | prod/eu     | expected an EKS cluster name",
            "bad email            | alertEmails | sec-at-home | expected email addresses",
            "bad schedule         | schedule    | often       | schedule: expected a duration such as 5m",
            "sub-minute schedule  | schedule    | 90s         | schedule: expected whole minutes",
            "negative lookback    | lookback    | PT-5M       | lookback: expected a duration from 0s to 1d",
            "huge lookback        | lookback    | 2d          | lookback: expected a duration from 0s to 1d",
            "bad scan mode        | scanMode    | timestamp   | scanMode: expected ingestion (tile ingestion time, scan lookback further back",
            "short scan delay     | scanDelay   | 10s         | scanDelay: expected a duration from 1m to 1d (event-time mode",
            "bad severity         | minSeverity | urgent      | minSeverity: expected one of info, low, medium, high, critical",
            "bad boolean          | enableControlPlaneLogging | yes | enableControlPlaneLogging: expected true or false",
            "half of slack        | slackWorkspaceId | T0123ABCD | slackChannelId: Slack needs both",
            "no rules dir         | rulesDir    | nowhere     | rulesDir: expected a directory of rule YAML files",
            "no function jar      | functionJar | missing.jar | functionJar: the function jar",
            "bad memory           | memorySize  | lots        | memorySize: expected a whole number",
    })
    void badContextFailsSynthNamingTheKey(String name, String key, String value, String message) {
        assertThatThrownBy(() -> Fixture.synth(Fixture.context(key, value == null ? null : value)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((ConfigException) e).key()).isEqualTo(message.contains("slackChannelId")
                        ? "slackChannelId" : key));
    }

    @ParameterizedTest
    @CsvSource({"alertEmail, alertEmails", "clustername, clusterName", "lookBack, lookback", "shedule, schedule"})
    void aMisspeltSettingIsNamedWithASuggestion(String typo, String meant) {
        assertThatThrownBy(() -> Fixture.synth(Fixture.context(typo, "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(typo + ": unknown setting; did you mean " + meant + "?");
    }

    @Test
    void noDestinationAtAllIsRefused() {
        assertThatThrownBy(() -> Fixture.synth(Fixture.context("alertEmails", null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("alertEmails: no one would be alerted");
    }

    @Test
    void brokenRuleFailsSynthWithFileLineAndColumn() {
        Path repo = Fixture.repo();
        Fixture.writeRule(repo, "broken-rule.yaml", """
                id: broken-rule
                title: unterminated
                severity: high
                query: "filter verb = 'delete'
                summary: One line on why it matters.
                """);
        Fixture.writeRule(repo, "bad-query.yaml", """
                id: bad-query
                title: a query that does not parse
                severity: low
                description: the query has a dangling operator
                query: |
                  filter @logStream like /^kube-apiserver-audit/
                  | filter verb = = "delete"
                summary: One line on why it matters.
                """);
        assertThatThrownBy(() -> Fixture.synth(repo, Fixture.context()))
                .isInstanceOf(RulesInvalidException.class)
                .satisfies(e -> {
                    List<String> problems = ((RulesInvalidException) e).problems();
                    // Every problem in every file at once, each located at file:line:column.
                    assertThat(problems).hasSize(2);
                    assertThat(problems).allMatch(p -> java.util.regex.Pattern.compile("^\\S+\\.yaml:\\d+:\\d+: ").matcher(p).find());
                    assertThat(problems.get(0)).contains("bad-query.yaml:7:19: query does not parse");
                    assertThat(problems.get(1)).contains("broken-rule.yaml:4:");
                    assertThat(e.getMessage()).startsWith("the rules in " + repo.resolve("rules") + " do not validate (2 problems):");
                });
    }

    @Test
    void aBadOverridesFileFailsSynthWithFileLineAndColumn() {
        Path repo = Fixture.repo();
        Fixture.writeRule(repo, "overrides.yaml", """
                aws-auth-mutaton:
                  enabled: false
                aws-auth-mutation:
                  severity: urgent
                  suppres: {verb: [get]}
                """);
        assertThatThrownBy(() -> Fixture.synth(repo, Fixture.context()))
                .isInstanceOf(RulesInvalidException.class)
                .satisfies(e -> {
                    String file = repo.resolve("rules/overrides.yaml").toString();
                    assertThat(((RulesInvalidException) e).problems()).containsExactly(
                            file + ":1:1: overrides for unknown rule 'aws-auth-mutaton' (did you mean"
                                    + " 'aws-auth-mutation'?); rules: aws-auth-mutation",
                            file + ":4:13: severity 'urgent' is not one of info, low, medium, high, critical",
                            file + ":5:3: unknown key 'suppres' in the overrides of 'aws-auth-mutation' (did you mean"
                                    + " 'suppress'?); allowed keys: enabled, severity, suppress, threshold,"
                                    + " renotifyAfter");
                });
    }

    @Test
    void anOverridesChangeChangesTheAssetSoTheFunctionRunsTheSameEffectiveRules() throws Exception {
        Path repo = Fixture.repo();
        String before = codeKey(Fixture.synth(repo, Fixture.context()));
        Fixture.writeRule(repo, "overrides.yaml", "aws-auth-mutation:\n  severity: critical\n");
        Fixture synth = Fixture.synth(repo, Fixture.context());
        assertThat(codeKey(synth)).isNotEqualTo(before);
        // the Lambda loads RULES_DIR with the same loader, so it picks up the overlay staged next to the rules
        assertThat(LambdaBundle.ruleFiles(repo.resolve("rules"))).extracting(p -> p.getFileName().toString())
                .containsExactly("aws-auth-mutation.yaml", "overrides.yaml");
    }

    @Test
    void aJarWithoutTheHandlerIsRefused() throws Exception {
        Path repo = Fixture.repo();
        Fixture.writeJar(repo.resolve("function/target/eks-lookout.jar"), "io/ekslookout/cli/Main.class");
        assertThatThrownBy(() -> Fixture.synth(repo, Fixture.context()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("functionJar: ")
                .hasMessageContaining("is not the function's shaded jar (no io.ekslookout.lambda.Handler in it)");
    }

    @Test
    void emptyRulesDirectoryIsRefused() throws Exception {
        Path repo = Fixture.repo();
        java.nio.file.Files.delete(repo.resolve("rules/aws-auth-mutation.yaml"));
        assertThatThrownBy(() -> Fixture.synth(repo, Fixture.context()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rulesDir: no rule files");
    }

    @Test
    void aRuleChangeChangesTheAssetAndSoRedeploysTheFunction() {
        Path repo = Fixture.repo();
        String before = codeKey(Fixture.synth(repo, Fixture.context()));
        String same = codeKey(Fixture.synth(repo, Fixture.context()));
        Fixture.writeRule(repo, "aws-auth-mutation.yaml", Fixture.VALID_RULE.replace("severity: high", "severity: critical"));
        String after = codeKey(Fixture.synth(repo, Fixture.context()));
        assertThat(same).isEqualTo(before);
        assertThat(after).isNotEqualTo(before);
    }

    private static String codeKey(Fixture f) {
        return f.resource("AWS::Lambda::Function").at("/Properties/Code/S3Key").asText();
    }

    @ParameterizedTest
    @CsvSource({"1, 60", "5, 240", "10, 480", "60, 900"})
    void timeoutIsSizedForThePeriod(int periodMinutes, int timeoutSeconds) {
        // the settle delay must be shorter than the period (a 1-minute schedule with the default 2m is refused)
        EksLookoutProps p = ContextConfig.read(Fixture.context("schedule", periodMinutes + "m",
                "lookback", periodMinutes + "m", "settleDelay", "30s")::get, Fixture.repo());
        assertThat(p.functionTimeout().toSeconds()).isEqualTo(timeoutSeconds);
    }
}
