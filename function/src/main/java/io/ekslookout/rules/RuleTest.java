package io.ekslookout.rules;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The fixtures of one rule or hunt (rules/tests/ID.yaml, rules/hunts/tests/NAME.yaml): cases of events that
 * must make it fire, and near-misses that must leave it quiet.
 *
 * @param target the rule or hunt id under test
 * @param hunt   true for a hunt's tests
 * @param cases  the cases, in file order
 * @param source the file
 */
public record RuleTest(String target, boolean hunt, List<Case> cases, String source) {
    public RuleTest {
        cases = List.copyOf(cases);
    }

    public enum Expect { FIRE, QUIET }

    /**
     * @param name       what the case shows
     * @param expect     fire or quiet
     * @param matchCount for fire, the expected sum of the findings' matchCount; null to not check
     * @param params     hunt parameters (empty for rules)
     * @param events     the events, expanded (repeat applied), timestamps resolved
     * @param line       where the case starts in the file
     */
    public record Case(String name, Expect expect, Long matchCount, Map<String, String> params, List<Event> events,
                       int line) {
        public Case {
            params = Map.copyOf(params);
            events = List.copyOf(events);
        }
    }

    /** One log event of a case. */
    public record Event(String logStream, Instant timestamp, String message) {
    }

    /** Default time of the first event of a case when none is given; later events follow 1 s apart. */
    public static final Instant BASE_TIME = Instant.parse("2026-11-20T10:00:00Z");
}
