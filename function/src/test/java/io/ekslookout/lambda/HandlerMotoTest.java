package io.ekslookout.lambda;

import io.ekslookout.run.ScheduledRun;
import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ekslookout.aws.AwsClients;
import io.ekslookout.testing.HttpSink;
import io.ekslookout.testing.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole scheduled path against moto: the handler reads its configuration, runs a rule through the real SDK
 * (StartQuery, GetQueryResults), turns rows into a finding and publishes it to SNS (read back from moto and from an
 * HTTPS subscriber standing in for AWS Chatbot).
 */
@ExtendWith(MotoServer.class)
class HandlerMotoTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String GROUP = "/aws/eks/prod/cluster";
    MotoServer.Instance moto;
    AwsClients clients;
    CloudWatchLogsClient logs;
    HttpSink chatbot;
    List<String> delivered;
    final List<String> logLines = new ArrayList<>();
    String topicArn;
    Path rulesDir;

    @BeforeEach
    void setUp(MotoServer.Instance moto, @TempDir Path tmp) throws IOException {
        this.moto = moto;
        moto.reset();
        clients = moto.clients();
        logs = clients.logs();
        topicArn = clients.sns().createTopic(b -> b.name("alerts")).topicArn();
        chatbot = new HttpSink();
        delivered = chatbot.delivered();
        clients.sns().subscribe(b -> b.topicArn(topicArn).protocol("https").endpoint(chatbot.url("/")));
        rulesDir = MotoServer.writeWireRule(tmp);
    }

    @AfterEach
    void tearDown() {
        chatbot.close();
    }

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("CLUSTER_NAME", "prod");
        env.put("TOPIC_ARN", topicArn);
        env.put("RULES_DIR", rulesDir.toString());
        env.put("AWS_REGION", "us-east-1");
        return env;
    }

    void putAuditEvents(Instant... times) {
        logs.createLogStream(b -> b.logGroupName(GROUP).logStreamName("kube-apiserver-audit-9f8e"));
        List<InputLogEvent> events = new ArrayList<>();
        for (Instant t : times) {
            events.add(InputLogEvent.builder().timestamp(t.toEpochMilli())
                    .message("{\"kind\":\"Event\",\"verb\":\"patch\",\"user\":{\"username\":\"<!channel>\"}}").build());
        }
        logs.putLogEvents(b -> b.logGroupName(GROUP).logStreamName("kube-apiserver-audit-9f8e").logEvents(events));
    }

    JsonNode invoke(Handler h, Instant time) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.handleRequest(new ByteArrayInputStream(("{\"version\":\"0\",\"detail-type\":\"Scheduled Event\","
                + "\"source\":\"aws.events\",\"time\":\"" + time + "\",\"detail\":{}}").getBytes(StandardCharsets.UTF_8)),
                out, new FakeContext(60_000));
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void aScheduledRunQueriesInsightsAndPublishesTheFindingToSns() throws IOException {
        logs.createLogGroup(b -> b.logGroupName(GROUP));
        Instant scheduled = Instant.now().minus(Duration.ofMinutes(10));
        Instant tick = Instant.ofEpochMilli(scheduled.toEpochMilli() / 300_000 * 300_000).minus(Duration.ofMinutes(2));
        putAuditEvents(tick.minus(Duration.ofHours(2)), tick.minus(Duration.ofMinutes(4)),
                tick.minus(Duration.ofMinutes(3)));

        JsonNode r = invoke(new Handler(env(), clients, logLines::add), scheduled);

        assertThat(r.get("tick").asText()).isEqualTo(tick.toString());
        assertThat(r.get("rulesRun").asInt()).isEqualTo(1);
        assertThat(r.get("ruleErrors").asInt()).isZero();
        assertThat(r.get("findings").asInt()).isEqualTo(1);
        assertThat(r.get("published").asInt()).isEqualTo(1);
        assertThat(r.get("health").asText()).isEqualTo("OK");

        JsonNode line = JSON.readTree(logLines.get(logLines.size() - 1));
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("EksLookout");
        assertThat(line.get("Findings").asInt()).isEqualTo(1);
        // the Lambda runs planned by default; the wire rule has no filter to plan, so it is its own one query
        assertThat(line.at("/scan/planned").asBoolean()).isTrue();
        assertThat(line.at("/scan/queries").asInt()).isEqualTo(1);
        assertThat(line.get("ScanPassesOneQueryPerRule").asInt()).isEqualTo(1);

        JsonNode sent = moto.sentNotifications(topicArn);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).get(2).asText()).isEqualTo("[HIGH] Audit event seen on prod");
        JsonNode message = JSON.readTree(sent.get(0).get(1).asText());
        // the two events in the window (moto applies the seconds range; the 2-hour-old one is outside it)
        assertThat(message.get("email").asText()).contains("Events:   2 matching events")
                .contains("kube-apiserver-audit-9f8e").doesNotContain("<!channel>");
        assertThat(sent.get(0).get(3).at("/ruleId/Value").asText()).isEqualTo("audit-event-seen");
        assertThat(delivered).hasSize(1);
        JsonNode custom = JSON.readTree(JSON.readTree(delivered.get(0)).get("Message").asText());
        assertThat(custom.get("source").asText()).isEqualTo("custom");
        assertThat(custom.at("/metadata/threadId").asText()).isEqualTo("eks-lookout/prod/audit-event-seen");
    }

    void putAuditEvents(String group, int n, Instant at) {
        logs.createLogStream(b -> b.logGroupName(group).logStreamName("kube-apiserver-audit-1"));
        List<InputLogEvent> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(InputLogEvent.builder().timestamp(at.toEpochMilli() + i)
                    .message("{\"kind\":\"Event\",\"verb\":\"get\",\"user\":{\"username\":\"u\"}}").build());
        }
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName("kube-apiserver-audit-1").logEvents(events));
    }

    @Test
    void oneRunOverSeveralClustersPublishesEachFindingTaggedWithItsClusterAndNamesAMissingOne() throws IOException {
        Instant scheduled = Instant.now().minus(Duration.ofMinutes(10));
        Instant tick = Instant.ofEpochMilli(scheduled.toEpochMilli() / 300_000 * 300_000).minus(Duration.ofMinutes(2));
        for (String c : List.of("a", "b")) {
            logs.createLogGroup(b -> b.logGroupName("/aws/eks/" + c + "/cluster"));
        }
        putAuditEvents("/aws/eks/a/cluster", 2, tick.minus(Duration.ofMinutes(4)));
        putAuditEvents("/aws/eks/b/cluster", 3, tick.minus(Duration.ofMinutes(3)));
        Map<String, String> env = env();
        env.remove("CLUSTER_NAME");
        env.put("CLUSTERS", "a,b,gone"); // gone: no log group (control-plane logging off)

        JsonNode r = invoke(new Handler(env, clients, logLines::add), scheduled);

        assertThat(r.get("findings").asInt()).isEqualTo(2);
        assertThat(r.get("published").asInt()).isEqualTo(3); // a's, b's and the health message naming gone
        assertThat(r.get("ruleErrors").asInt()).isZero();
        JsonNode line = JSON.readTree(logLines.get(logLines.size() - 1));
        assertThat(line.get("Cluster").asText()).isEqualTo("a-and-2-more");
        assertThat(line.get("clusterHealth")).isEqualTo(JSON.readTree(
                "{\"a\":\"OK\",\"b\":\"OK\",\"gone\":\"LOG_GROUP_MISSING\"}"));
        assertThat(line.get("findingsByCluster")).isEqualTo(JSON.readTree("{\"a\":1,\"b\":1}"));

        JsonNode sent = moto.sentNotifications(topicArn);
        Map<String, JsonNode> byCluster = new HashMap<>();
        String health = null;
        for (JsonNode n : sent) {
            String cluster = n.get(3).at("/cluster/Value").asText();
            if (n.get(3).at("/kind/Value").asText().equals("health")) {
                health = JSON.readTree(n.get(1).asText()).get("email").asText();
                continue;
            }
            byCluster.put(cluster, n);
        }
        assertThat(byCluster).containsOnlyKeys("a", "b");
        assertThat(byCluster.get("a").get(2).asText()).isEqualTo("[HIGH] Audit event seen on a");
        assertThat(JSON.readTree(byCluster.get("a").get(1).asText()).get("email").asText())
                .contains("Events:   2 matching events").contains("Cluster:  a\n");
        assertThat(byCluster.get("b").get(2).asText()).isEqualTo("[HIGH] Audit event seen on b");
        assertThat(JSON.readTree(byCluster.get("b").get(1).asText()).get("email").asText())
                .contains("Events:   3 matching events").contains("Cluster:  b\n");
        assertThat(health).contains("control-plane logging is not enabled for cluster gone");
    }

    @Test
    void withSecurityHubAndAnEventBusTheRunAlsoImportsAndSendsTheFinding() throws IOException {
        logs.createLogGroup(b -> b.logGroupName(GROUP));
        Instant scheduled = Instant.now().minus(Duration.ofMinutes(10));
        Instant tick = Instant.ofEpochMilli(scheduled.toEpochMilli() / 300_000 * 300_000).minus(Duration.ofMinutes(2));
        putAuditEvents(tick.minus(Duration.ofMinutes(4)));
        io.ekslookout.aws.SignedJsonCall events = new io.ekslookout.aws.SignedJsonCall(clients, "events");
        assertThat(events.target("AWSEvents.CreateEventBus", "{\"Name\":\"sec\"}".getBytes()).status()).isEqualTo(200);
        Map<String, String> env = env();
        env.put("SECURITY_HUB", "true");
        env.put("EVENT_BUS", "sec");

        JsonNode r = invoke(new Handler(env, clients, logLines::add), scheduled);

        assertThat(r.get("findings").asInt()).isEqualTo(1);
        JsonNode line = JSON.readTree(logLines.get(logLines.size() - 1));
        assertThat(line.get("exportErrors")).isEmpty();
        assertThat(line.get("exported").get(0).asText()).startsWith("imported 1 finding(s) into Security Hub");
        assertThat(line.get("exported").get(1).asText()).isEqualTo("sent 1 event(s) to EventBridge bus sec");
        io.ekslookout.aws.SignedJsonCall.Response found = new io.ekslookout.aws.SignedJsonCall(clients, "securityhub")
                .post("/findings", "{}".getBytes(StandardCharsets.UTF_8));
        JsonNode findings = JSON.readTree(found.body()).get("Findings");
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).get("GeneratorId").asText()).isEqualTo("audit-event-seen");
        assertThat(findings.get(0).at("/Resources/0/Id").asText())
                .isEqualTo("arn:aws:eks:us-east-1:123456789012:cluster/prod");
    }

    @Test
    void anExportThatFailsFailsTheInvocationSoLambdaRetriesAndTheHealthMessageSaysSo() {
        logs.createLogGroup(b -> b.logGroupName(GROUP));
        Instant scheduled = Instant.now().minus(Duration.ofMinutes(10));
        Instant tick = Instant.ofEpochMilli(scheduled.toEpochMilli() / 300_000 * 300_000).minus(Duration.ofMinutes(2));
        putAuditEvents(tick.minus(Duration.ofMinutes(4)));
        Map<String, String> env = env();
        env.put("EVENT_BUS", "no-such-bus");
        Handler h = new Handler(env, clients, logLines::add);
        assertThatThrownBy(() -> invoke(h, scheduled)).isInstanceOf(ScheduledRun.PublishFailed.class)
                .hasMessageContaining("could not be exported for prod").hasMessageContaining("EventBridge");
        assertThat(delivered).anySatisfy(d -> assertThat(d).contains("HEALTH").contains("not exported"));
    }

    @Test
    void aMissingLogGroupFailsTheInvocationWithOneClearMessageAndOneHealthNotification() {
        Handler h = new Handler(env(), clients, logLines::add);
        assertThatThrownBy(() -> invoke(h, Instant.now())).isInstanceOf(ScheduledRun.NoRuleRan.class)
                .hasMessageContaining("control-plane logging is not enabled for cluster prod (log group "
                        + "/aws/eks/prod/cluster not found)");
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0)).contains("HEALTH");
    }

    @Test
    void aBadConfigurationIsLoggedAtColdStartAndFailsEachInvocationClearly() {
        Map<String, String> env = env();
        env.remove("TOPIC_ARN");
        env.put("PERIOD", "7m");
        Handler h = new Handler(env, clients, logLines::add);
        assertThat(logLines).singleElement().asString().contains("eks-lookout cannot start")
                .contains("TOPIC_ARN: required").contains("PERIOD: expected whole minutes that divide a day")
                .contains("got '7m'");
        assertThatThrownBy(() -> invoke(h, Instant.now())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TOPIC_ARN: required");
    }

    @Test
    void badRulesAreReportedWithTheirLocation() throws IOException {
        Files.writeString(rulesDir.resolve("broken.yaml"), "id: broken\ntitle: x\nseverity: urgent\nquery: fields a\n");
        Handler h = new Handler(env(), clients, logLines::add);
        assertThat(logLines).singleElement().asString().contains("the rules are invalid").contains("broken.yaml:");
    }

    @Test
    void anEventWithoutAReadableTimeIsLoggedBeforeTheInvocationFails() {
        logs.createLogGroup(b -> b.logGroupName(GROUP));
        Handler h = new Handler(env(), clients, logLines::add);
        assertThatThrownBy(() -> h.handleRequest(new ByteArrayInputStream("{\"time\":\"yesterday\"}"
                .getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), new FakeContext(60_000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ISO-8601 'time'");
        assertThat(logLines).singleElement().asString().contains("eks-lookout run not started")
                .contains("yesterday");
    }

    /** The few Context methods the handler uses. */
    record FakeContext(int remainingMillis) implements Context {
        public String getAwsRequestId() { return "req-1"; }
        public String getLogGroupName() { return "/aws/lambda/eks-lookout"; }
        public String getLogStreamName() { return "stream"; }
        public String getFunctionName() { return "eks-lookout"; }
        public String getFunctionVersion() { return "$LATEST"; }
        public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:123456789012:function:eks-lookout"; }
        public CognitoIdentity getIdentity() { return null; }
        public ClientContext getClientContext() { return null; }
        public int getRemainingTimeInMillis() { return remainingMillis; }
        public int getMemoryLimitInMB() { return 512; }
        public LambdaLogger getLogger() { return null; }
    }
}
