package io.ekslookout.cli;

import io.ekslookout.aws.DynamoStateStore;
import io.ekslookout.detect.DetectionReport;
import io.ekslookout.state.AlertState;
import io.ekslookout.state.FileStateStore;
import io.ekslookout.state.StateException;
import io.ekslookout.state.StateStore;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Alert state across scans (a picocli mixin of {@code scan}): {@code --state PATH} keeps it in a local JSON file,
 * {@code --state-table NAME} in the DynamoDB table the Lambda uses. With either, a finding already notified inside
 * {@code --renotify-after} is a repeat: counted in the state and still sent to Security Hub, but not printed, not
 * published to SNS or EventBridge, and not a reason to exit 1. A state that cannot be read is exit 2, never reset.
 */
public final class StateOptions {
    @Option(names = "--state", paramLabel = "PATH",
            description = "Keep alert state in this JSON file (created when absent): findings notified within"
                    + " --renotify-after are repeats, counted but not printed or sent again.")
    Path file;

    @Option(names = "--state-table", paramLabel = "NAME",
            description = "Keep alert state in this DynamoDB table (partition key 'fingerprint'), as the Lambda does.")
    String table;

    @Option(names = "--renotify-after", paramLabel = "DURATION", defaultValue = "24h",
            description = "With --state/--state-table: notify a finding again after this long. Default:"
                    + " ${DEFAULT-VALUE}.")
    String renotifyAfter;

    /** True when a state is kept. */
    boolean enabled() {
        return file != null || table != null;
    }

    /** Checks the combination of options; returns an error message or null. */
    String check() {
        if (file != null && table != null) {
            return "give --state or --state-table, not both";
        }
        if (table != null && table.isBlank()) {
            return "--state-table needs a table name";
        }
        Duration d = TimeArgs.parseDurationOrNull(renotifyAfter);
        if (d == null || d.isNegative()) {
            return "--renotify-after '" + renotifyAfter + "' is not a duration such as 30m, 24h or 7d";
        }
        return null;
    }

    /** Where the state is, for messages. */
    String where() {
        return file != null ? file.toString() : "table " + table;
    }

    /** The alert state, or null without --state/--state-table; a state that cannot be read is exit 2. */
    AlertState open(CloudOptions cloud, java.util.List<io.ekslookout.rules.Rule> rules) {
        if (!enabled()) {
            return null;
        }
        StateStore store;
        try {
            store = file != null ? FileStateStore.open(file) : DynamoStateStore.of(cloud.clients(), table);
        } catch (StateException e) {
            throw new CliCommand.Failure(TerminalText.escape(e.getMessage()));
        }
        // a rule's renotifyAfter (tuning overlay) wins over --renotify-after for that rule
        return new AlertState(store, TimeArgs.parseDurationOrNull(renotifyAfter), AlertState.periodsOf(rules));
    }

    /** Records the run; a state that cannot be written or read is exit 2. */
    static AlertState.Decision decide(AlertState state, DetectionReport report, String cluster, Instant now) {
        try {
            return state.decide(report.findings(), report.ruleErrors(), cluster, report.window().end(), now);
        } catch (StateException e) {
            throw new CliCommand.Failure(TerminalText.escape(e.getMessage()));
        }
    }
}
