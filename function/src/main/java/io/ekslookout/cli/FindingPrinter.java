package io.ekslookout.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ekslookout.detect.DetectionReport;
import io.ekslookout.detect.Finding;
import io.ekslookout.logs.ReadReport;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints findings as a table for people, or as JSON Lines / CSV for tools. The JSON shape is the documented
 * docs/findings-json.md: one object per finding with exactly ruleId, severity, title, cluster, windowStart,
 * windowEnd, groupKey, matchCount, rows, rowsOmitted. Text from logs is made safe for a terminal and a spreadsheet
 * in every format ({@link TerminalText}).
 */
public final class FindingPrinter {
    /** The JSON keys, in order (docs/findings-json.md documents them; a test checks the output against this list). */
    public static final List<String> JSON_KEYS = List.of("ruleId", "severity", "title", "cluster", "windowStart", "windowEnd",
            "groupKey", "matchCount", "rows", "rowsOmitted");
    private static final JsonFactory JSON = TerminalText.JSON;
    private static final int MAX_VALUE_WIDTH = 100;
    /** Rows per finding in the table (the JSON carries the finding's full capped rows). */
    static final int TABLE_ROWS = 5;

    private final ResultPrinter.Format format;

    public FindingPrinter(ResultPrinter.Format format) {
        this.format = format;
    }

    public void print(List<Finding> findings, PrintWriter out) {
        switch (format) {
            case JSON -> findings.forEach(f -> out.println(json(f)));
            case CSV -> csv(findings, out);
            default -> table(findings, out);
        }
    }

