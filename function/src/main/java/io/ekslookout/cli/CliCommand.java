package io.ekslookout.cli;

import io.ekslookout.aws.AwsErrors;
import io.ekslookout.logs.LocalLogs;
import io.ekslookout.logs.ReadReport;
import io.ekslookout.rules.RuleValidationException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * What every subcommand shares (wiring, no logic): its output streams, flushed when it ends; a {@link Failure}
 * ends it with one "error: ..." line and exit code 2 (3 for an AWS problem of the moment); invalid rules print every located problem and exit 2; and
 * opening the local logs and reporting what was malformed in them.
 */
abstract class CliCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /**
     * Bad input from the user: printed as one "error: message" line; the command exits 2 ({@link Main#BAD_INPUT}),
     * or 3 for an AWS problem of the moment ({@link #aws}).
     */
    static final class Failure extends RuntimeException {
        /** True when the message is a multi-line display (a query error with its caret line). */
        final boolean lines;
        final int exitCode;

        Failure(String message) {
            this(message, false);
        }

        Failure(String message, boolean lines) {
            this(message, lines, Main.BAD_INPUT);
        }

        private Failure(String message, boolean lines, int exitCode) {
            super(message, null, false, false);
            this.lines = lines;
            this.exitCode = exitCode;
        }

        /** An AWS problem: exit 2 when a setting must change (region, credentials, access), else 3. */
        static Failure aws(AwsErrors.Problem problem) {
            return new Failure(problem.message(), false, Main.exitCode(problem));
        }

        /** A batch a problem of every call stopped: exit 2 when a setting must change, else 3. */
        static Failure halted(io.ekslookout.detect.BatchResult.Halt halt) {
            return new Failure(halt.message(), false, halt.configuration() ? Main.BAD_INPUT : Main.INTERNAL);
        }
    }

    /** The command's work; out and err are flushed afterwards whatever happens. */
    abstract int run(PrintWriter out, PrintWriter err) throws RuleValidationException;

    @Override
    public final Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out, err);
        } catch (Failure e) {
            String prefix = "error: ";
            for (String line : e.lines ? e.getMessage().split("\n", -1) : new String[] {e.getMessage()}) {
                err.println(prefix + TerminalText.escape(line));
                prefix = "";
            }
            return e.exitCode;
        } catch (RuleValidationException e) {
            RulesOptions.printProblems(e, err);
            return 2;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The value of {@code parse}, its IllegalArgumentException (a bad argument) becoming a {@link Failure}. */
    static <T> T argument(Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new Failure(e.getMessage());
        }
    }

    /** --max-groups checked: the engine's memory caps (a Failure naming the option when below 1). */
    static io.ekslookout.query.QueryLimits limits(int maxGroups) {
        if (maxGroups < 1) {
            throw new Failure("--max-groups must be at least 1, got " + maxGroups);
        }
        return new io.ekslookout.query.QueryLimits(maxGroups);
    }

    /** The local logs at {@code path}; a Failure naming --logs when it does not exist or holds no log file. */
    static LocalLogs openLogs(Path path, String logGroup) {
        LocalLogs logs;
        try {
            logs = LocalLogs.open(path, logGroup);
        } catch (IllegalArgumentException e) {
            throw new Failure("--logs: " + e.getMessage());
        }
        try {
            if (logs.files().isEmpty()) {
                List<Path> skipped = logs.skippedFiles();
                throw new Failure("--logs: no log files in " + path + " (names ending in .json, .jsonl, .ndjson"
                        + " or .log, also rotated as .log.1 or .log-20261120, optionally .gz)" + (skipped.isEmpty() ? "" : "; not read: " + skipped.get(0)
                        + (skipped.size() > 1 ? ", ..." : "")));
            }
        } catch (IOException e) {
            throw new Failure("--logs: cannot list " + path + ": " + e.getMessage());
        }
        return logs;
    }

    /** Prints the malformed-record count and samples of a read, if any. */
    static void printMalformed(ReadReport report, PrintWriter err) {
        if (report.malformed() > 0) {
            err.println("warning: " + report.malformed() + " malformed record(s) skipped"
                    + (report.malformed() > report.malformedSamples().size() ? "; the first:" : ":"));
            err.println("  by reason: " + report.reasonsText());
            for (String s : report.malformedSamples()) {
                err.println("  " + TerminalText.escape(s));
            }
        }
    }
}
