package io.ekslookout.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.detect.Finding;
import io.ekslookout.detect.QueryText;
import io.ekslookout.detect.TimeWindow;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns findings into SNS notifications: a plain-text email body and an AWS Chatbot custom notification, each
 * led by the finding's {@link Headline} (who did what to which object, with what result, when, where) and the
 * rule's one-sentence summary; the email ends with the rule's description and runbook, the Slack card links to
 * them. Values from logs go through {@link SafeText} and {@link Redactor}; the rule's own text (title, summary,
 * description, runbook) is the rule author's and is shown as written. Every message fits SNS's 256 KB (see
 * {@link #finding(Finding, RuleInfo)}). The files under {@code src/test/resources/golden/} show what each bundled
 * rule's message looks like.
 */
public final class MessageBuilder {
    /** The subject limit of SNS email (kept one under 100 to be safe). */
    public static final int SUBJECT_MAX = 99;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    private static final int BUDGET = Notification.MAX_BYTES - 4096;
    private static final List<String> USER = List.of("user.username", "username", "userIdentity.userName", "user");
    private static final List<String> ARN = List.of("iamArn", "user.extra.arn.0", "user.extra.canonicalArn.0",
            "user.extra.arn", "userIdentity.arn", "arn");
    private static final List<String> SOURCE = List.of("sourceIP", "sourceIPs.0", "sourceIPs", "sourceIp",
            "sourceIPAddress");

    /**
     * Where the findings come from.
     *
     * @param cluster  the cluster's name (or the log group when no cluster is known)
     * @param logGroup the log group the rules ran on
     * @param region   the AWS region (for the console link)
     */
    public record Context(String cluster, String logGroup, String region) {
        /**
         * The context of a finding found in {@code name}: that cluster and its control-plane log group
         * ({@code /aws/eks/<name>/cluster}); this one when {@code name} is null or this cluster.
         */
        public Context forCluster(String name) {
            if (name == null || name.equals(cluster)) {
                return this;
            }
            return new Context(name, "/aws/eks/" + name + "/cluster", region);
        }
    }

    private final Context context;
    private final Redactor redactor;
    private final int rowsShown;
    private final TimeWindow ingestion;

    public MessageBuilder(Context context, Redactor redactor, int rowsShown) {
        this(context, redactor, rowsShown, null);
    }

    private MessageBuilder(Context context, Redactor redactor, int rowsShown, TimeWindow ingestion) {
        this.context = context;
        this.redactor = redactor;
        this.rowsShown = rowsShown;
        this.ingestion = ingestion;
    }

    /**
     * The same builder for a scheduled run: its console links add the run's {@code @ingestionTime} filter, so the
     * console shows exactly the events the run judged (not the older ones its lookback also scanned).
     */
    public MessageBuilder withIngestion(TimeWindow ingestionWindow) {
        return new MessageBuilder(context, redactor, rowsShown, ingestionWindow);
    }

    private String link(String ruleQuery, Instant start, Instant end) {
        return ConsoleLink.insights(context.region(), context.logGroup(),
                QueryText.withWindows(ruleQuery, ingestion, null), start, end);
    }

    public MessageBuilder(Context context) {
        this(context, new Redactor(true), 5);
    }

    /** This builder for a finding of its own cluster (subject, headline, body, link, attributes name it). */
    private MessageBuilder of(Finding f) {
        Context c = context.forCluster(f.cluster());
        return c == context ? this : new MessageBuilder(c, redactor, rowsShown, ingestion);
    }

    /** The cluster a finding was found in, for the lines of a digest. */
    private String clusterOf(Finding f) {
        return f.cluster() != null ? f.cluster() : context.cluster();
    }

    /** The clusters of a digest's findings: the one they share, else the run's clusters (its context). */
    private String clustersOf(List<Finding> findings) {
        Set<String> names = new LinkedHashSet<>();
        findings.forEach(f -> names.add(clusterOf(f)));
        return names.size() == 1 ? names.iterator().next() : context.cluster();
    }

    /**
     * One notification for one finding, always within SNS's 256 KB. When the full message does not fit it is shrunk
     * step by step, each step only when the previous was not enough: fewer rows (halved down to none), then no
     * console link (a long query makes a long link), then the rule's description and runbook cut at a word boundary
     * to {@value #TEXT_CUT} characters. The message says what was cut. If even that does not fit (a rule title or
     * tags of hundreds of KB), a {@link #bare} message announces the finding.
     */
    public Notification finding(Finding f, RuleInfo rule) {
        MessageBuilder own = of(f);
        if (own != this) {
            return own.finding(f, rule);
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (Map<String, String> r : f.rows()) {
            rows.add(redactor.redact(r));
        }
        int planned = Math.min(rowsShown, rows.size());
        int shown = planned;
        boolean withLink = true;
        int textMax = Integer.MAX_VALUE;
        while (true) {
            Notification n = finding(f, rule, rows, new Shape(planned, shown, withLink, textMax));
            if (n.sizeBytes() <= BUDGET) {
                return n;
            }
            if (shown > 0) {
                shown = shown / 2;
            } else if (withLink) {
                withLink = false;
            } else if (textMax > TEXT_CUT) {
                textMax = TEXT_CUT;
            } else {
                return bare(f, "the full message is larger than SNS's 256 KB even without rows, console link and "
                        + "description");
            }
        }
    }

    /** The longest description/runbook kept when a message must be shrunk to fit. */
    static final int TEXT_CUT = 1000;

    /**
     * How much of a finding message to show: {@code planned} rows were meant to be shown, {@code shown} are; the
     * console link or not; the rule's description and runbook cut to {@code textMax} characters.
     */
    private record Shape(int planned, int shown, boolean withLink, int textMax) {
        /** What was cut to fit, for the note the message carries (empty when nothing was). */
        List<String> cuts(RuleInfo rule) {
            List<String> c = new ArrayList<>();
            if (shown < planned) {
                c.add((planned - shown) + (planned - shown == 1 ? " row" : " rows") + " left out");
            }
            if (!withLink) {
                c.add("the console link left out (the rule's query is too long for a link: run rule "
                        + rule.id() + "'s query in Logs Insights over the window)");
            }
            if (rule.description().strip().length() > textMax
                    || (rule.runbook() != null && rule.runbook().strip().length() > textMax)) {
                c.add("the rule's description and runbook cut to " + textMax + " characters (the rule file has "
                        + "them in full)");
            }
            return c;
        }
    }

    /**
     * A minimal message announcing a finding when the full one cannot be built or cannot fit: the rule, the
     * severity, the count and the window, and why the rest is missing. Everything in it is short or cut.
     */
    public Notification bare(Finding f, String why) {
        MessageBuilder own = of(f);
        if (own != this) {
            return own.bare(f, why);
        }
        String sev = f.severity().toUpperCase(Locale.ROOT);
        String title = SafeText.plain(f.title(), 200);
        String subject = SafeText.subject("[" + sev + "] " + f.title() + " on " + context.cluster(), SUBJECT_MAX);
        String reason = SafeText.plain(why, 500);
        String t = subject + "\n\n"
                + "What:     " + title + " (rule " + SafeText.plain(f.ruleId(), 200) + ", severity "
                + SafeText.plain(f.severity(), 20) + ")\n"
                + "When:     window " + window(f) + "\n"
                + "Where:    cluster " + SafeText.plain(context.cluster()) + "\n"
                + "Events:   " + f.matchCount() + (f.matchCount() == 1 ? " matching event" : " matching events")
                + "\n\nThis is a short form of the message: " + reason + ". Run the rule's query in CloudWatch "
                + "Logs Insights over the window above to see the events.\n";
        String d = "*Events:* " + f.matchCount() + "\n*When:* window " + window(f) + "\n_Short form: "
                + SafeText.slack(why, 500) + "_";
        String ruleId = SafeText.subject(f.ruleId(), 200);
        String chatbot = chatbot(":rotating_light: " + subject, d, List.of("Run rule " + SafeText.slack(ruleId, 200)
                        + "'s query in CloudWatch Logs Insights over the window"),
                List.of(sev, context.cluster(), ruleId), "eks-lookout/" + context.cluster() + "/" + ruleId, subject,
                "eks-lookout.finding", Map.of("ruleId", ruleId, "cluster", context.cluster(),
                        "severity", f.severity(), "matchCount", String.valueOf(f.matchCount())));
        return new Notification("finding", subject, t, chatbot, attributes(f.severity(), ruleId, "finding"),
                List.of("short form: " + why));
    }

    private Notification finding(Finding f, RuleInfo rule, List<Map<String, String>> rows, Shape shape) {
        int shown = shape.shown();
        List<String> cuts = shape.cuts(rule);
        String sev = f.severity().toUpperCase(Locale.ROOT);
        String subject = SafeText.subject("[" + sev + "] " + f.title() + " on " + context.cluster(), SUBJECT_MAX);
        Headline h = Headline.of(f, rule, rows);
        String who = who(rows);
        String arns = distinct(rows, ARN, v -> v.startsWith("arn:"));
        String src = distinct(rows, SOURCE, v -> true);
        String agents = distinct(rows, List.of("userAgent"), v -> true);
        String when = when(rows, f);
        String link = shape.withLink() ? link(rule.queryText(), f.windowStart(), f.windowEnd()) : null;
        long notShown = (rows.size() - shown) + f.rowsOmitted();
        String summary = rule.summary() == null ? "" : rule.summary().strip();
        String description = cutWords(rule.description().strip(), shape.textMax());
        String runbook = rule.runbook() == null || rule.runbook().isBlank() ? null
                : cutWords(rule.runbook().strip(), shape.textMax());

        // Email: the headline and the summary first, the key facts, the link and rows, the rule's text last.
        StringBuilder t = new StringBuilder();
        t.append(h.render(f.title(), context.cluster(), SafeText::plain)).append("\n\n");
        if (!summary.isEmpty()) {
            t.append(summary).append("\n\n");
        }
        t.append("Rule:     ").append(f.title()).append(" (").append(f.ruleId()).append(", severity ")
                .append(f.severity()).append(")\n");
        if (h.aggregate() == null) {
            t.append("Who:      ").append(who != null ? who : h.actor() != null ? SafeText.plain(h.actor())
                    : "not in the rule's fields");
            if (arns != null) {
                t.append("\n          IAM: ").append(arns);
            }
            t.append("\n");
            if (h.verb() != null || h.object() != null) {
                t.append("What:     ").append(SafeText.plain(join(" ", h.verb(), h.object(), h.detail()), 1000))
                        .append("\n");
            }
            if (h.outcome() != null) {
                t.append("Outcome:  ").append(SafeText.plain(h.outcome())).append("\n");
            }
        }
        t.append("When:     ").append(when).append("\n");
        t.append("Cluster:  ").append(SafeText.plain(context.cluster())).append("\n");
        if (src != null || agents != null) {
            t.append("From:     ").append(src == null ? "" : src)
                    .append(agents == null ? "" : (src == null ? "" : ", ") + "user agent " + agents).append("\n");
        }
        if (f.groupKey() != null) {
            t.append("Group:    ").append(SafeText.plain(f.groupKey())).append("\n");
        }
        t.append("Events:   ").append(f.matchCount()).append(f.matchCount() == 1 ? " matching event" : " matching events")
                .append("\n\n");
        if (link != null) {
            t.append("Investigate (the rule's query over this window in CloudWatch Logs Insights):\n").append(link)
                    .append("\n\n");
        }
        if (shown > 0) {
            t.append(shown == rows.size() && f.rowsOmitted() == 0 ? "Rows:\n" : "First " + shown + " rows:\n");
            for (int i = 0; i < shown; i++) {
                t.append("  ").append(i + 1).append(". ").append(rowText(rows.get(i), false)).append("\n");
            }
        }
        if (notShown > 0) {
            t.append("(").append(notShown).append(notShown == 1 ? " more row" : " more rows")
                    .append(link == null ? " not shown: run the rule's query in Logs Insights to see them)\n"
                            : " not shown: open the link above to see them)\n");
        }
        if (!cuts.isEmpty()) {
            t.append("Shortened to fit SNS's 256 KB message limit: ").append(String.join("; ", cuts)).append(".\n");
        }
        if (!description.isEmpty() || runbook != null) {
            t.append("\n---- About rule ").append(f.ruleId()).append(" ----\n");
            if (!description.isEmpty()) {
                t.append(description).append("\n");
            }
            if (runbook != null) {
                t.append("\nRunbook:\n").append(runbook).append("\n");
            }
        }
        t.append("\n-- eks-lookout. Values taken from logs are shown defanged (hxxps, [.]) and cut at ")
                .append(SafeText.MAX_VALUE_CHARS).append(" characters; request/response bodies and Secret data are ")
                .append("redacted.\n");

        // Chatbot (Slack): the headline as title, key fields, the summary, a few compact rows, links in nextSteps.
        StringBuilder d = new StringBuilder();
        d.append("*").append(SafeText.label(f.title(), true)).append("* (").append(code(f.ruleId())).append(")\n");
        if (h.aggregate() == null) {
            if (who != null || h.actor() != null) {
                d.append("*Who:* ").append(code(who != null ? whoRaw(rows) : h.actor()));
                if (arns != null) {
                    d.append(" (").append(code(distinctRaw(rows, ARN, v -> v.startsWith("arn:")))).append(")");
                }
                d.append("\n");
            }
            if (h.verb() != null || h.object() != null) {
                d.append("*What:* ").append(code(join(" ", h.verb(), h.object(), h.detail()))).append("\n");
            }
            if (h.outcome() != null) {
                d.append("*Outcome:* ").append(code(h.outcome())).append("\n");
            }
        }
        d.append("*Events:* ").append(f.matchCount()).append("   *Cluster:* ").append(code(context.cluster()))
                .append("   *Severity:* ").append(sev);
        if (f.groupKey() != null) {
            d.append("\n*Group:* ").append(SafeText.slackCode(f.groupKey()));
        }
        d.append("\n*When:* ").append(SafeText.slack(when, 200));
        if (!summary.isEmpty()) {
            d.append("\n\n").append(summary);
        }
        int slackRows = Math.min(shown, SLACK_ROWS);
        if (slackRows > 0) {
            d.append("\n```");
            for (int i = 0; i < slackRows; i++) {
                d.append("\n").append(rowText(rows.get(i), true));
            }
            d.append("\n```");
        }
        long slackNotShown = (rows.size() - slackRows) + f.rowsOmitted();
        if (slackNotShown > 0) {
            d.append("\n_").append(slackNotShown).append(slackNotShown == 1 ? " more row" : " more rows")
                    .append(" in the email and in Logs Insights_");
        }
        if (!cuts.isEmpty()) {
            d.append("\n_Shortened to fit 256 KB: ").append(String.join("; ", cuts)).append("_");
        }
        List<String> next = new ArrayList<>();
        if (link != null) {
            next.add("<" + link + "|Open the query in CloudWatch Logs Insights> (window " + window(f) + ")");
        } else {
            next.add("Run the rule's query in CloudWatch Logs Insights (window " + window(f) + ")");
        }
        if (runbook != null) {
            String url = runbookUrl(runbook);
            next.add(url != null ? "<" + url + "|Runbook>" + (url.equals(runbook) ? "" : " (the steps are in the email)")
                    : "Runbook: in the email, and in the rule file " + f.ruleId() + ".yaml");
        }
        List<String> keywords = new ArrayList<>(List.of(sev, context.cluster(), f.ruleId()));
        keywords.addAll(rule.tags());
        String title = ":rotating_light: [" + sev + "] " + cut(h.render(f.title(), context.cluster(),
                v -> SafeText.slack(v, 200)), 400);
        String chatbot = chatbot(title, d.toString(), next, keywords,
                "eks-lookout/" + context.cluster() + "/" + f.ruleId(), subject, "eks-lookout.finding",
                Map.of("ruleId", f.ruleId(), "cluster", context.cluster(), "severity", f.severity(),
                        "matchCount", String.valueOf(f.matchCount())));
        return new Notification("finding", subject, t.toString(), chatbot,
                attributes(f.severity(), f.ruleId(), "finding"), cuts);
    }

    /** Rows shown in the Slack card (the email shows up to the builder's rowsShown). */
    static final int SLACK_ROWS = 5;

    /** The runbook's link: the runbook itself when it is a URL, else the first https URL in its text. */
    static String runbookUrl(String runbook) {
        var m = java.util.regex.Pattern.compile("https://[^\\s<>|]+").matcher(runbook);
        if (!m.find()) {
            return null;
        }
        String url = m.group().replaceAll("[.,;:)]+$", "");
        return url.length() <= 500 ? url : null;
    }

    private static String join(String sep, String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (p != null && !p.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append(sep);
                }
                sb.append(p);
            }
        }
        return sb.toString();
    }

    /**
     * One message listing many findings (sent instead of one message each when a run has too many): one headline
     * per finding, most severe first, and one console link for the window (every audit event in it), so 14
     * findings make a few KB, not tens of KB of links.
     */
    public Notification digest(List<Finding> findings, Map<String, RuleInfo> rules, Instant windowStart,
                               Instant windowEnd) {
        int shown = findings.size();
        while (true) {
            Notification n = digest(findings, rules, windowStart, windowEnd, shown);
            if (n.sizeBytes() <= BUDGET || shown == 0) {
                return n;
            }
            shown = shown / 2;
        }
    }

    /** The longest headline in a digest. */
    static final int DIGEST_LINE = 400;

    /** The query behind the digest's one link: every audit event of the window, newest first. */
    static final String WINDOW_QUERY = "filter @logStream like /^kube-apiserver-audit/\n"
            + "| fields @timestamp, user.username, verb, objectRef.resource, objectRef.namespace, objectRef.name,"
            + " responseStatus.code, sourceIPs.0\n| sort @timestamp desc";

    private Notification digest(List<Finding> findings, Map<String, RuleInfo> rules, Instant windowStart,
                                Instant windowEnd, int shown) {
        String top = findings.stream().map(Finding::severity).max((a, b) -> rank(a) - rank(b)).orElse("info");
        String where = clustersOf(findings);
        Set<String> ruleIds = new LinkedHashSet<>();
        findings.forEach(f -> ruleIds.add(f.ruleId()));
        long events = findings.stream().mapToLong(Finding::matchCount).sum();
        String subject = SafeText.subject("[" + top.toUpperCase(Locale.ROOT) + "] eks-lookout: " + findings.size()
                + " findings on " + where + " (" + ruleIds.size() + " rules)", SUBJECT_MAX);
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort((a, b) -> rank(b.severity()) - rank(a.severity()));
        String link = link(WINDOW_QUERY, windowStart, windowEnd);
        StringBuilder t = new StringBuilder(subject).append("\n\n");
        t.append(findings.size()).append(" findings (").append(events).append(" matching events) from ")
                .append(ruleIds.size()).append(" rules on cluster ").append(SafeText.plain(where))
                .append(", window ").append(TIME.format(windowStart)).append(" - ").append(TIME.format(windowEnd))
                .append(".\nOne message per finding was not sent to avoid a flood; the most severe come first.\n\n");
        StringBuilder d = new StringBuilder();
        d.append("*").append(findings.size()).append(" findings* from ").append(ruleIds.size())
                .append(" rules, window ").append(TIME.format(windowStart)).append(" - ").append(TIME.format(windowEnd));
        int slackLines = 0;
        for (int i = 0; i < shown; i++) {
            Finding f = sorted.get(i);
            List<Map<String, String>> rows = f.rows().stream().map(redactor::redact).toList();
            RuleInfo rule = rules.getOrDefault(f.ruleId(), new RuleInfo(f.ruleId(), f.title(), f.severity(), "",
                    null, "", List.of()));
            Headline h = Headline.of(f, rule, rows);
            String sev = f.severity().toUpperCase(Locale.ROOT);
            // one line each, bounded: a digest of 14 stays a few KB even with long names from the logs
            t.append(String.format("%-11s", "[" + sev + "]")).append(cutWords(h.render(f.title(), clusterOf(f),
                    v -> SafeText.plain(v, 160)), DIGEST_LINE)).append(" (").append(f.ruleId()).append(")\n");
            if (slackLines < 15) {
                d.append("\n\u2022 *").append(sev).append("* ")
                        .append(cut(h.render(f.title(), clusterOf(f), v -> SafeText.slack(v, 120)), 300));
                slackLines++;
            }
        }
        if (shown < sorted.size()) {
            t.append("(").append(sorted.size() - shown).append(" more findings not shown: the message limit is 256 KB)\n");
        }
        if (sorted.size() > slackLines) {
            d.append("\n_").append(sorted.size() - slackLines).append(" more findings in the email_");
        }
        t.append("\nInvestigate (every audit event of the window in CloudWatch Logs Insights; each rule's own query is")
                .append(" in its rule file):\n").append(link).append("\n");
        t.append("\n-- eks-lookout. Values taken from logs are shown defanged and cut.\n");
        List<String> keywords = new ArrayList<>(List.of(top.toUpperCase(Locale.ROOT), where, "digest"));
        String chatbot = chatbot(":rotating_light: " + subject, d.toString(),
                List.of("<" + link + "|Open the window's audit events in CloudWatch Logs Insights>",
                        "Read the email digest: one line per finding"), keywords,
                "eks-lookout/" + where + "/digest", subject, "eks-lookout.digest",
                Map.of("cluster", where, "findings", String.valueOf(findings.size())));
        return new Notification("digest", subject, t.toString(), chatbot, attributes(top, "digest", "digest", where));
    }

    /** A minimal digest (counts and rule ids) for when the full one cannot be built. */
    public Notification bareDigest(List<Finding> findings, Instant windowStart, Instant windowEnd, String why) {
        String top = findings.stream().map(Finding::severity).max((a, b) -> rank(a) - rank(b)).orElse("info");
        String where = clustersOf(findings);
        Set<String> ruleIds = new LinkedHashSet<>();
        findings.forEach(f -> ruleIds.add(SafeText.subject(f.ruleId(), 100)));
        String subject = SafeText.subject("[" + top.toUpperCase(Locale.ROOT) + "] eks-lookout: " + findings.size()
                + " findings on " + where + " (" + ruleIds.size() + " rules)", SUBJECT_MAX);
        String ids = cut(String.join(", ", ruleIds), 5000);
        String t = subject + "\n\n" + findings.size() + " findings from rules " + ids + ", window "
                + TIME.format(windowStart) + " - " + TIME.format(windowEnd) + ".\nThis is a short form of the digest: "
                + SafeText.plain(why, 500) + ". Run the rules' queries in CloudWatch Logs Insights over the window.\n";
        String d = "*" + findings.size() + " findings* from rules " + SafeText.slack(ids, 2000) + "\n_Short form: "
                + SafeText.slack(why, 500) + "_";
        String chatbot = chatbot(":rotating_light: " + subject, d, List.of("Run the rules' queries in CloudWatch "
                        + "Logs Insights over the window"), List.of(top.toUpperCase(Locale.ROOT), where,
                        "digest"), "eks-lookout/" + where + "/digest", subject, "eks-lookout.digest",
                Map.of("cluster", where, "findings", String.valueOf(findings.size())));
        return new Notification("digest", subject, t, chatbot, attributes(top, "digest", "digest", where),
                List.of("short form: " + why));
    }

    /** One message listing the rules that failed in a run (and warnings), so a blind spot is never silent. */
    public Notification health(Map<String, String> ruleErrors, List<String> warnings, int rulesRun) {
        String subject = SafeText.subject("[HEALTH] eks-lookout: " + (ruleErrors.isEmpty() ? "warnings"
                : ruleErrors.size() + " of " + rulesRun + " rules failed") + " on " + context.cluster(), SUBJECT_MAX);
        StringBuilder t = new StringBuilder(subject).append("\n\n");
        StringBuilder d = new StringBuilder();
        if (!ruleErrors.isEmpty()) {
            t.append("These rules could not run, so their detections were not checked in this window:\n");
            d.append("*Rules that could not run* (their detections were not checked):");
            for (Map.Entry<String, String> e : ruleErrors.entrySet()) {
                e = Map.entry(e.getKey(), redactor.text(e.getValue()));
                t.append("  - ").append(e.getKey()).append(": ").append(SafeText.plain(e.getValue(), 1000))
                        .append("\n");
                d.append("\n• ").append(SafeText.slackCode(e.getKey())).append(": ")
                        .append(SafeText.slack(e.getValue(), 500));
            }
        }
        if (!warnings.isEmpty()) {
            t.append("\nWarnings:\n");
            d.append("\n*Warnings:*");
            for (String w0 : warnings) {
                String w = redactor.text(w0);
                t.append("  - ").append(SafeText.plain(w, 1000)).append("\n");
                d.append("\n• ").append(SafeText.slack(w, 500));
            }
        }
        t.append("\nCheck the function's logs (one JSON line per run) and the rules named above.\n");
        String text = cut(t.toString(), BUDGET / 3);
        String chatbot = chatbot(":warning: " + subject, cut(d.toString(), 3000),
                List.of("Check the eks-lookout function's CloudWatch logs for this run"),
                List.of("HEALTH", context.cluster()), "eks-lookout/" + context.cluster() + "/health", subject,
                "eks-lookout.health", Map.of("cluster", context.cluster(), "failedRules",
                        String.valueOf(ruleErrors.size())));
        return new Notification("health", subject, text, chatbot, attributes("high", "health", "health"));
    }

    private Map<String, String> attributes(String severity, String ruleId, String kind) {
        return attributes(severity, ruleId, kind, context.cluster());
    }

    private Map<String, String> attributes(String severity, String ruleId, String kind, String cluster) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("severity", severity);
        a.put("ruleId", ruleId);
        a.put("cluster", cluster);
        a.put("kind", kind);
        return a;
    }

    private static String chatbot(String title, String description, List<String> nextSteps, List<String> keywords,
                                  String threadId, String summary, String eventType, Map<String, String> extra) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", "1.0");
        root.put("source", "custom");
        ObjectNode content = root.putObject("content");
        content.put("textType", "client-markdown");
        content.put("title", title);
        content.put("description", description);
        ArrayNode ns = content.putArray("nextSteps");
        nextSteps.forEach(ns::add);
        ArrayNode kw = content.putArray("keywords");
        keywords.forEach(k -> kw.add(SafeText.slack(k, 60)));
        ObjectNode meta = root.putObject("metadata");
        meta.put("threadId", threadId);
        meta.put("summary", summary);
        meta.put("eventType", eventType);
        ObjectNode ctx = meta.putObject("additionalContext");
        new java.util.TreeMap<>(extra).forEach(ctx::put); // sorted: the same bytes every run
        return root.toString();
    }

    static int rank(String severity) {
        return switch (severity == null ? "" : severity.toLowerCase(Locale.ROOT)) {
            case "critical" -> 5;
            case "high" -> 4;
            case "medium" -> 3;
            case "low" -> 2;
            case "info" -> 1;
            default -> 0;
        };
    }

    private static String rowText(Map<String, String> row, boolean slack) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : row.entrySet()) {
            if (e.getKey().equals("@ptr") || e.getValue() == null) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(", ");
            }
            if (slack) {
                // inside a code block Slack neither formats nor links: the rule's field names are shown as written
                sb.append(SafeText.codeLabel(e.getKey())).append('=')
                        .append(SafeText.slack(e.getValue(), 200));
            } else {
                sb.append(SafeText.label(e.getKey(), false)).append('=').append(SafeText.plain(e.getValue()));
            }
            if (sb.length() > (slack ? 400 : 2000)) {
                sb.append(" …");
                break;
            }
        }
        return sb.toString();
    }

    private static String who(List<Map<String, String>> rows) {
        String raw = whoRaw(rows);
        return raw == null ? null : SafeText.plain(raw);
    }

    private static String whoRaw(List<Map<String, String>> rows) {
        return distinctRaw(rows, USER, v -> true);
    }

    private static String code(String raw) {
        return SafeText.slackCode(raw);
    }

    private static String distinct(List<Map<String, String>> rows, List<String> fields,
                                   java.util.function.Predicate<String> ok) {
        String raw = distinctRaw(rows, fields, ok);
        return raw == null ? null : SafeText.plain(raw, 1000);
    }

    /** Up to three distinct values of the first of {@code fields} present, "a, b, c (+N more)". */
    private static String distinctRaw(List<Map<String, String>> rows, List<String> fields,
                                      java.util.function.Predicate<String> ok) {
        Set<String> values = new LinkedHashSet<>();
        for (Map<String, String> r : rows) {
            for (String f : fields) {
                String v = r.get(f);
                if (v != null && !v.isBlank() && ok.test(v)) {
                    values.add(SafeText.cut(v, SafeText.MAX_VALUE_CHARS));
                    break;
                }
            }
        }
        return join(values);
    }

    private static String join(Set<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        List<String> l = new ArrayList<>(values);
        String s = String.join(", ", l.subList(0, Math.min(3, l.size())));
        return l.size() > 3 ? s + " (+" + (l.size() - 3) + " more)" : s;
    }

    private static String when(List<Map<String, String>> rows, Finding f) {
        String first = null;
        String last = null;
        for (Map<String, String> r : rows) {
            String ts = r.get("@timestamp");
            if (ts == null) {
                continue;
            }
            if (first == null || ts.compareTo(first) < 0) {
                first = ts;
            }
            if (last == null || ts.compareTo(last) > 0) {
                last = ts;
            }
        }
        String w = "window " + window(f);
        if (first == null) {
            return w;
        }
        String span = first.equals(last) ? SafeText.plain(first, 40)
                : SafeText.plain(first, 40) + " to " + SafeText.plain(last, 40);
        return span + " (" + w + ")";
    }

    private static String window(Finding f) {
        return TIME.format(f.windowStart()) + " - " + TIME.format(f.windowEnd());
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…(cut)";
    }

    /**
     * {@code s} cut to at most {@code max} characters at a word boundary (the last blank before the limit, unless
     * that would lose more than a fifth of it), ending with "… (N more characters)".
     */
    static String cutWords(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max;
        for (int i = max; i > max * 4 / 5; i--) {
            if (Character.isWhitespace(s.charAt(i))) {
                end = i;
                break;
            }
        }
        if (end == max && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        String head = s.substring(0, end).stripTrailing();
        return head + "\u2026 (" + (s.length() - head.length()) + " more characters)";
    }
}
