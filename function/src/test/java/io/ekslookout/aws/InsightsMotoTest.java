package io.ekslookout.aws;

import io.ekslookout.detect.QueryOutcome;
import io.ekslookout.detect.Batch;
import io.ekslookout.detect.TimeWindow;
import io.ekslookout.testing.MotoServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.StartQueryRequest;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The real SDK against a local moto server: the wire path of the Logs Insights back end. */
@ExtendWith(MotoServer.class)
class InsightsMotoTest {
    static final String GROUP = "/aws/eks/prod/cluster";
    final List<StartQueryRequest> sent = new ArrayList<>();
    MotoServer.Instance moto;
    CloudWatchLogsClient logs;
    Instant base;

    @BeforeEach
    void setUp(MotoServer.Instance moto) {
        this.moto = moto;
        moto.reset();
        ExecutionInterceptor record = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution c, ExecutionAttributes a) {
                if (c.request() instanceof StartQueryRequest r) {
                    sent.add(r);
                }
            }
        };
        logs = new AwsClients("us-east-1", moto.endpoint, ClientOverrideConfiguration.builder()
                .addExecutionInterceptor(record).build())
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .logs();
        base = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
    }

    void putEvents(String stream, Instant... times) {
        logs.createLogStream(b -> b.logGroupName(GROUP).logStreamName(stream));
        List<InputLogEvent> events = new ArrayList<>();
        for (int i = 0; i < times.length; i++) {
            events.add(InputLogEvent.builder().timestamp(times[i].toEpochMilli())
                    .message("{\"kind\":\"Event\",\"verb\":\"patch\",\"n\":" + i + "}").build());
        }
        logs.putLogEvents(b -> b.logGroupName(GROUP).logStreamName(stream).logEvents(events));
    }

    InsightsBackend backend() {
        InsightsBackend.Settings s = new InsightsBackend.Settings(10, 10_000, 50, 50, 200, 100, 1000, 16);
        return new InsightsBackend(new SdkInsightsApi(logs), LogTarget.forCluster("prod"), s, Ticker.SYSTEM);
    }

    @Test
    void startsQueriesWithTheWindowInSecondsAndTurnsPolledResultsIntoRows() {
        logs.createLogGroup(b -> b.logGroupName(GROUP));
        Instant w0 = base.plusSeconds(600);
        Instant w1 = base.plusSeconds(900);
        putEvents("kube-apiserver-audit-0a1b", base.plusSeconds(300), w0.plusMillis(250), base.plusSeconds(700),
                base.plusSeconds(899), base.plusSeconds(1200));
        TimeWindow ing = new TimeWindow(w0, w1);
        // one batch per window: the two queries of the former single call
        List<QueryOutcome> out = List.of(backend().run(Batch.of(List.of(new Batch.Entry("patches",
                        io.ekslookout.query.Query.parse("fields @timestamp, @message, @logStream | sort @timestamp asc"))),
                        new TimeWindow(w0.plusMillis(250), w1), null)).outcomes().get(0),
                backend().run(Batch.of(List.of(new Batch.Entry("scheduled",
                        io.ekslookout.query.Query.parse("fields @timestamp, @message | limit 2"))), new TimeWindow(w0, w1), ing))
                        .outcomes().get(0));

        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).startTime()).isEqualTo(w0.getEpochSecond());
        assertThat(sent.get(0).endTime()).isEqualTo(w1.getEpochSecond());
        assertThat(sent.get(0).logGroupName()).isEqualTo(GROUP);
        assertThat(sent.get(0).limit()).isEqualTo(10_000);
        assertThat(sent.get(1).queryString()).isEqualTo("filter @ingestionTime >= " + w0.toEpochMilli()
                + " and @ingestionTime < " + w1.toEpochMilli() + "\n| fields @timestamp, @message | limit 2");

        QueryOutcome patches = out.get(0);
        assertThat(patches.error()).isNull();
        // moto applies the seconds range: only the three events inside [w0, w1] come back, oldest first
        assertThat(patches.result().rows()).extracting(r -> r.get("@message")).containsExactly(
                "{\"kind\":\"Event\",\"verb\":\"patch\",\"n\":1}", "{\"kind\":\"Event\",\"verb\":\"patch\",\"n\":2}",
                "{\"kind\":\"Event\",\"verb\":\"patch\",\"n\":3}");
        assertThat(patches.result().rows().get(0).get("@logStream")).isEqualTo("kube-apiserver-audit-0a1b");
        assertThat(patches.result().columns()).contains("@timestamp", "@message", "@logStream");
        assertThat(out.get(1).result().rows()).hasSize(2);
    }

    @Test
    void aMissingLogGroupIsOneClearError() {
        List<QueryOutcome> out = backend().run(Batch.of(List.of(new Batch.Entry("a", io.ekslookout.query.Query.parse("fields @message")),
                new Batch.Entry("b", io.ekslookout.query.Query.parse("fields @message"))), new TimeWindow(base, base.plusSeconds(300)), null))
                .outcomes();
        assertThat(sent).hasSize(1);
        assertThat(out).allSatisfy(o -> assertThat(o.error()).startsWith(
                "control-plane logging is not enabled for cluster prod (log group /aws/eks/prod/cluster not found)"));
    }

    @Test
    void auditHealthSeesMissingGroupsMissingAuditStreamsAndRecentEvents() {
        AuditHealth health = new AuditHealth(logs);
        LogTarget prod = LogTarget.forCluster("prod");
        assertThat(health.check(prod, Instant.now(), Duration.ofHours(3)).status())
                .isEqualTo(AuditHealth.Status.LOG_GROUP_MISSING);
        logs.createLogGroup(b -> b.logGroupName(GROUP));
        putEvents("authenticator-77", Instant.now().minusSeconds(60));
        AuditHealth.Result none = health.check(prod, Instant.now(), Duration.ofHours(3));
        assertThat(none.status()).isEqualTo(AuditHealth.Status.NO_RECENT_AUDIT_EVENTS);
        assertThat(none.message()).contains("audit logging is not enabled for prod");
        putEvents("kube-apiserver-audit-1", Instant.now().minusSeconds(60));
        assertThat(health.check(prod, Instant.now(), Duration.ofHours(3)).status()).isEqualTo(AuditHealth.Status.OK);
        // seen from six hours later, the same stream is silent
        AuditHealth.Result silent = health.check(prod, Instant.now().plus(Duration.ofHours(6)), Duration.ofHours(3));
        assertThat(silent.status()).isEqualTo(AuditHealth.Status.NO_RECENT_AUDIT_EVENTS);
        assertThat(silent.message()).contains("was audit logging switched off for prod?");
    }

    @Test
    void auditHealthPerClusterNamesTheOneSilentClusterWhileTheOthersAreFine() {
        AuditHealth health = new AuditHealth(logs);
        for (String c : List.of("a", "b", "c")) {
            String group = "/aws/eks/" + c + "/cluster";
            // b's audit logging is off: only its authenticator stream receives events
            String stream = c.equals("b") ? "authenticator-1" : "kube-apiserver-audit-1";
            logs.createLogGroup(r -> r.logGroupName(group));
            logs.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
            logs.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(
                    software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent.builder()
                            .timestamp(Instant.now().minusSeconds(60).toEpochMilli()).message("{}").build()));
        }
        List<LogTarget> targets = List.of(LogTarget.forCluster("a"), LogTarget.forCluster("b"),
                LogTarget.forCluster("c"));
        AuditHealth.Result r = health.checkAll(targets, Instant.now(), Duration.ofHours(3));
        assertThat(r.status()).isEqualTo(AuditHealth.Status.NO_RECENT_AUDIT_EVENTS);
        assertThat(r.clusters()).containsExactly(java.util.Map.entry("a", AuditHealth.Status.OK),
                java.util.Map.entry("b", AuditHealth.Status.NO_RECENT_AUDIT_EVENTS),
                java.util.Map.entry("c", AuditHealth.Status.OK));
        assertThat(r.message()).isEqualTo("no kube-apiserver-audit log stream in /aws/eks/b/cluster: audit logging is"
                + " not enabled for b, so audit rules cannot fire");
        assertThat(r.missing()).isEmpty();
        // all fine: OK, each cluster OK
        assertThat(health.checkAll(List.of(targets.get(0), targets.get(2)), Instant.now(), Duration.ofHours(3))
                .status()).isEqualTo(AuditHealth.Status.OK);
    }

    @Test
    void auditHealthOfSeveralClustersLeavesOutAMissingGroupAndIsMissingOnlyWhenAllAre() {
        AuditHealth health = new AuditHealth(logs);
        List<LogTarget> targets = List.of(LogTarget.forCluster("prod"), LogTarget.forCluster("gone"));
        AuditHealth.Result none = health.checkAll(targets, Instant.now(), Duration.ofHours(3));
        assertThat(none.status()).isEqualTo(AuditHealth.Status.LOG_GROUP_MISSING);
        assertThat(none.missing()).containsExactly("prod", "gone");
        logs.createLogGroup(b -> b.logGroupName(GROUP));
        putEvents("kube-apiserver-audit-1", Instant.now().minusSeconds(60));
        AuditHealth.Result one = health.checkAll(targets, Instant.now(), Duration.ofHours(3));
        assertThat(one.status()).isEqualTo(AuditHealth.Status.NO_RECENT_AUDIT_EVENTS);
        assertThat(one.missing()).containsExactly("gone");
        assertThat(one.clusters()).containsEntry("prod", AuditHealth.Status.OK);
        assertThat(one.message()).startsWith("control-plane logging is not enabled for cluster gone")
                .doesNotContain("cluster prod");
    }
}
