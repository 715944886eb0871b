package io.ekslookout.detect;

import io.ekslookout.logs.LocalLogs;
import io.ekslookout.query.QueryLimits;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.Severity;
import io.ekslookout.rules.Suppression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rule whose evaluation throws on one event still reports its matches from the other events, counts the error
 * with the event's file:line and reason, and never stops the other rules; a stats cap names the rule it cut.
 */
class RuleEventErrorTest {
    @TempDir
    Path dir;

    private static Rule rule(String id, String query) {
        return new Rule(id, "Title of " + id, Severity.HIGH, "d", query, io.ekslookout.query.Query.parse(query), null, Suppression.NONE, List.of(),
                List.of("T1098"), null, true, id + ".yaml");
    }

    private static String line(long ts, String user, String when) {
        return "{\"logStreamName\":\"s\",\"timestamp\":" + ts + ",\"message\":\"{\\\"user\\\":\\\"" + user
                + "\\\",\\\"when\\\":\\\"" + when + "\\\"}\"}";
    }

    @Test
    void aRuleThatFailsOnOneEventKeepsItsOtherMatchesAndTheOtherRulesRun() throws Exception {
        Path logs = dir.resolve("audit.jsonl");
        Files.writeString(logs, String.join("\n",
                line(1000, "alice", "2026-01-01T00:00:00Z"),
                line(2000, "mallory", "+999999999-01-01T00:00:00Z"), // toMillis overflows a long
                line(3000, "bob", "2026-01-01T00:00:00Z")) + "\n");
        List<Rule> rules = List.of(rule("when", "fields user, toMillis(when) as t"),
                rule("who", "fields user"));
        DetectionReport report = new Detector(new LocalBackend(LocalLogs.open(logs)))
                .run(rules, LocalBackend.WHOLE_INPUT, null);

        assertThat(report.ruleErrors()).isEmpty();
        DetectionReport.RuleRun when = report.perRule().get("when");
        assertThat(when.rows()).isEqualTo(2);
        assertThat(when.eventErrors()).isEqualTo(1);
        assertThat(when.firstEventError()).isEqualTo(logs + ":2: ArithmeticException: long overflow");
        assertThat(report.perRule().get("who").rows()).isEqualTo(3);
        assertThat(report.perRule().get("who").eventErrors()).isZero();
        assertThat(report.findings()).extracting(Finding::ruleId, Finding::matchCount)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("when", 2L),
                        org.assertj.core.groups.Tuple.tuple("who", 3L));
        assertThat(report.totalEventErrors()).isEqualTo(1);
        assertThat(report.warnings()).containsExactly("rule when: 1 event could not be evaluated (the rule went on"
                + " with the others); first: " + logs + ":2: ArithmeticException: long overflow");
    }

    @Test
    void aStatsCapWarningNamesTheRule() throws Exception {
        Path logs = dir.resolve("many.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            sb.append(line(1000L + i, "user" + i, "x")).append('\n');
        }
        Files.writeString(logs, sb.toString());
        DetectionReport report = new Detector(new LocalBackend(LocalLogs.open(logs), Clock.systemUTC(),
                new QueryLimits(5))).run(List.of(rule("per-user", "stats count(*) as n by user")),
                LocalBackend.WHOLE_INPUT, null);
        assertThat(report.perRule().get("per-user").rows()).isEqualTo(5);
        assertThat(report.warnings()).containsExactly("rule per-user: stats groups capped at 5: results are partial"
                + " (25 records of further groups dropped)");
    }
}
