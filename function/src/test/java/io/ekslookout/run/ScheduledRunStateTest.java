package io.ekslookout.run;

import io.ekslookout.aws.AuditHealth;
import io.ekslookout.schedule.WindowPlanner;
import io.ekslookout.detect.Finding;
import io.ekslookout.notify.MessageBuilder;
import io.ekslookout.notify.Notification;
import io.ekslookout.notify.Notifier;
import io.ekslookout.state.AlertState;
import io.ekslookout.state.FileStateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scheduled run with alert state: repeats are quiet, a retried tick after a partial publish sends nothing twice. */
class ScheduledRunStateTest {
    static final Instant TICK = Instant.parse("2026-11-20T10:05:00Z");
    final WindowPlanner planner = new WindowPlanner(Duration.ofMinutes(5), Duration.ofMinutes(2),
            Duration.ofMinutes(15));
    final List<Notification> sent = new ArrayList<>();
    final List<List<Finding>> hub = new ArrayList<>();
    final List<List<Finding>> bus = new ArrayList<>();
    @TempDir
    Path dir;

    ScheduledRun run(Instant tick, List<Finding> findings, Map<String, String> errors, Predicate<Notification> fails) {
        Notifier notifier = new Notifier(new MessageBuilder(new MessageBuilder.Context("prod",
                "/aws/eks/prod/cluster", "eu-west-1")), n -> {
            if (fails.test(n)) {
                throw new IllegalStateException("SNS unavailable");
            }
            sent.add(n);
            return "m";
        }, 10);
        ScheduledRun.Exporter exporter = (all, due, rules) -> {
            hub.add(all);
            bus.add(due);
            return io.ekslookout.run.CloudExport.Report.NONE;
        };
        return new ScheduledRun("prod", planner, "low", notifier, Map.of(), (range, ing, deadline) ->
                new ScheduledRun.Detection(findings, errors, 3, 0, 0, List.of()),
                now -> new AuditHealth.Result(AuditHealth.Status.OK, null, Instant.EPOCH), s -> { },
                Clock.fixed(tick.plusSeconds(3), ZoneOffset.UTC), exporter)
                .withState(new AlertState(FileStateStore.open(dir.resolve("state.json"))));
    }

    static Finding finding(String rule, String user) {
        return new Finding(rule, "high", "T " + rule, Instant.EPOCH, Instant.EPOCH, user, 1, List.of(), 0);
    }

    @Test
    void aRepeatIsCountedAndSentToSecurityHubButNotNotified() {
        List<Finding> f = List.of(finding("a", "eve"), finding("b", "bob"));
        run(TICK, f, Map.of(), n -> false).run(TICK, null);
        assertThat(sent).extracting(Notification::kind).containsExactly("finding", "finding");
        Instant next = TICK.plus(Duration.ofMinutes(5));
        run(next, List.of(finding("a", "eve"), finding("c", "x")), Map.of(), n -> false).run(next, null);
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).subject()).contains("T c");
        assertThat(hub.get(1)).extracting(Finding::ruleId).containsExactly("a", "c"); // LastObservedAt of a moves
        assertThat(bus.get(1)).extracting(Finding::ruleId).containsExactly("c");
    }

    @Test
    void aFailingRuleSendsItsHealthMessageOncePerPeriod() {
        for (int i = 0; i < 6; i++) {
            Instant t = TICK.plus(Duration.ofMinutes(5L * i));
            run(t, List.of(), Map.of("broken", "query failed"), n -> false).run(t, null);
        }
        assertThat(sent).extracting(Notification::kind).containsExactly("health");
    }

    @Test
    void aRetriedTickAfterAPartialPublishDoesNotSendTwice() {
        List<Finding> f = List.of(finding("a", "eve"), finding("b", "bob"));
        ScheduledRun first = run(TICK, f, Map.of(), n -> n.subject().contains("T b"));
        assertThatThrownBy(() -> first.run(TICK, null)).isInstanceOf(ScheduledRun.PublishFailed.class);
        assertThat(sent).extracting(Notification::subject).anyMatch(s -> s.contains("T a"));
        int before = (int) sent.stream().filter(n -> n.kind().equals("finding")).count();
        run(TICK, f, Map.of(), n -> false).run(TICK, null); // Lambda's retry: same tick, SNS back
        assertThat(sent.stream().filter(n -> n.kind().equals("finding")).count()).isEqualTo(before);
    }

    @Test
    void aRetriedTickAfterNothingWasDeliveredSendsEverything() {
        List<Finding> f = List.of(finding("a", "eve"), finding("b", "bob"));
        ScheduledRun down = run(TICK, f, Map.of(), n -> true);
        assertThatThrownBy(() -> down.run(TICK, null)).isInstanceOf(ScheduledRun.PublishFailed.class);
        assertThat(sent).isEmpty();
        run(TICK, f, Map.of(), n -> false).run(TICK, null);
        assertThat(sent).extracting(Notification::kind).containsExactly("finding", "finding");
    }
}
