package io.ekslookout.rules;

import io.ekslookout.settings.SettingsDuration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tuning overlay: one site's changes to the bundled rules, kept in a file of its own (by default
 * {@value #FILE_NAME} next to the rules) so the rule files upgrade without merge conflicts. Per rule id it can turn
 * the rule off or on, change its severity, add suppress entries (to those the rule has), replace its threshold and
 * set {@code renotifyAfter}. {@link RuleLoader} validates the file like a rule file and applies it in one place, so
 * the CLI, the Lambda and {@code cdk synth} all run the same effective rules.
 *
 * @param source where the overlay was read from (for messages); null for {@link #NONE}
 * @param byRule the changes per rule id, in file order
 */
public record Overrides(String source, Map<String, Change> byRule) {
    /** The overlay's file name in a rules directory (also the name no rule file may have). */
    public static final String FILE_NAME = "overrides.yaml";
    /** The keys of one rule's entry (rules/overrides.schema.json lists the same). */
    public static final List<String> KEYS = List.of("enabled", "severity", "suppress", "threshold", "renotifyAfter");
    /** The shortest and longest renotify period: shorter than a run is meaningless, longer than 90 days forgets. */
    public static final Duration MIN_RENOTIFY = Duration.ofMinutes(1);
    public static final Duration MAX_RENOTIFY = Duration.ofDays(90);

    public static final Overrides NONE = new Overrides(null, Map.of());

    public Overrides {
        byRule = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byRule));
    }

    /**
     * One rule's changes; a null field leaves the rule's own value.
     *
     * @param suppress entries added to the rule's own (never removing any); {@link Suppression#NONE} for none
     */
    public record Change(String ruleId, Boolean enabled, Severity severity, Suppression suppress, Threshold threshold,
                         Duration renotifyAfter) {
        public Change {
            suppress = suppress == null ? Suppression.NONE : suppress;
        }

        /** What the change does, for {@code validate}: "enabled: false, severity: critical, ...". */
        public String describe() {
            List<String> parts = new ArrayList<>();
            if (enabled != null) {
                parts.add("enabled: " + enabled);
            }
            if (severity != null) {
                parts.add("severity: " + severity.label());
            }
            if (!suppress.isEmpty()) {
                int n = suppress.byField().values().stream().mapToInt(List::size).sum();
                parts.add("suppress: +" + n + (n == 1 ? " entry" : " entries"));
            }
            if (threshold != null) {
                parts.add("threshold: " + threshold);
            }
            if (renotifyAfter != null) {
                parts.add("renotifyAfter: " + SettingsDuration.show(renotifyAfter) + " (with --state or STATE_TABLE)");
            }
            return parts.isEmpty() ? "no change" : String.join(", ", parts);
        }
    }

    public boolean isEmpty() {
        return byRule.isEmpty();
    }

    /** The rules with this overlay applied, in the same order. */
    public List<Rule> apply(List<Rule> rules) {
        return rules.stream().map(this::apply).toList();
    }

    /** The rule with its change applied (the rule itself when it has none). */
    public Rule apply(Rule r) {
        Change c = byRule.get(r.id());
        if (c == null) {
            return r;
        }
        return new Rule(r.id(), r.title(), c.severity() != null ? c.severity() : r.severity(), r.description(),
                r.queryText(), r.query(), c.threshold() != null ? c.threshold() : r.threshold(),
                merge(r.suppress(), c.suppress()), r.groupBy(), r.tags(), r.runbook(),
                c.enabled() != null ? c.enabled() : r.enabled(), r.source(), r.summary(),
                c.renotifyAfter() != null ? c.renotifyAfter() : r.renotifyAfter());
    }

    /** The rule's suppress entries plus the overlay's, field by field. */
    static Suppression merge(Suppression own, Suppression added) {
        if (added.isEmpty()) {
            return own;
        }
        Map<String, List<Suppression.Matcher>> by = new LinkedHashMap<>();
        own.byField().forEach((k, v) -> by.put(k, new ArrayList<>(v)));
        added.byField().forEach((k, v) -> by.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        return new Suppression(by);
    }
}
