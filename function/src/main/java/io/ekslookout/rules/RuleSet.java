package io.ekslookout.rules;

import java.util.List;
import java.util.Optional;

/**
 * What a rules directory holds: rules, hunts and their tests, all validated.
 *
 * @param rules     the effective rules: as bundled, with the tuning overlay applied (see {@link Overrides})
 * @param hunts     the hunts
 * @param tests     the rule and hunt tests
 * @param bundled   the rules exactly as their files define them (equal to {@code rules} without an overlay)
 * @param overrides the overlay that turned {@code bundled} into {@code rules}; {@link Overrides#NONE} when none
 */
public record RuleSet(List<Rule> rules, List<Hunt> hunts, List<RuleTest> tests, List<Rule> bundled,
                      Overrides overrides) {
    public RuleSet {
        rules = List.copyOf(rules);
        hunts = List.copyOf(hunts);
        tests = List.copyOf(tests);
        bundled = List.copyOf(bundled);
        overrides = overrides == null ? Overrides.NONE : overrides;
    }

    /** A rule set without an overlay. */
    public RuleSet(List<Rule> rules, List<Hunt> hunts, List<RuleTest> tests) {
        this(rules, hunts, tests, rules, Overrides.NONE);
    }

    /**
     * The same set with the rules as bundled: what {@code test} runs by default, since the fixtures are written for
     * the rule files, not for one site's tuning.
     */
    public RuleSet withoutOverrides() {
        return new RuleSet(bundled, hunts, tests);
    }

    /** The rules to run (enabled ones). */
    public List<Rule> enabledRules() {
        return rules.stream().filter(Rule::enabled).toList();
    }

    public Optional<Rule> rule(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    public Optional<Hunt> hunt(String id) {
        return hunts.stream().filter(h -> h.id().equals(id)).findFirst();
    }
}
