package io.ekslookout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.ekslookout.aws.AwsClients;
import io.ekslookout.testing.CliRun;
import io.ekslookout.testing.MotoCredentials;
import io.ekslookout.testing.MotoServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code scan --cluster ... --endpoint-url ... --publish ...} against moto, with the default credential chain. */
@ExtendWith({MotoServer.class, MotoCredentials.class})
class ScanCloudMotoTest {
    MotoServer.Instance moto;
    AwsClients clients;
    Path rulesDir;
    String topicArn;

    @BeforeEach
    void setUp(MotoServer.Instance moto, @TempDir Path tmp) throws IOException {
        this.moto = moto;
        moto.reset();
        clients = moto.clients();
        rulesDir = MotoServer.writeWireRule(tmp);
        topicArn = clients.sns().createTopic(b -> b.name("cli")).topicArn();
    }

    static CliRun scan(String... args) {
        return CliRun.of(args);
    }

    @Test
    void scanAClusterWithLogsInsightsAndPublishTheFindings() {
        CloudWatchLogsClient logs = clients.logs();
        logs.createLogGroup(b -> b.logGroupName("/aws/eks/prod/cluster"));
        logs.createLogStream(b -> b.logGroupName("/aws/eks/prod/cluster").logStreamName("kube-apiserver-audit-1"));
        Instant t = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));
        logs.putLogEvents(b -> b.logGroupName("/aws/eks/prod/cluster").logStreamName("kube-apiserver-audit-1")
                .logEvents(List.of(InputLogEvent.builder().timestamp(t.toEpochMilli()).message("{\"verb\":\"get\"}").build(),
                        InputLogEvent.builder().timestamp(t.plusSeconds(60).toEpochMilli()).message("{\"verb\":\"patch\"}").build())));

        CliRun r = scan("scan", "--cluster", "prod", "--region", "us-east-1", "--endpoint-url", moto.endpoint.toString(),
                "--rules", rulesDir.toString(), "--since", "2h", "--publish", topicArn);

        assertThat(r.err()).contains("Logs Insights: 1 queries").contains("published 1 message(s) to " + topicArn);
        assertThat(r.out()).contains("audit-event-seen");
        assertThat(r.code()).isEqualTo(1); // a high finding reaches the default --fail-on low
        JsonNode sent = moto.sentNotifications(topicArn);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).get(2).asText()).isEqualTo("[HIGH] Audit event seen on prod");
    }

    @Test
    void localLogsCanBePublishedExactlyAsTheLambdaWould() {
        Path samples = Path.of(System.getProperty("repo.root"), "samples");
        CliRun r = scan("scan", "--logs", samples.toString(), "--region", "us-east-1", "--endpoint-url",
                moto.endpoint.toString(), "--publish", topicArn, "--format", "json");
        assertThat(r.err()).contains("published").contains("message(s) to " + topicArn);
        JsonNode sent = moto.sentNotifications(topicArn);
        assertThat(sent).isNotEmpty();
        assertThat(sent.get(0).get(2).asText()).contains(" on local");
        assertThat(sent.get(0).get(3).at("/cluster/Value").asText()).isEqualTo("local");
    }

    @Test
    void aMissingLogGroupIsOneClearRuleError() {
        CliRun r = scan("scan", "--cluster", "ghost", "--region", "us-east-1", "--endpoint-url", moto.endpoint.toString(),
                "--rules", rulesDir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out() + r.err()).contains("control-plane logging is not enabled for cluster ghost");
    }

    @Test
    void conflictingSourcesAreRejected() {
        CliRun r = scan("scan", "--cluster", "prod", "--logs", "samples/", "--rules", rulesDir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("give --logs or --cluster/--log-group, not both");
    }
}