    /** One finding as a single-line JSON object. */
    public static String json(Finding f) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("ruleId", f.ruleId());
            g.writeStringField("severity", f.severity());
            g.writeStringField("title", f.title());
            g.writeStringField("cluster", f.cluster());
            g.writeStringField("windowStart", f.windowStart().toString());
            g.writeStringField("windowEnd", f.windowEnd().toString());
            g.writeStringField("groupKey", f.groupKey());
            g.writeNumberField("matchCount", f.matchCount());
            g.writeArrayFieldStart("rows");
            for (Map<String, String> row : f.rows()) {
                g.writeStartObject();
                for (Map.Entry<String, String> e : row.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("rowsOmitted", f.rowsOmitted());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** One CSV line per shown row (a finding without rows still gets one line); the row is a JSON object. */
    private static void csv(List<Finding> findings, PrintWriter out) {
        out.println("severity,ruleId,title,cluster,groupKey,matchCount,rowsOmitted,windowStart,windowEnd,row");
        for (Finding f : findings) {
            List<Map<String, String>> rows = f.rows().isEmpty() ? List.of(Map.of()) : f.rows();
            for (Map<String, String> row : rows) {
                StringBuilder sb = new StringBuilder();
                String[] cells = {f.severity(), f.ruleId(), f.title(), f.cluster() == null ? "" : f.cluster(), f.groupKey() == null ? "" : f.groupKey(),
                        String.valueOf(f.matchCount()), String.valueOf(f.rowsOmitted()), f.windowStart().toString(),
                        f.windowEnd().toString(), rowJson(row)};
                for (int i = 0; i < cells.length; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    ResultPrinter.csvField(TerminalText.csvCell(cells[i]), sb);
                }
                out.println(sb);
            }
        }
    }

    private static String rowJson(Map<String, String> row) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            for (Map.Entry<String, String> e : row.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /**
     * For a person: per finding a header line (severity, rule, title, group, count), then its first rows as
     * field=value pairs (who, what, when), then how many rows were left out.
     */
    private static void table(List<Finding> findings, PrintWriter out) {
        for (Finding f : findings) {
            StringBuilder h = new StringBuilder();
            h.append(String.format("%-9s", TerminalText.escape(f.severity().toUpperCase(Locale.ROOT))))
                    .append(TerminalText.escape(f.ruleId())).append(" — ").append(TerminalText.escape(f.title()));
            if (f.groupKey() != null) {
                h.append("  [").append(TerminalText.escape(f.groupKey())).append(']');
            }
            if (f.cluster() != null) {
                h.append("  on ").append(TerminalText.escape(f.cluster()));
            }
            h.append("  (").append(f.matchCount()).append(f.matchCount() == 1 ? " match)" : " matches)");
            out.println(h);
            int shown = Math.min(TABLE_ROWS, f.rows().size());
            for (Map<String, String> row : f.rows().subList(0, shown)) {
                out.println("         " + rowLine(row));
            }
            long more = f.matchCount() - shown;
            if (more > 0) {
                out.println("         … " + more + " more (--format json shows up to " + f.rows().size() + ")");
            }
        }
    }

    static String rowLine(Map<String, String> row) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : row.entrySet()) {
            String v = TerminalText.escape(e.getValue());
            if (v.length() > MAX_VALUE_WIDTH) {
                v = v.substring(0, MAX_VALUE_WIDTH - 1) + "…";
            }
            parts.add(e.getKey().equals("@timestamp") ? v : TerminalText.escape(e.getKey()) + "=" + v);
        }
        return String.join("  ", parts);
    }

    /**
     * One line per distinct error: rules failing for the same reason (a missing log group fails them all) are
     * named together instead of repeating the message per rule.
     */
    private static void ruleErrors(DetectionReport report, PrintWriter out) {
        Map<String, List<String>> byMessage = new LinkedHashMap<>();
        report.ruleErrors().forEach((id, why) -> byMessage.computeIfAbsent(why, k -> new ArrayList<>()).add(id));
        byMessage.forEach((why, ids) -> {
            String who = ids.size() == 1 ? ids.get(0)
                    : ids.size() == report.rulesRun() ? "all " + ids.size() + " rules"
                    : ids.size() + " rules (" + String.join(", ", ids) + ")";
            out.println("rule error: " + who + ": " + TerminalText.escape(why));
        });
    }

    /**
     * The summary line(s): rules run, findings by severity, rule errors, events a rule could not evaluate (only when
     * there are some), events read, malformed lines; then one line per rule error and per partial result.
     */
    public static void summary(DetectionReport report, ReadReport read, int rulesLoaded, PrintWriter out) {
        StringBuilder sb = new StringBuilder();
        sb.append(report.rulesRun()).append(report.rulesRun() == 1 ? " rule run" : " rules run");
        if (rulesLoaded > report.rulesRun()) {
            sb.append(" (of ").append(rulesLoaded).append(')');
        }
        sb.append(" over ").append(report.window().start()).append(" → ").append(report.window().end());
        sb.append("; findings: ").append(report.findings().size());
        Map<String, Long> bySev = report.findingsBySeverity();
        if (!bySev.isEmpty()) {
            List<String> p = new ArrayList<>();
            bySev.forEach((k, v) -> p.add(k + " " + v));
            sb.append(" (").append(String.join(", ", p)).append(')');
        }
        sb.append("; rule errors: ").append(report.ruleErrors().size());
        if (report.totalEventErrors() > 0) {
            sb.append("; event errors: ").append(report.totalEventErrors());
        }
        if (read != null) {
            sb.append("; events read: ").append(read.events());
            sb.append("; malformed lines: ").append(read.malformed());
            if (read.malformed() > 0 && !read.skippedByReason().isEmpty()) {
                sb.append(" (").append(read.reasonsText()).append(')');
            }
        }
        if (report.totalSuppressed() > 0) {
            sb.append("; suppressed rows: ").append(report.totalSuppressed());
        }
        out.println(sb);
        if (read != null && read.events() == 0 && read.malformed() > 0) {
            out.println("error: no readable log event: every one of the " + read.malformed() + " records was malformed"
                    + " (see below), so no rule checked anything");
        } else if (read != null && read.events() == 0) {
            out.println("warning: no log events were read: is --logs the right path (log files end in .json, .jsonl,"
                    + " .ndjson or .log, optionally .gz)?");
        }
        ruleErrors(report, out);
        report.warnings().forEach(w -> out.println("warning: " + ResultPrinter.safe(w)));
        report.truncated().forEach((id, n) -> out.println("warning: rule " + id + ": " + n + " more matching events"
                + " than the query returned as rows were not checked (narrow the query or aggregate with stats)"));
        if (read != null && read.malformed() > 0) {
            for (String s : read.malformedSamples()) {
                out.println("malformed: " + TerminalText.escape(s));
            }
            if (read.malformed() > read.malformedSamples().size()) {
                out.println("malformed: … " + (read.malformed() - read.malformedSamples().size()) + " more");
            }
        }
    }
}
