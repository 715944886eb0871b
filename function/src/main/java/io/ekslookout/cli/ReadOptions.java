package io.ekslookout.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ekslookout.logs.ReadReport;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What scan and query share about reading local logs: {@code --strict} (any skipped line is an error, exit 2) and
 * {@code --report FILE} (the read's counts, skipped lines by reason and the first ten described, as one JSON
 * object: stdout keeps its documented one-object-per-finding format).
 */
final class ReadOptions {
    @Option(names = "--strict",
            description = "Exit 2 when any line of the logs was skipped (invalid JSON, bad or out-of-range timestamp,"
                    + " too long, ...), even if the rest was read.")
    boolean strict;

    @Option(names = "--report", paramLabel = "FILE",
            description = "Also write what was read as one JSON object to FILE: events, bytes, skipped lines by"
                    + " reason, the first ten skipped lines with their locations.")
    Path report;

    /** The exit code raised to 2 when --strict and something was skipped (with one line saying so on err). */
    int strictCode(int code, ReadReport read, PrintWriter err) {
        if (strict && read != null && read.malformed() > 0) {
            err.println("error: --strict: " + read.malformed() + " line(s) of the logs were skipped ("
                    + read.reasonsText() + ")");
            return Math.max(code, 2);
        }
        return code;
    }

    /** The JSON fields describing a read, in a stable order (the --report object starts with them). */
    static Map<String, Object> readFields(ReadReport read) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventsRead", read.events());
        m.put("bytesRead", read.bytes());
        m.put("skippedLines", read.malformed());
        m.put("skippedByReason", read.skippedByReason());
        m.put("skippedSamples", read.malformedSamples());
        return m;
    }

    /** Writes the --report file when asked: the read's fields, then {@code more}; a Failure when it cannot. */
    void writeReport(String command, ReadReport read, Map<String, Object> more) {
        if (report == null) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", command);
        if (read != null) {
            m.putAll(readFields(read));
        }
        m.putAll(more);
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(report.toFile(), m);
        } catch (IOException e) {
            throw new CliCommand.Failure("--report: cannot write " + report + ": " + e.getMessage());
        }
    }
}
