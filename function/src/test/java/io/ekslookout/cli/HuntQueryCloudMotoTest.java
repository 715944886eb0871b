package io.ekslookout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ekslookout.testing.CliRun;
import io.ekslookout.testing.MotoCredentials;
import io.ekslookout.testing.MotoServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code query} and {@code hunt} with {@code --cluster}/{@code --log-group} run on Logs Insights (here moto, which
 * ignores filters but honours fields, sort, limit and the time range).
 */
@ExtendWith({MotoServer.class, MotoCredentials.class})
class HuntQueryCloudMotoTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String GROUP = "/aws/eks/a/cluster";
    MotoServer.Instance moto;
    Instant t0;

    @BeforeEach
    void setUp(MotoServer.Instance moto) {
        this.moto = moto;
        moto.reset();
        CloudWatchLogsClient logs = moto.clients().logs();
        logs.createLogGroup(b -> b.logGroupName(GROUP));
        logs.createLogStream(b -> b.logGroupName(GROUP).logStreamName("kube-apiserver-audit-1"));
        t0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(90, ChronoUnit.MINUTES);
        List<InputLogEvent> events = new ArrayList<>();
        for (int i = 0; i < 8; i++) { // one a minute: 0..7; the window below takes minutes 1..6
            String user = i % 2 == 0 ? "alice" : "bob";
            events.add(InputLogEvent.builder().timestamp(t0.plusSeconds(60L * i).toEpochMilli())
                    .message("{\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"n\":" + i
                            + ",\"user\":{\"username\":\"" + user + "\"}}").build());
        }
        logs.putLogEvents(b -> b.logGroupName(GROUP).logStreamName("kube-apiserver-audit-1").logEvents(events));
    }

    static CliRun run(String... args) {
        return CliRun.of(args);
    }

    String[] cloud(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--region", "us-east-1", "--endpoint-url", moto.endpoint.toString()));
        return all.toArray(String[]::new);
    }

    List<JsonNode> rows(String out) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    @Test
    void queryReturnsTheRowsOfLogsInsightsInsideTheWindow() throws Exception {
        CliRun r = run(cloud("query", "--cluster", "a", "--since", t0.plusSeconds(60).toString(),
                "--until", t0.plusSeconds(7 * 60).toString(), "fields @timestamp, @message | sort @timestamp asc | limit 5",
                "--format", "json"));
        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> rows = rows(r.out());
        assertThat(rows).hasSize(5); // minutes 1..6 are in the window; limit 5
        for (int i = 0; i < 5; i++) {
            assertThat(JSON.readTree(rows.get(i).get("@message").asText()).get("n").asInt()).isEqualTo(i + 1);
        }
        assertThat(r.err()).contains("5 rows; Logs Insights: 1 queries");
    }

    @Test
    void queryOnALogGroupPrintsCsv() {
        CliRun r = run(cloud("query", "--log-group", GROUP, "--since", t0.toString(), "--until",
                t0.plusSeconds(90).toString(), "fields @message | sort @timestamp asc", "--format", "csv"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).hasSize(3).first().isEqualTo("@message");
    }

    @Test
    void withoutSinceACloudQueryCoversTheLastHour() throws Exception {
        // the events are 83..90 minutes old: outside the default hour
        CliRun r = run(cloud("query", "--cluster", "a", "fields @message", "--format", "json"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(rows(r.out())).isEmpty();
        CliRun wider = run(cloud("query", "--cluster", "a", "--since", "2h", "fields @message", "--format", "json"));
        assertThat(rows(wider.out())).hasSize(8);
    }

    @Test
    void huntRendersItsQueryAndRunsItOnLogsInsights() throws Exception {
        CliRun r = run(cloud("hunt", "requests-by-user", "--param", "username=alice", "--cluster", "a",
                "--since", t0.minusSeconds(60).toString(), "--until", t0.plusSeconds(600).toString(),
                "--format", "json"));
        assertThat(r.code()).as(r.err()).isZero();
        // moto ignores the filters: every event comes back, with the hunt's fields and newest first
        // moto ignores the filters and returns only @-fields: every event comes back, newest first
        List<JsonNode> rows = rows(r.out());
        assertThat(rows).hasSize(8);
        assertThat(rows.get(0).get("@timestamp").asLong()).isEqualTo(t0.plusSeconds(7 * 60).toEpochMilli());
        assertThat(rows.get(7).get("@timestamp").asLong()).isEqualTo(t0.toEpochMilli());
        assertThat(r.err()).contains("8 rows; Logs Insights: 1 queries");
        // what StartQuery received: the hunt's text with the parameter in place, the group and the window
        JsonNode queries = moto.data().at("/logs/LogQuery");
        assertThat(queries).hasSize(1);
        JsonNode q = queries.get(0);
        // the exact [--since, --until) range first (StartQuery's seconds include the end second)
        assertThat(q.get("query").asText()).startsWith("filter @timestamp >= " + t0.minusSeconds(60).toEpochMilli()
                        + " and @timestamp < " + t0.plusSeconds(600).toEpochMilli() + "\n| filter @logStream like"
                        + " /^kube-apiserver-audit/")
                .contains("| filter user.username = \"alice\"\n").endsWith("| limit 1000\n");
        assertThat(q.get("log_group_names").toString()).isEqualTo("[\"" + GROUP + "\"]");
        assertThat(q.get("start_time").asLong()).isEqualTo(t0.minusSeconds(60).getEpochSecond());
        assertThat(q.get("end_time").asLong()).isEqualTo(t0.plusSeconds(600).getEpochSecond());
    }

    @Test
    void secretValuesInLogsInsightsRowsAreScrubbedAsLocally() {
        String value = "c3VwZXJzZWNyZXQtdmFsdWU="; // base64 of a made-up secret
        String msg = "{\"kind\":\"Event\",\"verb\":\"create\",\"objectRef\":{\"resource\":\"secrets\","
                + "\"namespace\":\"prod\",\"name\":\"db\"},\"requestObject\":{\"kind\":\"Secret\","
                + "\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"db\"},\"data\":{\"password\":\"" + value + "\"}}}";
        moto.clients().logs().putLogEvents(b -> b.logGroupName(GROUP).logStreamName("kube-apiserver-audit-1")
                .logEvents(InputLogEvent.builder().timestamp(t0.plusSeconds(30).toEpochMilli()).message(msg).build()));
        for (String format : List.of("json", "csv", "table")) {
            CliRun r = run(cloud("query", "--cluster", "a", "--since", "3h", "fields @message", "--format", format));
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).as(format).contains("db").doesNotContain(value);
        }
    }

    @Test
    void aMissingLogGroupIsOneErrorLineAndExit2() {
        for (String cmd : List.of("query", "hunt")) {
            List<String> args = new ArrayList<>(cmd.equals("query") ? List.of("query", "fields @message")
                    : List.of("hunt", "requests-by-user", "-p", "username=alice"));
            args.addAll(List.of("--cluster", "ghost"));
            CliRun r = run(cloud(args.toArray(String[]::new)));
            assertThat(r.code()).as(cmd).isEqualTo(2);
            assertThat(r.out()).as(cmd).isEmpty();
            assertThat(r.err().strip().lines()).as(cmd).hasSize(1)
                    .first().asString().startsWith("error: ").contains("ghost");
        }
    }

    @Test
    void logsAndClusterTogetherAreRejected() {
        CliRun q = run("query", "--logs", "samples/", "--cluster", "a", "fields @message");
        assertThat(q.code()).isEqualTo(2);
        assertThat(q.err()).isEqualTo("error: give --logs or --cluster/--log-group, not both" + System.lineSeparator());
        CliRun h = run("hunt", "requests-by-user", "-p", "username=alice", "--logs", "samples/", "--cluster", "a");
        assertThat(h.code()).isEqualTo(2);
        assertThat(h.err()).contains("give --logs or --cluster/--log-group, not both");
        CliRun none = run("hunt", "requests-by-user", "-p", "username=alice");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("give --logs PATH, --cluster NAME or --log-group NAME");
    }
}
