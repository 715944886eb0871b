package io.ekslookout.notify;

import io.ekslookout.detect.Finding;
import io.ekslookout.detect.TimeWindow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sends what one run found: one message per finding, or one digest when there are more than
 * {@code digestThreshold} findings (so a noisy window cannot flood the channel), plus one health message when rules
 * failed or the back end warned. A failed publish is recorded and the others are still sent.
 */
public final class Notifier {
    private final MessageBuilder builder;
    private final Publisher publisher;
    private final int digestThreshold;

    /** What was sent. */
    public record Report(int sent, int findingMessages, boolean digest, boolean health, List<String> failures) {
        public Report {
            failures = List.copyOf(failures);
        }
    }

    public Notifier(MessageBuilder builder, Publisher publisher, int digestThreshold) {
        this.builder = builder;
        this.publisher = publisher;
        this.digestThreshold = digestThreshold;
    }

    public Report send(List<Finding> findings, Map<String, RuleInfo> rules, Map<String, String> ruleErrors,
                       List<String> warnings, int rulesRun, TimeWindow window) {
        return send(findings, rules, ruleErrors, warnings, rulesRun, window, null);
    }

    /** As above, for a scheduled run: console links also filter on the run's ingestion window (may be null). */
    public Report send(List<Finding> findings, Map<String, RuleInfo> rules, Map<String, String> ruleErrors,
                       List<String> warnings, int rulesRun, TimeWindow window, TimeWindow ingestion) {
        MessageBuilder builder = ingestion == null ? this.builder : this.builder.withIngestion(ingestion);
        List<Notification> out = new ArrayList<>();
        boolean digest = findings.size() > digestThreshold;
        if (digest) {
            out.add(builder.digest(findings, rules, window.start(), window.end()));
        } else {
            for (Finding f : findings) {
                out.add(builder.finding(f, rules.getOrDefault(f.ruleId(), fallback(f))));
            }
        }
        boolean health = !ruleErrors.isEmpty() || !warnings.isEmpty();
        if (health) {
            out.add(builder.health(ruleErrors, warnings, rulesRun));
        }
        int sent = 0;
        List<String> failures = new ArrayList<>();
        for (Notification n : out) {
            try {
                publisher.publish(n);
                sent++;
            } catch (RuntimeException e) {
                failures.add(n.kind() + " '" + n.subject() + "': " + e.getMessage());
            }
        }
        return new Report(sent, digest ? 0 : findings.size(), digest, health, failures);
    }

    private static RuleInfo fallback(Finding f) {
        return new RuleInfo(f.ruleId(), f.title(), f.severity(), "", null, "", List.of());
    }
}
