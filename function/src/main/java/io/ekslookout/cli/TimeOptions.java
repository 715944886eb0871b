package io.ekslookout.cli;

import io.ekslookout.detect.LocalBackend;
import io.ekslookout.detect.TimeWindow;
import picocli.CommandLine.Option;

import java.time.Instant;

/** {@code --since T --until T} (and the hidden {@code --now} for tests): the time span a command reads. */
final class TimeOptions {
    @Option(names = "--since", paramLabel = "T",
            description = "Scan events at or after T: ISO-8601 time (2026-11-20T10:00:00Z) or a duration back from"
                    + " now (30m, 2h, 7d).")
    String since;

    @Option(names = "--until", paramLabel = "T", description = "Scan events before T (same forms as --since).")
    String until;

    @Option(names = "--now", hidden = true, description = "The current time (tests).")
    String nowText;

    Instant now() {
        return nowText == null ? Instant.now() : CliCommand.argument(() -> TimeArgs.parse(nowText, Instant.now()));
    }

    /** --since, or null when not given. */
    Instant since(Instant now) {
        return since == null ? null : CliCommand.argument(() -> TimeArgs.parse(since, now));
    }

    /** --until, or null when not given. */
    Instant until(Instant now) {
        return until == null ? null : CliCommand.argument(() -> TimeArgs.parse(until, now));
    }

    /** [since, until) when either is given (until defaults to now); else the whole input. */
    TimeWindow window() {
        Instant now = now();
        Instant start = since(now);
        Instant end = until(now);
        if (start == null && end == null) {
            return LocalBackend.WHOLE_INPUT;
        }
        start = start == null ? LocalBackend.WHOLE_INPUT.start() : start;
        end = end == null ? now : end;
        checkOrder(start, end);
        return new TimeWindow(start, end);
    }

    static void checkOrder(Instant start, Instant end) {
        if (!start.isBefore(end)) {
            throw new CliCommand.Failure("--since must be before --until (" + start + " is not before " + end + ")");
        }
    }
}
