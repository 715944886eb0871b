package io.ekslookout.notify;

import io.ekslookout.detect.Finding;
import io.ekslookout.detect.TimeWindow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Sends what one run found: one message per finding, or one digest when there are more than
 * {@code digestThreshold} findings (so a noisy window cannot flood the channel), plus one health message when rules
 * failed, the back end warned, or a message could not be built or published.
 *
 * <p>Each message is built and published on its own: a finding whose message cannot be built (a bug, an input no
 * test foresaw) is announced by a short {@link MessageBuilder#bare} message instead; a publish that fails is
 * recorded and the others are still sent. The health message goes last so it can name what failed before it.
 */
public final class Notifier {
    private final MessageBuilder builder;
    private final Publisher publisher;
    private final int digestThreshold;

    /**
     * What was sent.
     *
     * @param sent            messages published
     * @param findingMessages messages for single findings (0 when a digest was sent)
     * @param digest          a digest was sent instead of one message per finding
     * @param health          a health message was attempted
     * @param failures        what did not go out, one line each (a failed publish, a message that could not be
     *                        built at all)
     * @param degraded        what went out shortened or in short form, one line each
     */
    public record Report(int sent, int findingMessages, boolean digest, boolean health, List<String> failures,
                         List<String> degraded) {
        public Report {
            failures = List.copyOf(failures);
            degraded = List.copyOf(degraded);
        }

        public Report(int sent, int findingMessages, boolean digest, boolean health, List<String> failures) {
            this(sent, findingMessages, digest, health, failures, List.of());
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
        Run run = new Run();
        boolean digest = findings.size() > digestThreshold;
        if (digest) {
            run.send("digest of " + findings.size() + " findings",
                    () -> builder.digest(findings, rules, window.start(), window.end()),
                    e -> builder.bareDigest(findings, window.start(), window.end(), e));
        } else {
            for (Finding f : findings) {
                run.send("finding " + f.ruleId(), () -> builder.finding(f, rules.getOrDefault(f.ruleId(),
                        fallback(f))), e -> builder.bare(f, "the full message could not be built (" + e + ")"));
            }
        }
        List<String> healthWarnings = new ArrayList<>(warnings);
        run.failures.forEach(f -> healthWarnings.add("not sent: " + f));
        run.shortForms.forEach(d -> healthWarnings.add("sent in short form: " + d));
        boolean health = !ruleErrors.isEmpty() || !healthWarnings.isEmpty();
        if (health) {
            run.send("health", () -> builder.health(ruleErrors, healthWarnings, rulesRun),
                    e -> builder.health(Map.of(), List.of(ruleErrors.size() + " rules failed and "
                            + healthWarnings.size() + " warnings; the details could not be put in a message (" + e
                            + "): see the function's log"), rulesRun));
        }
        return new Report(run.sent, digest ? 0 : findings.size(), digest, health, run.failures, run.degraded());
    }

    /** Builds and publishes messages one at a time, recording what failed. */
    private final class Run {
        int sent;
        final List<String> failures = new ArrayList<>();
        /** Messages sent shortened to fit (they say so themselves). */
        final List<String> degraded = new ArrayList<>();
        /** Messages sent in short form because the full one could not be built (the health message says so). */
        final List<String> shortForms = new ArrayList<>();

        void send(String what, Supplier<Notification> build, Function<String, Notification> shortForm) {
            Notification n;
            try {
                n = build.get();
                if (!n.shortened().isEmpty()) {
                    degraded.add(what + ": shortened to fit (" + String.join("; ", n.shortened()) + ")");
                }
            } catch (RuntimeException | StackOverflowError e) {
                String why = describe(e);
                try {
                    n = shortForm.apply(why);
                    shortForms.add(what + ": the full message could not be built (" + why + ")");
                } catch (RuntimeException | StackOverflowError e2) {
                    failures.add(what + ": the message could not be built (" + why + ")");
                    return;
                }
            }
            try {
                publisher.publish(n);
                sent++;
            } catch (RuntimeException e) {
                failures.add(n.kind() + " '" + n.subject() + "': " + describe(e));
            }
        }

        List<String> degraded() {
            List<String> all = new ArrayList<>(shortForms);
            all.addAll(degraded);
            return all;
        }
    }

    /** An exception in one line: its message, or its type when it has none. */
    public static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static RuleInfo fallback(Finding f) {
        return new RuleInfo(f.ruleId(), f.title(), f.severity(), "", null, "", List.of());
    }
}
