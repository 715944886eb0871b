package io.ekslookout.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.aws.InsightsBackend;
import io.ekslookout.detect.Finding;
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
 * Turns findings into SNS notifications: a plain-text email body and an AWS Chatbot custom notification.
 * Values from logs go through {@link SafeText} and {@link Redactor}; the rule's own text (title, description,
 * runbook) is the rule author's and is shown as written. Every message fits SNS's 256 KB: rows are dropped first
 * (with a note saying how many), then long text is cut.
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
    private static final List<String> NAMESPACE = List.of("objectRef.namespace", "namespace");
    private static final List<String> SOURCE = List.of("sourceIP", "sourceIPs.0", "sourceIPs", "sourceIp",
            "sourceIPAddress");
    /** Object kind and name columns, as audit fields or as the aliases the bundled rules use. */
    private static final List<String> RESOURCE = List.of("objectRef.resource", "kind", "resource");
    private static final List<String> NAME = List.of("objectRef.name", "configuration", "configMap", "secret",
            "role", "binding", "daemonSet", "pod", "service", "name");

    /**
     * Where the findings come from.
     *
     * @param cluster  the cluster's name (or the log group when no cluster is known)
     * @param logGroup the log group the rules ran on
     * @param region   the AWS region (for the console link)
     */
    public record Context(String cluster, String logGroup, String region) {
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
                InsightsBackend.queryText(ruleQuery, ingestion, null), start, end);
    }

    public MessageBuilder(Context context) {
        this(context, new Redactor(true), 5);
    }

    /**
     * One notification for one finding, always within SNS's 256 KB. When the full message does not fit it is shrunk
     * step by step, each step only when the previous was not enough: fewer rows (halved down to none), then no
     * console link (a long query makes a long link), then the rule's description and runbook cut at a word boundary
     * to {@value #TEXT_CUT} characters. The message says what was cut. If even that does not fit (a rule title or
     * tags of hundreds of KB), a {@link #bare} message announces the finding.
     */
    public Notification finding(Finding f, RuleInfo rule) {
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

    /** A digest line's console link longer than this is left out (one long query must not crowd out the rest). */
    private static final int DIGEST_LINK_MAX = 16 * 1024;

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
        String who = who(rows);
        String arns = distinct(rows, ARN, v -> v.startsWith("arn:"));
        String ns = distinct(rows, NAMESPACE, v -> true);
        String object = objects(rows);
        String src = distinct(rows, SOURCE, v -> true);
        String agents = distinct(rows, List.of("userAgent"), v -> true);
        String when = when(rows, f);
        String link = shape.withLink() ? link(rule.queryText(), f.windowStart(), f.windowEnd()) : null;
        long notShown = (rows.size() - shown) + f.rowsOmitted();
        String description = cutWords(rule.description().strip(), shape.textMax());
        String runbook = rule.runbook() == null || rule.runbook().isBlank() ? null
                : cutWords(rule.runbook().strip(), shape.textMax());

        StringBuilder t = new StringBuilder();
        t.append(subject).append("\n\n");
        t.append("What:     ").append(f.title()).append(" (rule ").append(f.ruleId()).append(", severity ")
                .append(f.severity()).append(")\n");
        t.append("Who:      ").append(who == null ? "unknown (not in the rule's fields)" : who);
        if (arns != null) {
            t.append("\n          IAM: ").append(arns);
        }
        t.append("\nWhen:     ").append(when).append("\n");
        t.append("Where:    cluster ").append(SafeText.plain(context.cluster()));
        if (ns != null) {
            t.append(", namespace ").append(ns);
        }
        if (object != null) {
            t.append(", object ").append(object);
        }
        t.append("\n");
        if (src != null || agents != null) {
            t.append("From:     ").append(src == null ? "" : src)
                    .append(agents == null ? "" : (src == null ? "" : ", ") + "user agent " + agents).append("\n");
        }
        if (f.groupKey() != null) {
            t.append("Group:    ").append(SafeText.plain(f.groupKey())).append("\n");
        }
        t.append("Events:   ").append(f.matchCount()).append(f.matchCount() == 1 ? " matching event" : " matching events")
                .append("\n\n");
        if (!description.isEmpty()) {
            t.append(description).append("\n\n");
        }
        if (runbook != null) {
            t.append("Runbook: ").append(runbook).append("\n\n");
        }
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
        t.append("\n-- eks-lookout. Values taken from logs are shown defanged (hxxps, [.]) and cut at ")
                .append(SafeText.MAX_VALUE_CHARS).append(" characters; request/response bodies and Secret data are ")
                .append("redacted.\n");

        // Chatbot (Slack) version
        StringBuilder d = new StringBuilder();
        d.append("*Who:* ").append(who == null ? "unknown" : code(whoRaw(rows)));
        if (arns != null) {
            d.append(" (").append(code(distinctRaw(rows, ARN, v -> v.startsWith("arn:")))).append(")");
        }
        d.append("\n*When:* ").append(SafeText.slack(when, 200));
        d.append("\n*Where:* cluster ").append(SafeText.slackCode(context.cluster()));
        if (ns != null) {
            d.append(", namespace ").append(code(distinctRaw(rows, NAMESPACE, v -> true)));
        }
        if (object != null) {
            d.append(", ").append(code(objectsRaw(rows)));
        }
        d.append("\n*Events:* ").append(f.matchCount());
        if (f.groupKey() != null) {
            d.append("  *Group:* ").append(SafeText.slackCode(f.groupKey()));
        }
        if (!description.isEmpty()) {
            d.append("\n").append(cutWords(description, TEXT_CUT));
        }
        int slackRows = Math.min(shown, 3);
        if (slackRows > 0) {
            d.append("\n```");
            for (int i = 0; i < slackRows; i++) {
                d.append("\n").append(rowText(rows.get(i), true));
            }
            d.append("\n```");
        }
        long slackNotShown = (rows.size() - slackRows) + f.rowsOmitted();
        if (slackNotShown > 0) {
            d.append("\n_").append(slackNotShown).append(" more rows in the email and the Logs Insights link_");
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
            String rb = runbook;
            next.add(rb.startsWith("https://") && !rb.contains(" ") ? "<" + rb + "|Runbook>" : "Runbook: " + rb);
        }
        List<String> keywords = new ArrayList<>(List.of(sev, context.cluster(), f.ruleId()));
        keywords.addAll(rule.tags());
        String chatbot = chatbot(":rotating_light: " + subject, d.toString(), next, keywords,
                "eks-lookout/" + context.cluster() + "/" + f.ruleId(), subject, "eks-lookout.finding",
                Map.of("ruleId", f.ruleId(), "cluster", context.cluster(), "severity", f.severity(),
                        "matchCount", String.valueOf(f.matchCount())));
        return new Notification("finding", subject, t.toString(), chatbot,
                attributes(f.severity(), f.ruleId(), "finding"), cuts);
    }

    /** One message listing many findings (sent instead of one message each when a run has too many). */
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

    private Notification digest(List<Finding> findings, Map<String, RuleInfo> rules, Instant windowStart,
                                Instant windowEnd, int shown) {
        String top = findings.stream().map(Finding::severity).max((a, b) -> rank(a) - rank(b)).orElse("info");
        Set<String> ruleIds = new LinkedHashSet<>();
        findings.forEach(f -> ruleIds.add(f.ruleId()));
        long events = findings.stream().mapToLong(Finding::matchCount).sum();
        String subject = SafeText.subject("[" + top.toUpperCase(Locale.ROOT) + "] eks-lookout: " + findings.size()
                + " findings on " + context.cluster() + " (" + ruleIds.size() + " rules)", SUBJECT_MAX);
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort((a, b) -> rank(b.severity()) - rank(a.severity()));
        StringBuilder t = new StringBuilder(subject).append("\n\n");
        t.append(findings.size()).append(" findings (").append(events).append(" matching events) from ")
                .append(ruleIds.size()).append(" rules on cluster ").append(SafeText.plain(context.cluster()))
                .append(", window ").append(TIME.format(windowStart)).append(" - ").append(TIME.format(windowEnd))
                .append(".\nOne message per finding was not sent to avoid a flood; the most severe come first.\n\n");
        StringBuilder d = new StringBuilder();
        d.append("*").append(findings.size()).append(" findings* from ").append(ruleIds.size())
                .append(" rules, window ").append(TIME.format(windowStart)).append(" - ").append(TIME.format(windowEnd));
        int slackLines = 0;
        for (int i = 0; i < shown; i++) {
            Finding f = sorted.get(i);
            List<Map<String, String>> rows = f.rows().stream().map(redactor::redact).toList();
            String who = who(rows);
            t.append("[").append(f.severity().toUpperCase(Locale.ROOT)).append("] ").append(f.title())
                    .append(" (").append(f.ruleId()).append("): ").append(f.matchCount()).append(" events")
                    .append(who == null ? "" : ", by " + who)
                    .append(f.groupKey() == null ? "" : ", group " + SafeText.plain(f.groupKey())).append("\n");
            RuleInfo rule = rules.get(f.ruleId());
            if (rule != null) {
                String l = link(rule.queryText(), f.windowStart(), f.windowEnd());
                t.append("    ").append(l.length() <= DIGEST_LINK_MAX ? l
                        : "(no console link: the rule's query is too long for one)").append("\n");
            }
            if (slackLines < 15) {
                d.append("\n• *").append(f.severity().toUpperCase(Locale.ROOT)).append("* ").append(f.title())
                        .append(": ").append(f.matchCount()).append(" events")
                        .append(who == null ? "" : ", by " + code(whoRaw(rows)));
                slackLines++;
            }
        }
        if (shown < sorted.size()) {
            t.append("(").append(sorted.size() - shown).append(" more findings not shown: the message limit is 256 KB)\n");
        }
        if (sorted.size() > slackLines) {
            d.append("\n_").append(sorted.size() - slackLines).append(" more findings in the email_");
        }
        t.append("\n-- eks-lookout. Values taken from logs are shown defanged and cut.\n");
        List<String> keywords = new ArrayList<>(List.of(top.toUpperCase(Locale.ROOT), context.cluster(), "digest"));
        String chatbot = chatbot(":rotating_light: " + subject, d.toString(),
                List.of("Read the email digest for every finding with its Logs Insights link"), keywords,
                "eks-lookout/" + context.cluster() + "/digest", subject, "eks-lookout.digest",
                Map.of("cluster", context.cluster(), "findings", String.valueOf(findings.size())));
        return new Notification("digest", subject, t.toString(), chatbot, attributes(top, "digest", "digest"));
    }

    /** A minimal digest (counts and rule ids) for when the full one cannot be built. */
    public Notification bareDigest(List<Finding> findings, Instant windowStart, Instant windowEnd, String why) {
        String top = findings.stream().map(Finding::severity).max((a, b) -> rank(a) - rank(b)).orElse("info");
        Set<String> ruleIds = new LinkedHashSet<>();
        findings.forEach(f -> ruleIds.add(SafeText.subject(f.ruleId(), 100)));
        String subject = SafeText.subject("[" + top.toUpperCase(Locale.ROOT) + "] eks-lookout: " + findings.size()
                + " findings on " + context.cluster() + " (" + ruleIds.size() + " rules)", SUBJECT_MAX);
        String ids = cut(String.join(", ", ruleIds), 5000);
        String t = subject + "\n\n" + findings.size() + " findings from rules " + ids + ", window "
                + TIME.format(windowStart) + " - " + TIME.format(windowEnd) + ".\nThis is a short form of the digest: "
                + SafeText.plain(why, 500) + ". Run the rules' queries in CloudWatch Logs Insights over the window.\n";
        String d = "*" + findings.size() + " findings* from rules " + SafeText.slack(ids, 2000) + "\n_Short form: "
                + SafeText.slack(why, 500) + "_";
        String chatbot = chatbot(":rotating_light: " + subject, d, List.of("Run the rules' queries in CloudWatch "
                        + "Logs Insights over the window"), List.of(top.toUpperCase(Locale.ROOT), context.cluster(),
                        "digest"), "eks-lookout/" + context.cluster() + "/digest", subject, "eks-lookout.digest",
                Map.of("cluster", context.cluster(), "findings", String.valueOf(findings.size())));
        return new Notification("digest", subject, t, chatbot, attributes(top, "digest", "digest"),
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
                t.append("  - ").append(e.getKey()).append(": ").append(SafeText.plain(e.getValue(), 1000))
                        .append("\n");
                d.append("\n• ").append(SafeText.slackCode(e.getKey())).append(": ")
                        .append(SafeText.slack(e.getValue(), 500));
            }
        }
        if (!warnings.isEmpty()) {
            t.append("\nWarnings:\n");
            d.append("\n*Warnings:*");
            for (String w : warnings) {
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
        Map<String, String> a = new LinkedHashMap<>();
        a.put("severity", severity);
        a.put("ruleId", ruleId);
        a.put("cluster", context.cluster());
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
        extra.forEach(ctx::put);
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
                sb.append(SafeText.label(e.getKey(), true)).append('=').append(SafeText.slack(e.getValue(), 200));
            } else {
                sb.append(SafeText.label(e.getKey(), false)).append('=').append(SafeText.plain(e.getValue()));
            }
            if (sb.length() > 2000) {
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

    private static String objects(List<Map<String, String>> rows) {
        String raw = objectsRaw(rows);
        return raw == null ? null : SafeText.plain(raw, 1000);
    }

    private static String objectsRaw(List<Map<String, String>> rows) {
        Set<String> values = new LinkedHashSet<>();
        for (Map<String, String> r : rows) {
            String res = first(r, RESOURCE);
            String name = first(r, NAME);
            String sub = first(r, List.of("objectRef.subresource", "subresource"));
            if (res == null && name == null) {
                continue;
            }
            values.add(SafeText.cut((res == null ? "?" : res) + (name == null ? "" : "/" + name)
                    + (sub == null ? "" : "/" + sub), SafeText.MAX_VALUE_CHARS));
        }
        return join(values);
    }

    private static String first(Map<String, String> row, List<String> fields) {
        for (String f : fields) {
            String v = row.get(f);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
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
