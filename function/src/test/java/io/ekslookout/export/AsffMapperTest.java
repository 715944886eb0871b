package io.ekslookout.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.detect.Finding;
import io.ekslookout.notify.RuleInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One test per ASFF field the mapper writes. */
class AsffMapperTest {
    static final Instant START = Instant.parse("2026-11-20T08:00:00Z");
    static final Instant END = Instant.parse("2026-11-20T09:00:00Z");
    static final Instant NOW = Instant.parse("2026-11-20T09:02:03.456789Z");
    static final ExportContext CTX = new ExportContext("prod", "/aws/eks/prod/cluster", "eu-west-1", "111122223333");

    static Map<String, String> row(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Finding finding(String groupKey, List<Map<String, String>> rows) {
        return new Finding("aws-auth-mutation", "high", "aws-auth ConfigMap changed", START, END, groupKey,
                rows.size(), rows, 0);
    }

    static final List<Map<String, String>> ROWS = List.of(
            row("@timestamp", "2026-11-20 08:40:00.000", "user.username", "alice", "verb", "patch",
                    "objectRef.resource", "configmaps", "objectRef.namespace", "kube-system", "objectRef.name",
                    "aws-auth", "iamArn", "arn:aws:iam::111122223333:user/alice", "code", "200"),
            row("@timestamp", "2026-11-20 08:10:00.000", "user.username", "alice", "verb", "update",
                    "objectRef.resource", "configmaps", "objectRef.namespace", "kube-system", "objectRef.name",
                    "aws-auth"));

    static RuleInfo rule(String summary, String description, String runbook, List<String> tags) {
        return new RuleInfo("aws-auth-mutation", "aws-auth ConfigMap changed", "high", description, runbook,
                "fields @timestamp | filter objectRef.name = 'aws-auth'", tags, summary, null);
    }

    static final RuleInfo RULE = rule("Who can administer the cluster changed.", "Long description. More.",
            "https://example.com/runbooks/aws-auth", List.of("T1098.006"));

    @Test
    void aFindingOfALinkedAccountsClusterIsImportedByThisAccountAboutThatCluster() {
        ExportContext ctx = new ExportContext("prod", "/aws/eks/prod/cluster", "eu-west-1", "111122223333",
                Map.of("payments", "444455556666"));
        Finding f = finding("alice", ROWS).withCluster("payments");
        ObjectNode o = AsffMapper.map(f, RULE, ctx, NOW);
        assertThat(o.get("AwsAccountId").asText()).isEqualTo("111122223333");
        assertThat(o.get("ProductArn").asText()).contains(":product/111122223333/default");
        assertThat(o.get("Id").asText()).startsWith("eks-lookout/payments/aws-auth-mutation/")
                .endsWith(Fingerprint.of("aws-auth-mutation", "payments", "alice"));
        assertThat(o.get("Resources").get(0).get("Id").asText())
                .isEqualTo("arn:aws:eks:eu-west-1:444455556666:cluster/payments");
        // the same finding in prod is another Security Hub finding
        assertThat(AsffMapper.map(finding("alice", ROWS).withCluster("prod"), RULE, ctx, NOW).get("Id").asText())
                .isNotEqualTo(o.get("Id").asText());
        assertThat(OcsfMapper.map(f, RULE, ctx, NOW).toString()).contains("payments")
                .contains("arn:aws:eks:eu-west-1:444455556666:cluster/payments");
    }

    static ObjectNode map(Finding f, RuleInfo r) {
        return AsffMapper.map(f, r, CTX, NOW);
    }

    @Test
    void schemaVersion() {
        assertThat(map(finding("alice", ROWS), RULE).get("SchemaVersion").asText()).isEqualTo("2018-10-08");
    }

    @Test
    void idIsStableAcrossWindowsAndDiffersPerGroupClusterAndRule() {
        Finding a = finding("alice", ROWS);
        Finding laterWindow = new Finding(a.ruleId(), a.severity(), a.title(), END, END.plusSeconds(3600), "alice", 1,
                ROWS.subList(0, 1), 0);
        String id = map(a, RULE).get("Id").asText();
        assertThat(id).startsWith("eks-lookout/prod/aws-auth-mutation/").hasSize(
                "eks-lookout/prod/aws-auth-mutation/".length() + 32);
        assertThat(map(laterWindow, RULE).get("Id").asText()).isEqualTo(id);
        assertThat(map(finding("bob", ROWS), RULE).get("Id").asText()).isNotEqualTo(id);
        assertThat(AsffMapper.map(a, RULE, new ExportContext("dev", null, "eu-west-1", "111122223333"), NOW)
                .get("Id").asText()).isNotEqualTo(id);
        assertThat(map(finding(null, ROWS), RULE).get("Id").asText()).isNotEqualTo(id);
    }

    @ParameterizedTest
    @CsvSource({
            "eu-west-1, arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default",
            "cn-north-1, arn:aws-cn:securityhub:cn-north-1:111122223333:product/111122223333/default",
            "us-gov-west-1, arn:aws-us-gov:securityhub:us-gov-west-1:111122223333:product/111122223333/default"})
    void productArnIsTheAccountsDefaultProductInItsPartition(String region, String arn) {
        ObjectNode o = AsffMapper.map(finding("alice", ROWS), RULE,
                new ExportContext("prod", null, region, "111122223333"), NOW);
        assertThat(o.get("ProductArn").asText()).isEqualTo(arn);
    }

    @Test
    void generatorIdIsTheRuleAndAccountIsTheContexts() {
        ObjectNode o = map(finding("alice", ROWS), RULE);
        assertThat(o.get("GeneratorId").asText()).isEqualTo("aws-auth-mutation");
        assertThat(o.get("AwsAccountId").asText()).isEqualTo("111122223333");
    }

    @Test
    void typesComeFromTheTagsAndAreRepeatedInFindingProviderFields() {
        ObjectNode o = map(finding("alice", ROWS), RULE);
        assertThat(o.get("Types")).hasSize(1);
        assertThat(o.get("Types").get(0).asText()).isEqualTo("TTPs/Persistence/T1098.006 Account Manipulation");
        assertThat(o.at("/FindingProviderFields/Types")).isEqualTo(o.get("Types"));
    }

    @ParameterizedTest
    @CsvSource({"critical, CRITICAL", "high, HIGH", "medium, MEDIUM", "low, LOW", "info, INFORMATIONAL"})
    void severityLabel(String severity, String label) {
        Finding f = new Finding("r", severity, "t", START, END, null, 1, List.of(), 0);
        ObjectNode o = map(f, RULE);
        assertThat(o.at("/Severity/Label").asText()).isEqualTo(label);
        assertThat(o.at("/Severity/Original").asText()).isEqualTo(severity);
        assertThat(o.at("/FindingProviderFields/Severity/Label").asText()).isEqualTo(label);
    }

    @Test
    void titleIsTheRulesTitleWithTheGroupKeyWithinTheLimit() {
        assertThat(map(finding("alice", ROWS), RULE).get("Title").asText())
                .isEqualTo("aws-auth ConfigMap changed [alice]");
        assertThat(map(finding(null, ROWS), RULE).get("Title").asText()).isEqualTo("aws-auth ConfigMap changed");
        String huge = "x".repeat(9000);
        String t = map(finding(huge, ROWS), RULE).get("Title").asText();
        assertThat(t.length()).isLessThanOrEqualTo(256);
        assertThat(t).startsWith("aws-auth ConfigMap changed [xxx").contains("…");
    }

    @Test
    void descriptionLeadsWithTheSummaryThenTheHeadlineAndCount() {
        String d = map(finding("alice", ROWS), RULE).get("Description").asText();
        assertThat(d).startsWith("Who can administer the cluster changed.\n\n");
        assertThat(d).contains("alice").contains("patched configmap kube-system/aws-auth")
                .contains("2 matching events between 2026-11-20T08:00:00Z and 2026-11-20T09:00:00Z");
        assertThat(d).doesNotContain("Long description");
    }

    @Test
    void descriptionWithoutSummaryUsesTheDescriptionCutAndStaysWithin1024() {
        RuleInfo noSummary = new RuleInfo("r", "T", "high", "word ".repeat(2000), null, "q", List.of());
        String d = map(finding("alice", ROWS), noSummary).get("Description").asText();
        assertThat(d).startsWith("word word");
        assertThat(d.length()).isLessThanOrEqualTo(1024);
    }

    @Test
    void resourcesAreTheClusterAndTheKubernetesObject() {
        JsonNode rs = map(finding("alice", ROWS), RULE).get("Resources");
        assertThat(rs).hasSize(2);
        assertThat(rs.get(0).get("Type").asText()).isEqualTo("AwsEksCluster");
        assertThat(rs.get(0).get("Id").asText()).isEqualTo("arn:aws:eks:eu-west-1:111122223333:cluster/prod");
        assertThat(rs.get(0).at("/Details/AwsEksCluster/Name").asText()).isEqualTo("prod");
        assertThat(rs.get(0).get("Region").asText()).isEqualTo("eu-west-1");
        assertThat(rs.get(1).get("Type").asText()).isEqualTo("Other");
        assertThat(rs.get(1).get("Id").asText()).isEqualTo("k8s://prod/namespaces/kube-system/configmap/aws-auth");
        JsonNode other = rs.get(1).at("/Details/Other");
        assertThat(other.get("kubernetes/name").asText()).isEqualTo("aws-auth");
        assertThat(other.get("kubernetes/namespace").asText()).isEqualTo("kube-system");
        assertThat(other.get("kubernetes/actor").asText()).isEqualTo("alice");
        assertThat(other.get("kubernetes/actorArn").asText()).isEqualTo("arn:aws:iam::111122223333:user/alice");
    }

    @Test
    void withoutAnObjectInTheRowsOnlyTheClusterIsAResource() {
        JsonNode rs = map(finding(null, List.of(row("count", "12"))), RULE).get("Resources");
        assertThat(rs).hasSize(1);
        assertThat(rs.get(0).get("Type").asText()).isEqualTo("AwsEksCluster");
    }

    @Test
    void createdAndUpdatedAt() {
        ObjectNode o = map(finding("alice", ROWS), RULE);
        assertThat(o.get("CreatedAt").asText()).isEqualTo("2026-11-20T08:10:00Z");
        assertThat(o.get("UpdatedAt").asText()).isEqualTo("2026-11-20T09:02:03.456Z");
    }

    @Test
    void firstAndLastObservedAtComeFromTheRowsElseTheWindow() {
        ObjectNode o = map(finding("alice", ROWS), RULE);
        assertThat(o.get("FirstObservedAt").asText()).isEqualTo("2026-11-20T08:10:00Z");
        assertThat(o.get("LastObservedAt").asText()).isEqualTo("2026-11-20T08:40:00Z");
        ObjectNode noTime = map(finding(null, List.of(row("count", "3"), row("@timestamp", "not a time"))), RULE);
        assertThat(noTime.get("FirstObservedAt").asText()).isEqualTo("2026-11-20T08:00:00Z");
        assertThat(noTime.get("LastObservedAt").asText()).isEqualTo("2026-11-20T08:59:59.999Z");
    }

    @Test
    void sourceUrlIsTheConsoleLinkWithTheRulesQueryOverTheWindow() {
        String url = map(finding("alice", ROWS), RULE).get("SourceUrl").asText();
        assertThat(url).startsWith("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:")
                .contains("2026-11-20T08*3A00*3A00Z").contains("*2Faws*2Feks*2Fprod*2Fcluster");
        RuleInfo hugeQuery = new RuleInfo("r", "T", "high", "d", null, "x".repeat(9000), List.of());
        assertThat(map(finding("alice", ROWS), hugeQuery).has("SourceUrl")).isFalse();
    }

    @Test
    void remediationTextIsTheRunbookAndAUrlRunbookIsAlsoTheUrl() {
        ObjectNode o = map(finding("alice", ROWS), RULE);
        assertThat(o.at("/Remediation/Recommendation/Text").asText()).isEqualTo("https://example.com/runbooks/aws-auth");
        assertThat(o.at("/Remediation/Recommendation/Url").asText()).isEqualTo("https://example.com/runbooks/aws-auth");
        RuleInfo textRunbook = rule("s", "d", "Check who. " + "Then roll back the change. ".repeat(50), List.of());
        ObjectNode t = map(finding("alice", ROWS), textRunbook);
        assertThat(t.at("/Remediation/Recommendation/Text").asText()).startsWith("Check who.").hasSizeLessThanOrEqualTo(512);
        assertThat(t.at("/Remediation/Recommendation").has("Url")).isFalse();
        RuleInfo none = rule("s", "d", null, List.of());
        assertThat(map(finding("alice", ROWS), none).at("/Remediation/Recommendation/Text").asText())
                .contains("aws-auth-mutation").contains("Logs Insights");
    }

    @Test
    void productFieldsCarryTheFingerprintAndCount() {
        ObjectNode o = map(finding("alice", ROWS), RULE);
        assertThat(o.at("/ProductFields/eks-lookout~1Fingerprint").asText())
                .isEqualTo(Fingerprint.of("aws-auth-mutation", "prod", "alice"));
        assertThat(o.at("/ProductFields/eks-lookout~1MatchCount").asText()).isEqualTo("2");
        assertThat(o.at("/ProductFields/eks-lookout~1GroupKey").asText()).isEqualTo("alice");
        assertThat(o.get("Id").asText()).endsWith(o.at("/ProductFields/eks-lookout~1Fingerprint").asText());
    }

    @Test
    void withoutRegionOrAccountItRefuses() {
        assertThatThrownBy(() -> AsffMapper.map(finding("a", ROWS), RULE, new ExportContext("p", null, null, null),
                NOW)).hasMessageContaining("region and the account");
    }

    @Test
    void logTextInTitleAndDescriptionIsMadePlain() {
        List<Map<String, String>> rows = new ArrayList<>(ROWS);
        Finding f = finding("evil\u001b[31m\nname", rows);
        ObjectNode o = map(f, RULE);
        assertThat(o.get("Title").asText()).doesNotContain("\u001b").doesNotContain("\n");
    }
}
