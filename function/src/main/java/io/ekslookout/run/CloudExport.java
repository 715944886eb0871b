package io.ekslookout.run;

import io.ekslookout.aws.AwsClients;
import io.ekslookout.aws.AwsErrors;
import io.ekslookout.aws.EventBridgeSender;
import io.ekslookout.aws.SecurityHubImporter;
import io.ekslookout.detect.Finding;
import io.ekslookout.export.ExportContext;
import io.ekslookout.export.Exports;
import io.ekslookout.notify.RuleInfo;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Sends a run's findings to Security Hub and/or an EventBridge bus, the same way for the Lambda (SECURITY_HUB,
 * EVENT_BUS) and the CLI (--security-hub, --event-bus). Each destination is isolated: one failing does not stop the
 * other, and every finding that did not go out is one line in {@link Report#failures()}.
 */
public final class CloudExport {
    /**
     * What went out.
     *
     * @param done     one line per destination: what was sent
     * @param failures one line per finding or event that was not sent, naming the destination
     * @param warnings one line per event sent shortened
     */
    public record Report(List<String> done, List<String> failures, List<String> warnings) {
        public Report {
            done = List.copyOf(done);
            failures = List.copyOf(failures);
            warnings = List.copyOf(warnings);
        }

        public static final Report NONE = new Report(List.of(), List.of(), List.of());
    }

    private final Supplier<ExportContext> context;
    private final SecurityHubImporter hub;
    private final EventBridgeSender events;
    private final String busLabel;
    private final String busName;
    private final Clock clock;

    /**
     * @param context  where findings come from (resolving it may call STS: only when something is exported)
     * @param hub      the Security Hub importer, or null
     * @param events   the EventBridge sender, or null
     * @param busLabel how to name the bus in messages
     * @param busName  the bus for the entries' size (null: default bus)
     */
    public CloudExport(Supplier<ExportContext> context, SecurityHubImporter hub, EventBridgeSender events,
                       String busLabel, String busName, Clock clock) {
        this.context = context;
        this.hub = hub;
        this.events = events;
        this.busLabel = busLabel;
        this.busName = busName;
        this.clock = clock;
    }

    /** The exports the settings ask for, on these clients; null when none is asked for. */
    public static CloudExport of(AwsClients clients, boolean securityHub, String eventBus,
                                 Supplier<ExportContext> context) {
        if (!securityHub && eventBus == null) {
            return null;
        }
        String bus = eventBus == null || eventBus.equals("default") ? null : eventBus;
        return new CloudExport(context, securityHub ? SecurityHubImporter.of(clients) : null,
                eventBus == null ? null : EventBridgeSender.of(clients, bus), eventBus, bus, Clock.systemUTC());
    }

    public Report export(List<Finding> findings, Map<String, RuleInfo> rules) {
        return export(findings, findings, rules);
    }

    /**
     * As above, with alert state: Security Hub gets every finding of the run ({@code all}: a repeat updates its
     * LastObservedAt), EventBridge only the findings that are new or due ({@code due}).
     */
    public Report export(List<Finding> all, List<Finding> due, Map<String, RuleInfo> rules) {
        List<Finding> findings = all;
        List<String> done = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        ExportContext ctx;
        try {
            ctx = context.get();
        } catch (RuntimeException e) {
            failures.add("the findings could not be exported: the account is not known: "
                    + AwsErrors.describe(e, "STS").message());
            return new Report(done, failures, warnings);
        }
        if (hub != null) {
            try {
                SecurityHubImporter.Result r = hub.importFindings(Exports.asff(findings, rules, ctx, clock.instant()));
                done.add("imported " + r.imported() + " finding(s) into Security Hub (" + ctx.productArn() + ")");
                r.failures().forEach(f -> failures.add("Security Hub: " + f));
            } catch (RuntimeException e) {
                failures.add("Security Hub: " + AwsErrors.describe(e, "Security Hub").message());
            }
        }
        if (events != null) {
            try {
                EventBridgeSender.Result r = events.send(Exports.events(due, ctx, busName));
                done.add("sent " + r.sent() + " event(s) to EventBridge bus " + busLabel);
                r.shortened().forEach(s -> warnings.add("EventBridge: " + s));
                r.failures().forEach(f -> failures.add("EventBridge: " + f));
            } catch (RuntimeException e) {
                failures.add("EventBridge: " + AwsErrors.describe(e, "EventBridge").message());
            }
        }
        return new Report(done, failures, warnings);
    }
}
