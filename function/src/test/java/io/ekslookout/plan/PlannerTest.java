package io.ekslookout.plan;

import io.ekslookout.query.Query;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the planner puts in a prefilter, what it leaves out, and what it runs separately (with the reason). */
class PlannerTest {
    static final Path RULES = Path.of(System.getProperty("repo.root", ".."), "rules");

    private static ScanPlan plan(String... queries) {
        List<Planner.Target> targets = new ArrayList<>();
        for (int i = 0; i < queries.length; i++) {
            targets.add(new Planner.Target("r" + (i + 1), Query.parse(queries[i])));
        }
        return Planner.plan(targets);
    }

    @Test
    void theBundledRulesPlanToOnePrefilterThatIsARawEventQuery() throws Exception {
        RuleSet set = RuleLoader.loadDirectory(RULES);
        ScanPlan plan = Planner.planRules(set.rules());
        assertThat(plan.separate()).isEmpty();
        assertThat(plan.prefilters()).hasSize(1);
        ScanPlan.Prefilter p = plan.prefilters().get(0);
        assertThat(p.ruleIds()).containsExactlyInAnyOrderElementsOf(set.enabledRules().stream().map(r -> r.id()).toList());
        Query reparsed = Query.parse(p.text());
        assertThat(reparsed.aggregate()).isFalse();
        assertThat(reparsed.columns()).containsExactlyElementsOf(Planner.PROJECTION);
        assertThat(reparsed.eventLocalHead().barrier()).isNull();
        assertThat(p.text().length()).isLessThanOrEqualTo(Planner.MAX_TEXT);
        assertThat(p.text()).doesNotContain("#");
        assertThat(p.text()).contains("objectRef.resource = \"secrets\"", "/^authenticator/");
    }

