package io.ekslookout.rules;

import java.util.List;
import java.util.Optional;

/** What a rules directory holds: rules, hunts and their tests, all validated. */
public record RuleSet(List<Rule> rules, List<Hunt> hunts, List<RuleTest> tests) {
    public RuleSet {
        rules = List.copyOf(rules);
        hunts = List.copyOf(hunts);
        tests = List.copyOf(tests);
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
