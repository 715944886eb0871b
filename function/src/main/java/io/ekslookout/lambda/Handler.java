package io.ekslookout.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.aws.AwsClients;
import io.ekslookout.run.ScheduledRun;
import io.ekslookout.run.Wiring;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.RuleProblem;
import io.ekslookout.rules.RuleValidationException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The Lambda entry point, {@code io.ekslookout.lambda.Handler::handleRequest}, for an EventBridge ScheduledEvent
 * (read as plain JSON: only its {@code time} is used). Thin: configuration and rules are read once, at cold start
 * (the constructor), and each invocation is one {@link ScheduledRun}. A bad configuration or rule set is logged
 * once at cold start and fails every invocation with the same clear message.
 */
public final class Handler implements RequestStreamHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Time kept back from the Lambda's remaining time to stop queries and publish. */
    static final long SAFETY_MILLIS = 20_000;

    private final ScheduledRun run;
    private final String initError;
    private final Consumer<String> log;

    public Handler() {
        this(System.getenv(), null, System.out::println);
    }

    Handler(Map<String, String> env, AwsClients clients, Consumer<String> log) {
        ScheduledRun r = null;
        String error = null;
        try {
            Config cfg = Config.fromEnv(env);
            List<Rule> rules = Wiring.loadRules(cfg.rulesDir(), cfg.minSeverity());
            if (rules.isEmpty()) {
                throw new IllegalStateException("no enabled rules at or above MIN_SEVERITY " + cfg.minSeverity()
                        + (cfg.rulesDir() == null ? " in the bundled rules" : " in RULES_DIR " + cfg.rulesDir()));
            }
            AwsClients c = clients != null ? clients : new AwsClients(cfg.region(), null);
            r = Wiring.scheduledRun(cfg, c, rules, log);
        } catch (Config.ConfigException | IllegalStateException e) {
            error = e.getMessage();
        } catch (RuleValidationException e) {
            error = "the rules are invalid:\n  " + e.problems().stream().map(RuleProblem::toString)
                    .collect(Collectors.joining("\n  "));
        }
        if (error != null) {
            ObjectNode line = JSON.createObjectNode().put("level", "ERROR").put("message", "eks-lookout cannot start")
                    .put("error", error);
            log.accept(line.toString());
        }
        this.run = r;
        this.initError = error;
        this.log = log;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        if (initError != null) {
            throw new IllegalStateException(initError);
        }
        Instant now = Instant.now();
        Instant time;
        try {
            time = eventTime(input.readAllBytes(), now);
        } catch (IllegalArgumentException e) {
            // the run never starts, so it cannot log its own line: say why here
            log.accept(JSON.createObjectNode().put("level", "ERROR").put("message", "eks-lookout run not started")
                    .put("error", e.getMessage()).toString());
            throw e;
        }
        Instant deadline = context == null ? null
                : now.plusMillis(Math.max(1000, context.getRemainingTimeInMillis() - SAFETY_MILLIS));
        ScheduledRun.Summary s = run.run(time, deadline);
        output.write(JSON.writeValueAsBytes(response(s)));
    }

    static ObjectNode response(ScheduledRun.Summary s) {
        ObjectNode n = JSON.createObjectNode();
        s.putWindows(n);
        n.put("rulesRun", s.rulesRun());
        n.put("ruleErrors", s.ruleErrors());
        n.put("findings", s.findings());
        n.put("published", s.published());
        n.put("publishFailures", s.publishFailures());
        n.put("bytesScanned", s.bytesScanned());
        n.put("health", s.health());
        n.put("durationMs", s.durationMillis());
        return n;
    }

    /** The ScheduledEvent's {@code time}; the current time for a manual invocation without one. */
    static Instant eventTime(byte[] event, Instant now) {
        try {
            JsonNode n = JSON.readTree(event);
            if (n != null && n.hasNonNull("time")) {
                return Instant.parse(n.get("time").asText());
            }
        } catch (IOException | DateTimeParseException e) {
            throw new IllegalArgumentException("the event is not a ScheduledEvent with an ISO-8601 'time': "
                    + e.getMessage());
        }
        return now;
    }
}
