package io.ekslookout.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ekslookout.detect.Finding;
import io.ekslookout.detect.TimeWindow;
import io.ekslookout.testing.HttpSink;
import io.ekslookout.testing.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sns.SnsClient;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real SDK publishing to a local moto SNS: read back the stored messages (GET /moto-api/data.json) and what
 * moto delivered to an HTTPS subscriber (standing in for AWS Chatbot) on a local HTTP server.
 */
@ExtendWith(MotoServer.class)
class SnsMotoTest {
    static final ObjectMapper JSON = new ObjectMapper();
    MotoServer.Instance moto;
    SnsClient sns;
    HttpSink chatbot;
    List<String> delivered;
    String topicArn;

    @BeforeEach
    void setUp(MotoServer.Instance moto) {
        this.moto = moto;
        moto.reset();
        sns = moto.clients().sns();
        chatbot = new HttpSink();
        delivered = chatbot.delivered();
        topicArn = sns.createTopic(b -> b.name("eks-lookout-alerts")).topicArn();
        sns.subscribe(b -> b.topicArn(topicArn).protocol("email").endpoint("secops@example.com"));
        sns.subscribe(b -> b.topicArn(topicArn).protocol("https")
                .endpoint(chatbot.url("/chatbot")));
    }

    @AfterEach
    void tearDown() {
        chatbot.close();
    }

    @Test
    void findingsArriveWithEmailTextChatbotJsonSubjectAndAttributes() throws Exception {
        MessageBuilder builder = new MessageBuilder(new MessageBuilder.Context("prod", "/aws/eks/prod/cluster",
                "us-east-1"));
        Finding f = new Finding("aws-auth-mutation", "high", "aws-auth ConfigMap modified",
                Instant.parse("2026-11-20T09:58:00Z"), Instant.parse("2026-11-20T10:03:00Z"), null, 2,
                List.of(Map.of("user.username", "<!channel> mallory", "objectRef.name", "aws-auth",
                        "objectRef.resource", "configmaps")), 1);
        RuleInfo rule = new RuleInfo("aws-auth-mutation", "aws-auth ConfigMap modified", "high", "Why it matters.",
                "https://example.com/rb", "fields @timestamp", List.of("T1098"));
        Notifier.Report report = new Notifier(builder, new SnsPublisher(sns, topicArn), 10).send(List.of(f),
                Map.of(rule.id(), rule), Map.of("broken-rule", "Logs Insights query q9 ended with status Failed"),
                List.of(), 2, new TimeWindow(f.windowStart(), f.windowEnd()));
        assertThat(report.failures()).isEmpty();
        assertThat(report.sent()).isEqualTo(2);

        // what SNS stored: the MessageStructure=json document, the subject and the attributes
        JsonNode sentList = moto.sentNotifications(topicArn);
        assertThat(sentList).as("topic in moto's data.json").isNotNull();
        assertThat(sentList).hasSize(2);
        JsonNode first = sentList.get(0); // [messageId, message, subject, attributes, groupId]
        JsonNode message = JSON.readTree(first.get(1).asText());
        assertThat(message.get("email").asText()).contains("Who:      \u2039!channel\u203A mallory").contains("Events:   2 matching events").contains("(1 more row not shown");
        assertThat(message.get("default").asText()).isEqualTo(message.get("email").asText());
        assertThat(first.get(2).asText()).isEqualTo("[HIGH] aws-auth ConfigMap modified on prod");
        JsonNode attrs = first.get(3);
        assertThat(attrs.at("/severity/Value").asText()).isEqualTo("high");
        assertThat(attrs.at("/severity/Type").asText()).isEqualTo("String");
        assertThat(attrs.at("/ruleId/Value").asText()).isEqualTo("aws-auth-mutation");
        assertThat(attrs.at("/cluster/Value").asText()).isEqualTo("prod");
        assertThat(sentList.get(1).get(2).asText()).isEqualTo("[HEALTH] eks-lookout: 1 of 2 rules failed on prod");

        // what the HTTPS subscriber (Chatbot) received: the https key, a valid custom notification
        assertThat(delivered).hasSize(2);
        JsonNode envelope = JSON.readTree(delivered.get(0));
        assertThat(envelope.get("Type").asText()).isEqualTo("Notification");
        JsonNode custom = JSON.readTree(envelope.get("Message").asText());
        assertThat(custom.get("version").asText()).isEqualTo("1.0");
        assertThat(custom.get("source").asText()).isEqualTo("custom");
        assertThat(custom.at("/content/title").asText()).isEqualTo(":rotating_light: [HIGH] \u2039\u01C3channel\u203A "
                + "mallory: aws-auth ConfigMap modified, configmap aws-auth (+1 more event), cluster prod");
        assertThat(custom.at("/content/description").asText()).doesNotContain("<!channel>").contains("mallory");
        assertThat(custom.at("/metadata/threadId").asText()).isEqualTo("eks-lookout/prod/aws-auth-mutation");
        assertThat(JSON.readTree(JSON.readTree(delivered.get(1)).get("Message").asText())
                .at("/metadata/threadId").asText()).isEqualTo("eks-lookout/prod/health");
    }

    @Test
    void aFindingWithAHugeRunbookIsShrunkAndAcceptedWhileTheOthersGoOutWhole() throws Exception {
        MessageBuilder builder = new MessageBuilder(new MessageBuilder.Context("prod", "/aws/eks/prod/cluster",
                "us-east-1"));
        Instant w0 = Instant.parse("2026-11-20T09:58:00Z");
        Instant w1 = Instant.parse("2026-11-20T10:03:00Z");
        RuleInfo huge = new RuleInfo("huge", "Huge runbook", "high", "Why.", "read this ".repeat(30_000),
                "fields @timestamp", List.of());
        RuleInfo small = new RuleInfo("small", "Small rule", "high", "Why.", null, "fields @timestamp", List.of());
        List<Finding> fs = List.of(
                new Finding("huge", "high", "Huge runbook", w0, w1, null, 1, List.of(Map.of("user.username", "a")), 0),
                new Finding("small", "high", "Small rule", w0, w1, null, 1, List.of(Map.of("user.username", "b")), 0));
        // unshrunk, SNS (moto enforces the same 256 KiB limit) refuses the message
        Notification whole = new Notification("finding", "s", "read this ".repeat(30_000), "{}", Map.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SnsPublisher(sns, topicArn).publish(whole))
                .hasMessageContaining("too long");
        Notifier.Report report = new Notifier(builder, new SnsPublisher(sns, topicArn), 10).send(fs,
                Map.of("huge", huge, "small", small), Map.of(), List.of(), 2, new TimeWindow(w0, w1));
        assertThat(report.failures()).isEmpty();
        assertThat(report.sent()).isEqualTo(2);
        JsonNode stored = moto.sentNotifications(topicArn);
        assertThat(stored).hasSize(2);
        assertThat(JSON.readTree(stored.get(0).get(1).asText()).get("email").asText())
                .contains("Shortened to fit SNS's 256 KB message limit").contains("Runbook:\nread this read this");
        assertThat(JSON.readTree(stored.get(1).get(1).asText()).get("email").asText())
                .doesNotContain("Shortened");
    }
}
