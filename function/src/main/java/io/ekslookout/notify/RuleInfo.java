package io.ekslookout.notify;

import java.util.List;

/**
 * What a notification says about the rule behind a finding (the rule's own text, written by the rule's author, is
 * trusted; only values from logs are neutralised).
 *
 * @param id          rule id
 * @param title       one-line title
 * @param severity    info|low|medium|high|critical
 * @param description why it matters, what to check
 * @param runbook     URL or text, may be null
 * @param queryText   the Logs Insights query, for the console link
 * @param tags        MITRE ATT&amp;CK ids and labels
 */
public record RuleInfo(String id, String title, String severity, String description, String runbook,
                       String queryText, List<String> tags) {
    public RuleInfo {
        description = description == null ? "" : description;
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
