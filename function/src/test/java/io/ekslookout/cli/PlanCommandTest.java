package io.ekslookout.cli;

import io.ekslookout.plan.Planner;
import io.ekslookout.plan.ScanPlan;
import io.ekslookout.query.Query;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code eks-lookout plan}: the combined query, the rules it covers, the separate ones and the multiplier. */
class PlanCommandTest {
    private static final Path RULES = Path.of(System.getProperty("repo.root", "..")).resolve("rules");

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run plan(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of("plan"));
        all.addAll(List.of(args));
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** The query lines printed under "# prefilter query N". */
    private static List<String> printedQueries(String out) {
        List<String> queries = new ArrayList<>();
        StringBuilder current = null;
        for (String line : out.split("\n", -1)) {
            if (line.startsWith("# prefilter query")) {
                current = new StringBuilder();
            } else if (current != null && line.isEmpty()) {
                queries.add(current.toString().stripTrailing());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return queries;
    }

    @Test
    void theBundledRulesPlanToOneQueryScanningEachByteFourTimesInsteadOfOncePerRuleTimesFour() throws Exception {
        RuleSet set = RuleLoader.loadDirectory(RULES);
        int rules = set.enabledRules().size();
        Run r = plan("--rules", RULES.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("# prefilter query 1 of 1", "for " + rules + " rules",
                "# rules run as their own query: 0",
                "one query per rule: " + rules + " queries x (5m + 15m lookback) / 5m = " + rules * 4,
                "planned:            1 queries x (5m + 15m lookback) / 5m = 4");
        for (var rule : set.enabledRules()) {
            assertThat(r.out()).contains("\n  " + rule.id() + "\n");
        }
        List<String> printed = printedQueries(r.out());
        assertThat(printed).singleElement().satisfies(q -> {
            assertThat(q).isEqualTo(Planner.planRules(set.rules()).prefilters().get(0).text());
            assertThat(Query.parse(q).aggregate()).isFalse();
        });
    }

    @ParameterizedTest
    @CsvSource({
        "10m, 0m, 1 queries x (10m + 0s lookback) / 10m = 1",
        "PT1H, 1h, 1 queries x (1h + 1h lookback) / 1h = 2",
        "5m, 1m, 1 queries x (5m + 1m lookback) / 5m = 1.20",
    })
    void theMultiplierFollowsScheduleAndLookback(String schedule, String lookback, String planned) {
        Run r = plan("--rules", RULES.toString(), "--schedule", schedule, "--lookback", lookback);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("planned:            " + planned);
    }

    @Test
    void eventTimeModeScansEachByteOncePerQueryAndStatesItsDeliveryBound() throws Exception {
        int rules = RuleLoader.loadDirectory(RULES).enabledRules().size();
        Run r = plan("--rules", RULES.toString(), "--scan-mode", "event-time");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("scan mode event-time: each run scans 5m of event time ending 10m before its"
                        + " tick, no overlap",
                "one query per rule: " + rules + " queries x 5m / 5m = " + rules,
                "planned:            1 queries x 5m / 5m = 1",
                "an event delivered more than 10m after its timestamp may be missed (and is, 15m or later); a"
                        + " finding comes 2m settle + 10m + up to 5m after its event");
        Run d = plan("--rules", RULES.toString(), "--scan-mode", "event-time", "--scan-delay", "30m",
                "--schedule", "15m", "--lookback", "2h");
        assertThat(d.code()).as(d.err()).isZero();
        assertThat(d.out()).contains("planned:            1 queries x 15m / 15m = 1",
                "more than 30m after its timestamp may be missed (and is, 45m or later)");
        Run i = plan("--rules", RULES.toString(), "--scan-mode", "ingestion", "--scan-delay", "30m");
        assertThat(i.out()).contains("scan mode ingestion: schedule 5m + 15m lookback",
                "planned:            1 queries x (5m + 15m lookback) / 5m = 4",
                "an event delivered up to 15m after its timestamp is always seen");
    }

    @Test
    void rulesThatCannotShareThePrefilterAreListedWithTheReasonAndCounted() throws Exception {
        Path rules = dir.resolve("rules");
        Files.createDirectories(rules.resolve("tests"));
        rule(rules, "deletes", "filter verb = \"delete\"\n  | parse requestURI /(?<ns>namespaces)/\n"
                + "  | filter ispresent(ns)\n  | fields user.username");
        rule(rules, "busy", "stats count(*) as n by user.username\n  | filter n > 1000");
        Run r = plan("--rules", rules.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("# rules run as their own query: 1",
                "  busy: no filter before its stats at 1:1 to select its events by (it reads every event)",
                "      evaluated locally only (query line:column): 3:3: reads 'ns', created by parse at 2:3",
                "one query per rule: 2 queries x (5m + 15m lookback) / 5m = 8",
                "planned:            2 queries x (5m + 15m lookback) / 5m = 8");
        assertThat(printedQueries(r.out())).containsExactly("filter ((verb = \"delete\"))\n"
                + "| fields @timestamp, @message, @logStream, @log, @ingestionTime");
    }

    private static void rule(Path rules, String id, String query) throws Exception {
        Files.writeString(rules.resolve(id + ".yaml"), "id: " + id + "\ntitle: " + id + "\nsummary: " + id
                + ".\nseverity: low\ndescription: " + id + "\nquery: |\n  " + query + "\n");
        Files.writeString(rules.resolve("tests").resolve(id + ".yaml"), "rule: " + id + "\ncases:\n"
                + "  - name: fires\n    expect: fire\n    events:\n      - logStream: kube-apiserver-audit-1\n"
                + "        message: {verb: delete, requestURI: /api/v1/namespaces, user: {username: a}}\n"
                + "  - name: quiet\n    expect: quiet\n    events:\n      - logStream: kube-apiserver-audit-1\n"
                + "        message: {verb: get}\n");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
        "--schedule => often => --schedule:",
        "--lookback => 2d => --lookback:",
        "--schedule => 0m => --schedule:",
        "--scan-mode => timestamp => --scan-mode: expected ingestion (tile ingestion time, scan --lookback",
        "--scan-delay => 30s => --scan-delay: expected a duration from 1m to 1d",
    })
    void badScheduleOrLookbackIsBadInput(String option, String value, String message) {
        Run r = plan("--rules", RULES.toString(), option, value);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: " + message);
        assertThat(r.out()).isEmpty();
    }

    @Test
    void invalidRulesAreBadInput() throws Exception {
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.writeString(bad.resolve("broken.yaml"), "id: broken\ntitle: x\nseverity: loud\nquery: |\n  fields\n");
        Run r = plan("--rules", bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("broken.yaml:");
    }

    @Test
    void thePlanOfTheBundledRulesHasNoSeparateRule() throws Exception {
        ScanPlan p = Planner.planRules(RuleLoader.loadClasspath("rules").rules());
        assertThat(p.separate()).isEmpty();
        assertThat(p.queryCount()).isEqualTo(1);
    }
}
