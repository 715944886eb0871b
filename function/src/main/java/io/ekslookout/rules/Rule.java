package io.ekslookout.rules;

import io.ekslookout.query.Query;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A validated detection rule (one YAML file in rules/). Immutable. Build one with {@link RuleLoader}; tests and
 * hunts may also use the constructor directly.
 *
 * @param id          stable kebab-case id, equal to the file name
 * @param title       one line shown in alerts
 * @param severity    how urgent its findings are
 * @param description why it matters, what to check
 * @param queryText   the Logs Insights query as written
 * @param query       the parsed query (never null: every run uses it, nothing parses the text again)
 * @param threshold   for aggregate rules: fire per row that crosses it; null when every row fires
 * @param suppress    rows that must not be reported
 * @param groupBy     fields that fold rows into one finding per key; empty for one finding per rule
 * @param tags        MITRE ATT&amp;CK ids and other labels
 * @param runbook     URL or text telling the reader what to do; may be null
 * @param enabled     false to keep the rule but not run it
 * @param source      where the rule was read from (for messages); may be null
 * @param summary     one sentence (at most {@value #SUMMARY_MAX} characters) that messages show instead of the
 *                    description; required in rule files, may be null for rules built in code
 * @param renotifyAfter how long a repeat of the same finding stays quiet before it is sent again; set only by the
 *                    tuning overlay (rules/overrides.yaml) and null otherwise. Stored for the state-across-runs
 *                    feature: nothing reads it yet
 */
public record Rule(String id, String title, Severity severity, String description, String queryText, Query query,
                   Threshold threshold, Suppression suppress, List<String> groupBy, List<String> tags,
                   String runbook, boolean enabled, String source, String summary, Duration renotifyAfter) {
    /** The longest summary a rule may have: it must read at a glance in a Slack card. */
    public static final int SUMMARY_MAX = 140;

    /** A rule without a summary (built in code: hunts, tests). */
    public Rule(String id, String title, Severity severity, String description, String queryText, Query query,
                Threshold threshold, Suppression suppress, List<String> groupBy, List<String> tags, String runbook,
                boolean enabled, String source) {
        this(id, title, severity, description, queryText, query, threshold, suppress, groupBy, tags, runbook, enabled,
                source, null);
    }

    /** A rule without a renotify period (every rule file: only the overlay sets one). */
    public Rule(String id, String title, Severity severity, String description, String queryText, Query query,
                Threshold threshold, Suppression suppress, List<String> groupBy, List<String> tags, String runbook,
                boolean enabled, String source, String summary) {
        this(id, title, severity, description, queryText, query, threshold, suppress, groupBy, tags, runbook, enabled,
                source, summary, null);
    }

    public Rule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(queryText, "queryText");
        Objects.requireNonNull(query, "query (a rule always holds its parsed query)");
        description = description == null ? "" : description;
        suppress = suppress == null ? Suppression.NONE : suppress;
        groupBy = groupBy == null ? List.of() : List.copyOf(groupBy);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
