package io.ekslookout.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ekslookout.detect.Finding;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MessageBuilderTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant W0 = Instant.parse("2026-11-20T09:58:00Z");
    static final Instant W1 = Instant.parse("2026-11-20T10:03:00Z");
    static final RuleInfo RULE = new RuleInfo("aws-auth-mutation", "aws-auth ConfigMap modified", "high",
            "The aws-auth ConfigMap maps IAM identities to Kubernetes groups. A change can grant cluster-admin.",
            "https://example.com/runbooks/aws-auth",
            "filter objectRef.name = \"aws-auth\"\n| fields @timestamp, user.username, verb", List.of("T1098"));
    final MessageBuilder builder = new MessageBuilder(
            new MessageBuilder.Context("prod", "/aws/eks/prod/cluster", "eu-west-1"));

    static Map<String, String> row(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    static Finding finding(List<Map<String, String>> rows, long omitted) {
        return new Finding("aws-auth-mutation", "high", "aws-auth ConfigMap modified", W0, W1, null,
                rows.size() + omitted, rows, omitted);
    }

    @Test
    void aFindingOfAnotherClusterNamesItsClusterInSubjectHeadlineBodyLinkAndAttributes() throws Exception {
        MessageBuilder run = new MessageBuilder(new MessageBuilder.Context("prod-and-1-more", "/aws/eks/prod/cluster",
                "eu-west-1"));
        Finding f = finding(List.of(row("@timestamp", "2026-11-20 10:00:01.000", "user.username", "mallory",
                "verb", "patch", "objectRef.namespace", "kube-system", "objectRef.resource", "configmaps",
                "objectRef.name", "aws-auth")), 0).withCluster("staging");
        Notification n = run.finding(f, RULE);
        assertThat(n.subject()).isEqualTo("[HIGH] aws-auth ConfigMap modified on staging");
        assertThat(n.text()).contains("cluster staging\n").contains("Cluster:  staging\n")
                .contains("*2Faws*2Feks*2Fstaging*2Fcluster").doesNotContain("prod");
        assertThat(n.attributes()).containsEntry("cluster", "staging");
        JsonNode card = JSON.readTree(n.chatbot());
        assertThat(card.toString()).contains("staging").doesNotContain("prod");
        Notification bare = run.bare(f, "test");
        assertThat(bare.subject()).endsWith("on staging");
        assertThat(bare.attributes()).containsEntry("cluster", "staging");

        // a digest of two clusters says so, and each line names its cluster
        Finding g = finding(List.of(row("user.username", "eve", "verb", "delete")), 0).withCluster("prod");
        Notification d = run.digest(List.of(f, g), Map.of(RULE.id(), RULE), W0, W1);
        assertThat(d.subject()).contains("findings on prod-and-1-more");
        assertThat(d.text()).contains("cluster staging").contains("cluster prod");
        assertThat(d.attributes()).containsEntry("cluster", "prod-and-1-more");
        Notification one = run.digest(List.of(f, f), Map.of(RULE.id(), RULE), W0, W1);
        assertThat(one.attributes()).containsEntry("cluster", "staging");
    }

    @Test
    void emailSaysWhatWhoWhenWhereHowManyWithRowsDescriptionRunbookAndLink() throws Exception {
        Finding f = finding(List.of(row("@timestamp", "2026-11-20 10:00:01.000", "user.username", "kubernetes-admin",
                "user.extra.arn.0", "arn:aws:iam::111122223333:role/Admin", "verb", "patch",
                "objectRef.namespace", "kube-system", "objectRef.resource", "configmaps", "objectRef.name", "aws-auth",
                "responseStatus.code", "200", "sourceIPs.0", "203.0.113.7", "userAgent", "kubectl/v1.29.0", "@ptr", "abc")), 0);
        Notification n = builder.finding(f, RULE);
        assertThat(n.subject()).isEqualTo("[HIGH] aws-auth ConfigMap modified on prod");
        assertThat(n.text()).startsWith("kubernetes-admin (arn:aws:iam::111122223333:role/Admin) patched configmap "
                        + "kube-system/aws-auth \u2192 200 OK, 10:00:01 UTC, cluster prod\n\n"
                        + "The aws-auth ConfigMap maps IAM identities to Kubernetes groups.\n\n")
                .contains("Rule:     aws-auth ConfigMap modified (aws-auth-mutation, severity high)")
                .contains("Who:      kubernetes-admin\n          IAM: arn:aws:iam::111122223333:role/Admin")
                .contains("What:     patched configmap kube-system/aws-auth\nOutcome:  200 OK\n")
                .contains("When:     2026-11-20 10:00:01.000 (window 2026-11-20 09:58:00 UTC - 2026-11-20 10:03:00 UTC)")
                .contains("Cluster:  prod\n")
                .contains("From:     203.0.113.7, user agent kubectl/v1.29.0")
                .contains("Events:   1 matching event")
                .contains("\n---- About rule aws-auth-mutation ----\nThe aws-auth ConfigMap maps IAM identities to "
                        + "Kubernetes groups. A change can grant cluster-admin.\n\nRunbook:\n"
                        + "https://example.com/runbooks/aws-auth\n")
                .contains("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:logs-insights")
                .contains("  1. @timestamp=2026-11-20 10:00:01.000, user.username=kubernetes-admin")
                .doesNotContain("@ptr");
        // the rule's text comes after what the responder needs first
        assertThat(n.text().indexOf("---- About rule")).isGreaterThan(n.text().indexOf("  1. @timestamp"));
        assertThat(n.attributes()).containsEntry("severity", "high").containsEntry("ruleId", "aws-auth-mutation")
                .containsEntry("cluster", "prod");

        JsonNode sns = JSON.readTree(n.snsMessage());
        assertThat(sns.get("default").asText()).isEqualTo(n.text());
        assertThat(sns.get("email").asText()).isEqualTo(n.text());
        JsonNode chat = JSON.readTree(sns.get("https").asText());
        assertThat(chat.get("version").asText()).isEqualTo("1.0");
        assertThat(chat.get("source").asText()).isEqualTo("custom");
        assertThat(chat.at("/content/title").asText()).isEqualTo(":rotating_light: [HIGH] kubernetes-admin "
                + "(arn:aws:iam::111122223333:role/Admin) patched configmap kube-system/aws-auth \u2192 200 OK, 10:00:01 UTC, "
                + "cluster prod");
        assertThat(chat.at("/content/description").asText())
                .startsWith("*aws-auth ConfigMap modified* (`aws-auth-mutation`)\n*Who:* `kubernetes-admin`")
                .contains("*What:* `patched configmap kube-system/aws-auth`\n*Outcome:* `200 OK`")
                .contains("\n\nThe aws-auth ConfigMap maps IAM identities to Kubernetes groups.\n```\n"
                        + "@timestamp=2026-11-20 10:00:01.000, user.username=kubernetes-admin")
                .doesNotContain("A change can grant", "\uFF20");
        assertThat(chat.at("/content/nextSteps/0").asText()).startsWith("<https://eu-west-1.console.aws.amazon.com/")
                .contains("|Open the query in CloudWatch Logs Insights>");
        assertThat(chat.at("/content/nextSteps/1").asText()).isEqualTo("<https://example.com/runbooks/aws-auth|Runbook>");
        assertThat(chat.at("/content/keywords").toString()).contains("HIGH", "prod", "aws-auth-mutation", "T1098");
        assertThat(chat.at("/metadata/threadId").asText()).isEqualTo("eks-lookout/prod/aws-auth-mutation");
    }

    @Test
    void aScheduledRunsLinkFiltersOnItsIngestionWindow() {
        Finding f = finding(List.of(row("user.username", "alice")), 0);
        io.ekslookout.detect.TimeWindow ing = new io.ekslookout.detect.TimeWindow(
                Instant.parse("2026-11-20T09:58:00Z"), W1);
        Notification n = builder.withIngestion(ing).finding(f, RULE);
        String url = n.text().lines().filter(l -> l.startsWith("https://eu-west-1.console")).findFirst().orElseThrow();
        String editor = url.substring(url.indexOf("editorString~'") + 14, url.indexOf("~source"));
        assertThat(ConsoleLink.decode(editor)).isEqualTo("filter @ingestionTime >= "
                + ing.start().toEpochMilli() + " and @ingestionTime < " + W1.toEpochMilli() + "\n| "
                + RULE.queryText());
        assertThat(builder.finding(f, RULE).text()).doesNotContain("ingestionTime");
    }

    @Test
    void hostileLogValuesCannotMentionLinkOrForgeLines() throws Exception {
        String evilUser = "<!channel> *URGENT* _click_ <https://evil.example/x|here>\nSeverity: info";
        String evilAgent = "curl <@U024BE7LH> `rm -rf` ~strike~ @here";
        Finding f = finding(List.of(row("user.username", evilUser, "userAgent", evilAgent,
                "objectRef.resource", "pods", "objectRef.name", "x<!here>y", "requestURI", "/api?q=<!everyone>")), 0);
        Notification n = builder.finding(f, RULE);
        JsonNode chat = JSON.readTree(n.chatbot());
        String desc = chat.at("/content/description").asText();
        assertThat(desc).doesNotContain("<!", "<@", "<http", "*URGENT*", "_click_", "@here", "`rm", "evil.example",
                "\nSeverity");
        assertThat(chat.at("/content/title").asText()).doesNotContain("<!");
        for (String line : n.text().split("\n")) {
            assertThat(line).doesNotStartWith("Severity");
        }
        assertThat(n.text()).doesNotContain("https://evil", "evil.example");
        // the headline leads both messages and is built from those values: one line, nothing live
        String headline = n.text().lines().findFirst().orElseThrow();
        assertThat(headline).startsWith("\u2039!channel\u203A *URGENT* _click_ \u2039hxxps[:]//evil[.]example/x|here\u203A"
                + "?Severity: info: aws-auth ConfigMap modified, pod x\u2039!here\u203Ay");
        assertThat(chat.at("/content/title").asText()).doesNotContain("<", "*URGENT*", "@here", "\n");
    }

    @Test
    void hostileFieldNamesCannotBreakOutOfTheSlackCodeBlock() throws Exception {
        Finding f = finding(List.of(row("a```<!channel>&x", "v", "@timestamp", "2026-11-20 10:00:01.000")), 0);
        String desc = JSON.readTree(builder.finding(f, RULE).chatbot()).at("/content/description").asText();
        String block = desc.substring(desc.indexOf("```\n") + 4, desc.lastIndexOf("\n```"));
        assertThat(block).isEqualTo("a\u02CB\u02CB\u02CB\u2039!channel\u203A\uFF06x=v, @timestamp=2026-11-20 10:00:01.000");
    }

    @Test
    void secretDataAndBodiesAreRedacted() {
        String msg = "{\"kind\":\"Event\",\"objectRef\":{\"resource\":\"secrets\",\"name\":\"db\"},"
                + "\"requestObject\":{\"kind\":\"Secret\",\"data\":{\"password\":\"aHVudGVyMg==\"}},"
                + "\"responseObject\":{\"stringData\":{\"token\":\"s3cr3t\"}}}";
        Finding f = finding(List.of(row("objectRef.resource", "secrets", "requestObject.data.password", "aHVudGVyMg==",
                "responseObject.stringData.token", "s3cr3t", "@message", msg)), 0);
        Notification n = builder.finding(f, RULE);
        assertThat(n.snsMessage()).doesNotContain("aHVudGVyMg==", "s3cr3t").contains("[redacted]");
    }

    @Test
    void messagesStayUnderTheSnsLimitByDroppingRowsWithANote() {
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Map<String, String> r = new LinkedHashMap<>();
            for (int k = 0; k < 300; k++) {
                r.put("field" + k, ("v" + i + "-" + k + "-").repeat(60));
            }
            rows.add(r);
        }
        MessageBuilder big = new MessageBuilder(new MessageBuilder.Context("prod", "/aws/eks/prod/cluster",
                "eu-west-1"), new Redactor(true), 5);
        Finding f = finding(rows, 995);
        Notification n = big.finding(f, RULE);
        assertThat(n.sizeBytes()).isLessThanOrEqualTo(Notification.MAX_BYTES);
        assertThat(n.snsMessage().getBytes(StandardCharsets.UTF_8).length).isLessThan(256 * 1024);
        assertThat(n.text()).containsPattern("\\((99[5-9]|1000) more rows not shown");
    }

    @Test
    void digestListsEveryFindingMostSevereFirst() {
        List<Finding> fs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            fs.add(new Finding("rule-" + i, i == 7 ? "critical" : "low", "Title " + i, W0, W1, "key" + i, i + 1,
                    List.of(row("user.username", "user" + i)), 0));
        }
        Notification d = builder.digest(fs, Map.of("rule-7", RULE), W0, W1);
        assertThat(d.subject()).isEqualTo("[CRITICAL] eks-lookout: 12 findings on prod (12 rules)");
        assertThat(d.text().indexOf("Title 7")).isLessThan(d.text().indexOf("Title 0"));
        for (int i = 0; i < 12; i++) {
            assertThat(d.text()).contains((i == 7 ? "[CRITICAL] " : "[LOW]      ") + "user" + i + ": Title " + i
                    + (i == 0 ? "" : " (+" + i + (i == 1 ? " more event)" : " more events)"))
                    + ", cluster prod (rule-" + i + ")\n");
        }
        assertThat(d.text().split("console.aws.amazon.com", -1)).as("one link for the window").hasSize(2);
        assertThat(d.attributes()).containsEntry("ruleId", "digest").containsEntry("severity", "critical");
    }

    @Test
    void healthListsFailedRules() throws Exception {
        Notification h = builder.health(Map.of("aws-auth-mutation", "Logs Insights query q1 ended with status Failed"),
                List.of("agg: the stats query returned 10000 rows"), 20);
        assertThat(h.subject()).isEqualTo("[HEALTH] eks-lookout: 1 of 20 rules failed on prod");
        assertThat(h.text()).contains("  - aws-auth-mutation: Logs Insights query q1 ended with status Failed")
                .contains("agg: the stats query returned 10000 rows");
        assertThat(JSON.readTree(h.chatbot()).at("/metadata/threadId").asText()).isEqualTo("eks-lookout/prod/health");
    }

    static String words(int chars) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < chars; i++) {
            sb.append("step").append(i).append(' ');
        }
        return sb.substring(0, chars);
    }

    static List<Map<String, String>> rows(int n) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(row("user.username", "user" + i, "verb", "patch"));
        }
        return rows;
    }

    @Test
    void aThreeHundredKbRunbookIsCutAtAWordBoundaryAndTheMessageSaysSo() throws Exception {
        RuleInfo rule = new RuleInfo(RULE.id(), RULE.title(), "high", RULE.description(), words(300 * 1024),
                RULE.queryText(), RULE.tags());
        Notification n = builder.finding(finding(rows(3), 0), rule);
        assertThat(n.sizeBytes()).isLessThanOrEqualTo(Notification.MAX_BYTES);
        // rows and link go first; only then is the rule's own text cut, at a word boundary
        assertThat(n.shortened()).containsExactly("3 rows left out",
                "the console link left out (the rule's query is too long for a link: run rule aws-auth-mutation's "
                        + "query in Logs Insights over the window)",
                "the rule's description and runbook cut to 1000 characters (the rule file has them in full)");
        List<String> lines = n.text().lines().toList();
        String runbook = lines.get(lines.indexOf("Runbook:") + 1);
        assertThat(runbook).matches("(step\\d+ )*step\\d+\u2026 \\(\\d+ more characters\\)");
        assertThat(runbook.length()).isLessThan(1100);
        assertThat(n.text()).contains("Shortened to fit SNS's 256 KB message limit: 3 rows left out; the console link "
                + "left out").contains("A change can grant cluster-admin.");
        String desc = JSON.readTree(n.chatbot()).at("/content/description").asText();
        assertThat(desc).contains("_Shortened to fit 256 KB: 3 rows left out;");
    }

    @Test
    void aFourHundredKbQueryDropsRowsThenTheConsoleLinkButKeepsTheRest() throws Exception {
        RuleInfo rule = new RuleInfo(RULE.id(), RULE.title(), "high", RULE.description(), RULE.runbook(),
                "filter verb = \"patch\" | fields " + "x".repeat(400 * 1024), RULE.tags());
        Notification n = builder.finding(finding(rows(5), 0), rule);
        assertThat(n.sizeBytes()).isLessThanOrEqualTo(Notification.MAX_BYTES);
        assertThat(n.text()).doesNotContain("console.aws.amazon.com").contains(RULE.description())
                .contains("Runbook:\nhttps://example.com/runbooks/aws-auth")
                .contains("(5 more rows not shown: run the rule's query in Logs Insights to see them)")
                .contains("the console link left out");
        assertThat(n.shortened()).hasSize(2);
        JsonNode chat = JSON.readTree(n.chatbot());
        assertThat(chat.at("/content/nextSteps/0").asText()).startsWith("Run the rule's query in CloudWatch Logs "
                + "Insights (window 2026-11-20 09:58:00 UTC");
        assertThat(chat.at("/content/nextSteps/1").asText()).isEqualTo("<https://example.com/runbooks/aws-auth|Runbook>");
    }

    @Test
    void aMessageThatFitsIsNotShortened() {
        assertThat(builder.finding(finding(rows(5), 0), RULE).shortened()).isEmpty();
    }

    @Test
    void whenNothingElseHelpsABareMessageStillAnnouncesTheFinding() {
        Finding f = new Finding("r", "high", "t".repeat(300 * 1024), W0, W1, null, 4, List.of(), 0);
        Notification n = builder.finding(f, new RuleInfo("r", f.title(), "high", "", null, "fields a", List.of()));
        assertThat(n.sizeBytes()).isLessThan(8 * 1024);
        assertThat(n.text()).contains("Events:   4 matching events").contains("This is a short form of the message: "
                + "the full message is larger than SNS's 256 KB even without rows, console link and description");
        assertThat(n.shortened()).singleElement().asString().startsWith("short form:");
    }

    @Test
    void cutWordsCutsAtTheLastBlankAndCountsWhatIsLeftOut() {
        record Case(String in, int max, String out) {
        }
        for (Case c : List.of(
                new Case("short", 10, "short"),
                new Case("alpha beta gamma delta", 12, "alpha beta\u2026 (12 more characters)"),
                new Case("abcdefghijklmnopqrstuvwxyz", 10, "abcdefghij\u2026 (16 more characters)"),
                new Case("abcdefghi jklmnop", 10, "abcdefghi\u2026 (8 more characters)"))) {
            assertThat(MessageBuilder.cutWords(c.in(), c.max())).as(c.in()).isEqualTo(c.out());
        }
    }

    @Test
    void aDigestOfFourteenFindingsWithLongHostileValuesStaysUnderEightKb() {
        List<Finding> fs = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            fs.add(new Finding("rule-" + i, "high", "Title " + i, W0, W1, null, 3, List.of(row(
                    "user.username", "u".repeat(5000) + i, "verb", "patch", "objectRef.resource", "configmaps",
                    "objectRef.namespace", "n".repeat(5000), "objectRef.name", "x".repeat(5000),
                    "responseStatus.code", "200", "userAgent", "a".repeat(5000))), 0));
        }
        Notification d = builder.digest(fs, Map.of(), W0, W1);
        assertThat(d.text().getBytes(StandardCharsets.UTF_8).length).isLessThan(8 * 1024);
        assertThat(d.text().lines().filter(l -> l.startsWith("[HIGH]     "))).hasSize(14)
                .allSatisfy(l -> assertThat(l).hasSizeLessThan(450));
    }
}
