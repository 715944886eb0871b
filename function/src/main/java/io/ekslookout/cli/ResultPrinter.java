package io.ekslookout.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import io.ekslookout.query.QueryResult;
import io.ekslookout.query.ResultRow;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints a {@link QueryResult}: an aligned text table, CSV like the CloudWatch console's export (RFC 4180), or JSON
 * Lines (one object per row, field to value in display order, absent fields omitted as GetQueryResults omits them).
 * Columns are the result's columns in display order ({@code @ptr} is not shown). Log text cannot rewrite the
 * terminal or run in a spreadsheet: the table escapes control, bidi and zero-width characters, CSV also neutralises
 * formula cells, JSON writes the same characters as backslash-u escapes ({@link TerminalText}).
 */
public final class ResultPrinter {
    public enum Format {
        TABLE, CSV, JSON;

        /** Case-insensitive, for picocli and configuration. */
        public static Format parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown format '" + s + "'; expected table, csv or json");
            }
        }
    }

    private final Format format;

    public ResultPrinter(Format format) {
        this.format = format;
    }

    public void print(QueryResult result, PrintWriter out) {
        List<String> columns = visibleColumns(result);
        switch (format) {
            case CSV:
                csv(columns, result.rows(), out);
                break;
            case JSON:
                json(columns, result.rows(), out);
                break;
            default:
                table(columns, result.rows(), out);
        }
        out.flush();
    }

    static List<String> visibleColumns(QueryResult result) {
        List<String> columns = new ArrayList<>();
        for (String c : result.columns()) {
            if (!c.equals("@ptr") && !columns.contains(c)) {
                columns.add(c);
            }
        }
        return columns;
    }

    private static void table(List<String> columns, List<ResultRow> rows, PrintWriter out) {
        if (columns.isEmpty()) {
            out.println("(no columns)");
            return;
        }
        int[] width = new int[columns.size()];
        List<String[]> cells = new ArrayList<>(rows.size());
        for (int c = 0; c < columns.size(); c++) {
            width[c] = displayWidth(safe(columns.get(c)));
        }
        for (ResultRow row : rows) {
            String[] line = new String[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                String v = row.get(columns.get(c));
                line[c] = v == null ? "" : safe(v);
                width[c] = Math.max(width[c], displayWidth(line[c]));
            }
            cells.add(line);
        }
        String[] header = new String[columns.size()];
        String[] rule = new String[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            header[c] = safe(columns.get(c));
            rule[c] = "-".repeat(width[c]);
        }
        tableLine(header, width, out);
        tableLine(rule, width, out);
        for (String[] line : cells) {
            tableLine(line, width, out);
        }
    }

    private static void tableLine(String[] cells, int[] width, PrintWriter out) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                sb.append(" | ");
            }
            sb.append(cells[c]);
            if (c < cells.length - 1) {
                sb.append(" ".repeat(width[c] - displayWidth(cells[c])));
            }
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        out.print(sb);
        out.print('\n');
    }

    private static int displayWidth(String s) {
        return s.codePointCount(0, s.length());
    }

    /** The text with control and invisible characters escaped: {@link TerminalText#escape}. */
    static String safe(String s) {
        return TerminalText.escape(s);
    }

    private static void csv(List<String> columns, List<ResultRow> rows, PrintWriter out) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            if (c > 0) {
                sb.append(',');
            }
            csvField(TerminalText.csvHeader(columns.get(c)), sb);
        }
        sb.append("\r\n");
        out.print(sb);
        for (ResultRow row : rows) {
            sb.setLength(0);
            for (int c = 0; c < columns.size(); c++) {
                if (c > 0) {
                    sb.append(',');
                }
                String v = row.get(columns.get(c));
                if (v != null) {
                    csvField(TerminalText.csvCell(v), sb);
                }
            }
            sb.append("\r\n");
            out.print(sb);
        }
    }

    /**
     * RFC 4180: a field with a comma, quote, CR or LF is quoted, and its quotes doubled. The caller passes the cell
     * through {@link TerminalText#csvCell} first (formula neutralising, control escapes).
     */
    static void csvField(String v, StringBuilder sb) {
        boolean quote = false;
        for (int i = 0; i < v.length() && !quote; i++) {
            char ch = v.charAt(i);
            quote = ch == ',' || ch == '"' || ch == '\r' || ch == '\n';
        }
        if (!quote) {
            sb.append(v);
            return;
        }
        sb.append('"');
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            if (ch == '"') {
                sb.append('"');
            }
            sb.append(ch);
        }
        sb.append('"');
    }

    private static void json(List<String> columns, List<ResultRow> rows, PrintWriter out) {
        try {
            for (ResultRow row : rows) {
                java.io.StringWriter line = new java.io.StringWriter();
                try (JsonGenerator g = TerminalText.JSON.createGenerator(line)) {
                    g.writeStartObject();
                    for (String c : columns) {
                        String v = row.get(c);
                        if (v != null) {
                            g.writeStringField(c, v);
                        }
                    }
                    g.writeEndObject();
                }
                out.print(line);
                out.print('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
