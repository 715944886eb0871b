package io.ekslookout.notify;

import java.util.List;

/**
 * What a notification says about the rule behind a finding (the rule's own text, written by the rule's author, is
 * trusted; only values from logs are neutralised).
 *
 * @param id          rule id
 * @param title       one-line title
 * @param severity    info|low|medium|high|critical
 * @param description why it matters, what to check (the email's trailing section)
 * @param runbook     URL or text, may be null
 * @param queryText   the Logs Insights query, for the console link
 * @param tags        MITRE ATT&amp;CK ids and labels
 * @param summary     one sentence shown in every message; when null, the description's first sentence (cut at a
 *                    word) stands in
 * @param threshold   for aggregate rules, what a row must cross to fire; null otherwise
 */
public record RuleInfo(String id, String title, String severity, String description, String runbook,
                       String queryText, List<String> tags, String summary, Limit threshold) {
    /** An aggregate rule's threshold: {@code column op value}, e.g. errors >= 10. */
    public record Limit(String column, String op, String value) {
    }

    public RuleInfo {
        description = description == null ? "" : description;
        tags = tags == null ? List.of() : List.copyOf(tags);
        if (summary == null || summary.isBlank()) {
            summary = firstSentence(description);
        }
    }

    public RuleInfo(String id, String title, String severity, String description, String runbook, String queryText,
                    List<String> tags) {
        this(id, title, severity, description, runbook, queryText, tags, null, null);
    }

    private static String firstSentence(String description) {
        String d = description.strip().replaceAll("\\s+", " ");
        int dot = d.indexOf(". ");
        String s = dot > 0 ? d.substring(0, dot + 1) : d;
        return MessageBuilder.cutWords(s, 140);
    }
}
