package io.ekslookout.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ekslookout.aws.AuditHealth;
import io.ekslookout.schedule.WindowPlanner;
import io.ekslookout.detect.Finding;
import io.ekslookout.detect.TimeWindow;
import io.ekslookout.notify.MessageBuilder;
import io.ekslookout.notify.Notification;
import io.ekslookout.notify.Notifier;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduledRunTest {
    static final ObjectMapper JSON = new ObjectMapper();
    final List<Notification> sent = new ArrayList<>();
    final List<String> logs = new ArrayList<>();
    final List<TimeWindow[]> asked = new ArrayList<>();
    WindowPlanner planner = new WindowPlanner(Duration.ofMinutes(5), Duration.ofMinutes(2),
            Duration.ofMinutes(15));
    AuditHealth.Result health = new AuditHealth.Result(AuditHealth.Status.OK, null, Instant.EPOCH);

    ScheduledRun run(ScheduledRun.Detection d) {
        Notifier notifier = new Notifier(new MessageBuilder(new MessageBuilder.Context("prod",
                "/aws/eks/prod/cluster", "eu-west-1")), n -> { sent.add(n); return "m"; }, 10);
        return new ScheduledRun("prod", planner, "medium", notifier, Map.of(), (range, ing, deadline) -> {
            asked.add(new TimeWindow[]{range, ing});
            return d;
        }, now -> health, logs::add, Clock.fixed(Instant.parse("2026-11-20T10:05:03Z"), ZoneOffset.UTC));
    }

    static Finding finding(String rule, String sev) {
        return new Finding(rule, sev, "T " + rule, Instant.EPOCH, Instant.EPOCH, null, 1, List.of(), 0);
    }

    @Test
    void runsTheRulesOverThePlannedWindowsPublishesAndLogsOneEmfLine() throws Exception {
        ScheduledRun.Summary s = run(new ScheduledRun.Detection(List.of(finding("a", "high"), finding("b", "low")),
                Map.of("c", "boom"), 3, 123456, 789, List.of(), Map.of("a", new io.ekslookout.detect.QueryStats(789,
                123456, 2, Duration.ofMillis(2500))))).run(Instant.parse("2026-11-20T10:05:00Z"), null);
        assertThat(asked.get(0)[1]).isEqualTo(new TimeWindow(Instant.parse("2026-11-20T09:58:00Z"),
                Instant.parse("2026-11-20T10:03:00Z")));
        assertThat(asked.get(0)[0].start()).isEqualTo(Instant.parse("2026-11-20T09:43:00Z"));
        assertThat(s.findings()).isEqualTo(1);
        assertThat(s.findingsBelowMinSeverity()).isEqualTo(1);
        assertThat(sent).extracting(Notification::kind).containsExactly("finding", "health");
        assertThat(logs).hasSize(1);
        JsonNode line = JSON.readTree(logs.get(0));
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("EksLookout");
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Dimensions/0/0").asText()).isEqualTo("Cluster");
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Metrics").toString()).contains("Findings", "RuleErrors",
                "BytesScanned");
        assertThat(line.get("Cluster").asText()).isEqualTo("prod");
        assertThat(line.get("Findings").asInt()).isEqualTo(1);
        assertThat(line.get("RuleErrors").asInt()).isEqualTo(1);
        assertThat(line.get("BytesScanned").asLong()).isEqualTo(123456);
        assertThat(line.get("rulesRun").asInt()).isEqualTo(3);
        assertThat(line.at("/errors/c").asText()).isEqualTo("boom");
        assertThat(line.at("/perRule/a/bytesScanned").asLong()).isEqualTo(123456);
        assertThat(line.at("/perRule/a/durationMs").asLong()).isEqualTo(2500);
    }

    @Test
    void theRunLogAndEmfReportPassesOverTheWindowAgainstOneQueryPerRule() throws Exception {
        // planned: 17 rules, 1 prefilter split once (3 StartQuery calls, 2 passes of 5 MB), 88 events returned
        ScanCost cost = new ScanCost(true, 17, 1, 3, 10_000_000, 25_000, 5_000_000, 88, 110_000);
        run(new ScheduledRun.Detection(List.of(), Map.of(), 17, cost.bytesScanned(), cost.recordsScanned(),
                List.of(), Map.of(), cost)).run(Instant.parse("2026-11-20T10:05:00Z"), null);
        JsonNode line = JSON.readTree(logs.get(0));
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Metrics").toString()).contains("ScanPasses",
                "ScanPassesOneQueryPerRule");
        assertThat(line.get("BytesScanned").asLong()).isEqualTo(10_000_000);
        assertThat(line.get("ScanPasses").asDouble()).isEqualTo(2.0);
        assertThat(line.get("ScanPassesOneQueryPerRule").asInt()).isEqualTo(17);
        assertThat(line.at("/scan/planned").asBoolean()).isTrue();
        assertThat(line.at("/scan/multiplierVsOneQueryPerRule").asDouble()).isEqualTo(8.5);
        assertThat(line.at("/scan/eventsReturned").asLong()).isEqualTo(88);
        // ingestion mode: each byte is in (5m + 15m) / 5m = 4 runs' ranges, so 2 passes a run scan it 8 times
        assertThat(line.at("/_aws/CloudWatchMetrics/0/Metrics").toString()).contains("ScanMultiplier");
        assertThat(line.get("scanMode").asText()).isEqualTo("ingestion");
        assertThat(line.at("/scan/mode").asText()).isEqualTo("ingestion");
        assertThat(line.at("/scan/runsPerByte").asDouble()).isEqualTo(4.0);
        assertThat(line.get("ScanMultiplier").asDouble()).isEqualTo(8.0);
        assertThat(line.at("/scan/scanMultiplierOneQueryPerRule").asDouble()).isEqualTo(68.0);
        // without billed bytes (moto reports none) the passes are the queries the run needed
        assertThat(new ScanCost(false, 17, 17, 17, 0, 0, 0, 0, 0).passes()).isEqualTo(17.0);
        assertThat(new ScanCost(false, 17, 17, 17, 0, 0, 0, 0, 0).multiplier()).isEqualTo(1.0);
    }

    @Test
    void anEventTimeRunScansItsDelayedEventTimeWindowOnceWithoutIngestionFilterAndSaysSo() throws Exception {
        planner = new WindowPlanner(io.ekslookout.schedule.ScanMode.EVENT_TIME, Duration.ofMinutes(5),
                Duration.ofMinutes(2), Duration.ofMinutes(15), Duration.ofMinutes(10));
        ScanCost cost = new ScanCost(true, 17, 1, 1, 5_000_000, 25_000, 5_000_000, 88, 110_000);
        ScheduledRun.Summary s = run(new ScheduledRun.Detection(List.of(), Map.of(), 17, cost.bytesScanned(),
                cost.recordsScanned(), List.of(), Map.of(), cost)).run(Instant.parse("2026-11-20T10:05:00Z"), null);
        assertThat(asked.get(0)[0]).isEqualTo(new TimeWindow(Instant.parse("2026-11-20T09:48:00Z"),
                Instant.parse("2026-11-20T09:53:00Z")));
        assertThat(asked.get(0)[1]).isNull();
        assertThat(s.ingestion()).isNull();
        JsonNode line = JSON.readTree(logs.get(0));
        assertThat(line.get("scanMode").asText()).isEqualTo("event-time");
        assertThat(line.has("ingestionStart")).isFalse();
        assertThat(line.get("timeRangeStart").asText()).isEqualTo("2026-11-20T09:48:00Z");
        assertThat(line.get("timeRangeEnd").asText()).isEqualTo("2026-11-20T09:53:00Z");
        assertThat(line.at("/scan/runsPerByte").asDouble()).isEqualTo(1.0);
        assertThat(line.get("ScanMultiplier").asDouble()).isEqualTo(1.0);
        assertThat(line.at("/scan/scanMultiplierOneQueryPerRule").asDouble()).isEqualTo(17.0);
        com.fasterxml.jackson.databind.node.ObjectNode response = JSON.createObjectNode();
        s.putWindows(response); // what the handler's response holds of the windows
        assertThat(response.has("ingestionStart")).isFalse();
        assertThat(response.get("timeRangeStart").asText()).isEqualTo("2026-11-20T09:48:00Z");
    }

    @Test
    void aFailedPublishFailsTheInvocationSoLambdaRetriesTheTick() {
        Notifier failing = new Notifier(new MessageBuilder(new MessageBuilder.Context("prod", "/aws/eks/prod/cluster",
                "eu-west-1")), n -> { throw new IllegalStateException("SNS unavailable"); }, 10);
        ScheduledRun r = new ScheduledRun("prod", planner, "low", failing, Map.of(), (range, ing, deadline) ->
                new ScheduledRun.Detection(List.of(finding("a", "high")), Map.of(), 1, 0, 0, List.of()),
                now -> health, logs::add, Clock.fixed(Instant.parse("2026-11-20T10:05:03Z"), ZoneOffset.UTC));
        assertThatThrownBy(() -> r.run(Instant.parse("2026-11-20T10:05:00Z"), null))
                .isInstanceOf(ScheduledRun.PublishFailed.class).hasMessageContaining("SNS unavailable");
        assertThat(logs).singleElement().asString().contains("SNS unavailable");
    }

    @Test
    void failsOnlyWhenNoRuleCouldRun() {
        ScheduledRun r = run(new ScheduledRun.Detection(List.of(), Map.of("a", "x", "b", "y"), 2, 0, 0, List.of()));
        assertThatThrownBy(() -> r.run(Instant.parse("2026-11-20T10:05:00Z"), null))
                .isInstanceOf(ScheduledRun.NoRuleRan.class).hasMessageStartingWith("no rule could run for prod");
        assertThat(sent).extracting(Notification::kind).containsExactly("health");
        assertThat(logs).hasSize(1);
    }

    @Test
    void aMissingLogGroupSkipsTheQueriesSendsOneHealthMessageAndFails() {
        health = new AuditHealth.Result(AuditHealth.Status.LOG_GROUP_MISSING,
                "control-plane logging is not enabled for cluster prod", null);
        ScheduledRun r = run(new ScheduledRun.Detection(List.of(), Map.of(), 2, 0, 0, List.of()));
        assertThatThrownBy(() -> r.run(Instant.parse("2026-11-20T10:05:00Z"), null))
                .hasMessageContaining("control-plane logging is not enabled for cluster prod");
        assertThat(asked).isEmpty();
        assertThat(sent).singleElement().satisfies(n -> assertThat(n.text())
                .contains("control-plane logging is not enabled for cluster prod"));
    }

    @Test
    void auditSilenceIsNotifiedOncePerHourButLoggedEveryRun() {
        health = new AuditHealth.Result(AuditHealth.Status.NO_RECENT_AUDIT_EVENTS, "no audit events since x", null);
        ScheduledRun r = run(new ScheduledRun.Detection(List.of(), Map.of(), 2, 0, 0, List.of()));
        r.run(Instant.parse("2026-11-20T10:05:00Z"), null); // tick 10:03: first period of the hour
        r.run(Instant.parse("2026-11-20T10:10:00Z"), null); // tick 10:08
        assertThat(sent).hasSize(1);
        assertThat(logs).hasSize(2).allSatisfy(l -> assertThat(l).contains("no audit events since x"));
    }

    @Test
    void aPublisherFailingOnTheSecondOfFiveSendsTheOthersLogsTheFailureAndFailsTheInvocation() throws Exception {
        int[] calls = {0};
        Notifier flaky = new Notifier(new MessageBuilder(new MessageBuilder.Context("prod", "/aws/eks/prod/cluster",
                "eu-west-1")), n -> {
            if (++calls[0] == 2) {
                throw new IllegalStateException("Rate exceeded");
            }
            sent.add(n);
            return "m";
        }, 10);
        List<Finding> five = List.of(finding("a", "high"), finding("b", "high"), finding("c", "high"),
                finding("d", "high"), finding("e", "high"));
        ScheduledRun r = new ScheduledRun("prod", planner, "low", flaky, Map.of(), (range, ing, deadline) ->
                new ScheduledRun.Detection(five, Map.of(), 5, 0, 0, List.of()),
                now -> health, logs::add, Clock.fixed(Instant.parse("2026-11-20T10:05:03Z"), ZoneOffset.UTC));
        assertThatThrownBy(() -> r.run(Instant.parse("2026-11-20T10:05:00Z"), null))
                .isInstanceOf(ScheduledRun.PublishFailed.class)
                .hasMessage("1 notification(s) could not be published for prod: finding '[HIGH] T b on prod': "
                        + "Rate exceeded");
        assertThat(sent).extracting(Notification::subject).containsExactly("[HIGH] T a on prod", "[HIGH] T c on prod",
                "[HIGH] T d on prod", "[HIGH] T e on prod", "[HEALTH] eks-lookout: warnings on prod");
        JsonNode line = JSON.readTree(logs.get(0));
        assertThat(line.get("published").asInt()).isEqualTo(5);
        assertThat(line.get("publishFailures").asInt()).isEqualTo(1);
        assertThat(line.at("/publishErrors/0").asText()).isEqualTo("finding '[HIGH] T b on prod': Rate exceeded");
    }

    @Test
    void anExceptionFromDetectionStillLogsTheRunAndSendsAHealthMessageThenFails() throws Exception {
        for (Throwable thrown : List.<Throwable>of(new IllegalStateException("suppress regex blew up"),
                new StackOverflowError())) {
            sent.clear();
            logs.clear();
            ScheduledRun r = new ScheduledRun("prod", planner, "low", new Notifier(new MessageBuilder(
                    new MessageBuilder.Context("prod", "/aws/eks/prod/cluster", "eu-west-1")),
                    n -> { sent.add(n); return "m"; }, 10), Map.of("a", new io.ekslookout.notify.RuleInfo("a",
                    "A", "high", "", null, "fields a", List.of())), (range, ing, deadline) -> {
                        if (thrown instanceof Error e) {
                            throw e;
                        }
                        throw (RuntimeException) thrown;
                    }, now -> health, logs::add, Clock.fixed(Instant.parse("2026-11-20T10:05:03Z"), ZoneOffset.UTC));
            assertThatThrownBy(() -> r.run(Instant.parse("2026-11-20T10:05:00Z"), null)).isSameAs(thrown);
            assertThat(logs).hasSize(1);
            JsonNode line = JSON.readTree(logs.get(0));
            assertThat(line.get("message").asText()).isEqualTo("eks-lookout run");
            assertThat(line.get("error").asText()).isEqualTo(thrown.getClass().getName() + ": "
                    + (thrown.getMessage() == null ? thrown.getClass().getSimpleName() : thrown.getMessage()));
            assertThat(line.get("RuleErrors").asInt()).isEqualTo(1);
            assertThat(line.get("tick").asText()).isEqualTo("2026-11-20T10:03:00Z");
            assertThat(sent).singleElement().satisfies(n -> {
                assertThat(n.kind()).isEqualTo("health");
                assertThat(n.subject()).isEqualTo("[HEALTH] eks-lookout: 1 of 1 rules failed on prod");
                assertThat(n.text()).contains("(run): the run failed before its findings could be known")
                        .contains(thrown.getClass().getSimpleName());
            });
        }
    }
}