    /** One rule each: the prefilter condition, or "separate: <part of the reason>". */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '\'', value = {
        "filter verb = \"get\" | filter stage = \"x\" | stats count(*) by user.username"
            + " => ((verb = \"get\") and (stage = \"x\"))",
        "filter @logStream like /^a/ | parse @message /(?<n>\\d+)/ | filter ispresent(n)"
            + " => ((@logStream like /^a/))",
        "sort @timestamp desc | filter verb = \"get\" | limit 5 => ((verb = \"get\"))",
        "filter verb = \"get\" | limit 5 => ((verb = \"get\"))",
        "filter verb = \"get\"   # a comment\\n   and stage = \"x\" => ((verb = \"get\" and stage = \"x\"))",
        "filterIndex region = \"us\" => ((region = \"us\"))",
        "filter user.username = \"a\" | fields \"b\" as user => ((user.username = \"a\"))",
        "filter a = 1 | unnest b into c | filter d = 2 => ((a = 1) and (d = 2))",
        "filter a = 1 | unnest b into c | filter c = 2 => ((a = 1))",
        "stats count(*) by bin(5m) => separate: no filter before its stats at 1:1 to select its events by",
        "fields @timestamp => separate: no filter to select its events by",
        "parse @message /(?<n>\\d+)/ | filter n = 5 => separate: reads 'n', created by parse at 1:1",
        "fields strlen(@message) as len | filter len > 5 => separate: reads 'len', created by fields at 1:1",
        "fields \"x\" as user | filter user.username = \"a\" => separate: reads 'user.username', created by fields",
        "fields \"x\" as @message | filter @message like /a/ => separate: reads '@message', created by fields",
        "filter @timestamp > queryEndTime() - 1000 => separate: calls queryendtime()",
        "filter now() > 5 => separate: calls now()",
    })
    void oneRule(String query, String expected) {
        ScanPlan plan = plan(query.replace("\\n", "\n"));
        if (expected.startsWith("separate: ")) {
            assertThat(plan.prefilters()).isEmpty();
            assertThat(plan.separate()).singleElement()
                    .satisfies(s -> assertThat(s.reason()).contains(expected.substring("separate: ".length())));
        } else {
            assertThat(plan.separate()).isEmpty();
            assertThat(plan.prefilters()).singleElement().satisfies(p -> assertThat(p.text())
                    .isEqualTo("filter " + expected + "\n| fields @timestamp, @message, @logStream, @log, "
                            + "@ingestionTime"));
        }
    }

    @Test
    void filtersLeftToLocalEvaluationAreListedWithTheirPosition() {
        ScanPlan plan = plan("filter a = 1\n| parse @message /(?<n>\\d+)/\n| filter ispresent(n) and b = 2");
        assertThat(plan.leftOut().get("r1")).containsExactly("3:3: reads 'n', created by parse at 2:3");
    }

    @Test
    void identicalConditionsAreWrittenOnceForAllTheirRules() {
        ScanPlan plan = plan("filter a = 1 | stats count(*)", "filter a = 1 | sort @timestamp desc",
                "filter b = 2");
        assertThat(plan.prefilters()).singleElement().satisfies(p -> {
            assertThat(p.ruleIds()).containsExactly("r1", "r2", "r3");
            assertThat(p.text()).isEqualTo("filter ((a = 1))\n    or ((b = 2))"
                    + "\n| fields @timestamp, @message, @logStream, @log, @ingestionTime");
        });
    }

    @Test
    void rulesThatDoNotFitOneQueryStartAnotherPrefilterAndTooLongOnesRunAlone() {
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            queries.add("filter msg = \"" + ("v" + i).repeat(250).substring(0, 500) + "\"");
        }
        queries.add("filter msg = \"" + "x".repeat(9_700) + "\"");
        ScanPlan plan = plan(queries.toArray(new String[0]));
        assertThat(plan.prefilters()).hasSizeGreaterThan(1);
        List<String> covered = new ArrayList<>();
        for (ScanPlan.Prefilter p : plan.prefilters()) {
            assertThat(p.text().length()).isLessThanOrEqualTo(Planner.MAX_TEXT);
            assertThat(Query.parse(p.text()).aggregate()).isFalse();
            covered.addAll(p.ruleIds());
        }
        assertThat(covered).hasSize(40).doesNotHaveDuplicates();
        assertThat(plan.separate()).singleElement().satisfies(s -> {
            assertThat(s.ruleId()).isEqualTo("r41");
            assertThat(s.reason()).contains("too long");
        });
    }

    @ParameterizedTest
    @CsvSource({
        "14, 0, 5, 15, 56, 4",
        "14, 2, 5, 15, 64, 12",
        "3, 0, 5, 0, 3, 1",
        "4, 1, 10, 5, 7.5, 3",
    })
    void scanMultiplier(int planned, int separate, long periodMinutes, long lookbackMinutes, double perRule,
                        double expectedPlanned) {
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < planned; i++) {
            queries.add("filter f = " + i);
        }
        for (int i = 0; i < separate; i++) {
            queries.add("stats count(*) by bin(" + (i + 1) + "m)");
        }
        ScanPlan.Multiplier m = plan(queries.toArray(new String[0]))
                .multiplier(Duration.ofMinutes(periodMinutes), Duration.ofMinutes(lookbackMinutes));
        assertThat(m.perRule()).isEqualTo((planned + separate) * (periodMinutes + lookbackMinutes)
                / (double) periodMinutes).isEqualTo(perRule);
        assertThat(m.planned()).isEqualTo(expectedPlanned);
    }

    @Test
    void anEventTimeScheduleScansEachByteOncePerQuery() {
        ScanPlan p = plan("filter a = 1", "filter b = 2", "stats count(*) by bin(1m)");
        ScanPlan.Multiplier m = p.multiplier(new io.ekslookout.schedule.WindowPlanner(
                io.ekslookout.schedule.ScanMode.EVENT_TIME, Duration.ofMinutes(5), Duration.ofMinutes(2),
                Duration.ofMinutes(15), Duration.ofMinutes(10)).scanMultiplier());
        assertThat(m.perRule()).isEqualTo(3.0);
        assertThat(m.planned()).isEqualTo(2.0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.multiplier(0.0))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.multiplier(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
