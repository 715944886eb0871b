package io.ekslookout.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Imports ASFF findings into Security Hub with {@code BatchImportFindings} ({@code POST /findings/import}): at most
 * {@value #BATCH_MAX} findings and {@value #BATCH_BYTES_MAX} bytes per call, a call refused for throttling or a
 * server error retried (up to {@value #ATTEMPTS} attempts, backing off), and every finding that did not go in
 * reported with its Id and Security Hub's reason ({@code FailedFindings}), the others still imported.
 *
 * <p>The call goes through {@link SignedJsonCall} rather than the SDK's securityhub module: that module is 9 MB
 * (the whole ASFF resource model), which would push the Lambda jar past its 12 MB limit, for one operation whose
 * body is the JSON {@link io.ekslookout.export.AsffMapper} already builds.
 */
public final class SecurityHubImporter {
    public static final int BATCH_MAX = 100;
    /** Security Hub's 6 MB per call, less room for the envelope. */
    static final int BATCH_BYTES_MAX = 6 * 1024 * 1024 - 1024;
    /** Security Hub's 240 KB per finding. */
    static final int FINDING_BYTES_MAX = 240 * 1024;
    static final int ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Sends one JSON POST and returns the answer. */
    public interface Transport {
        SignedJsonCall.Response post(String path, byte[] body);
    }

    /** Waits between attempts (tests pass a no-op). */
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;

        /** Sleeps; false when interrupted (the interrupt is kept), so the caller stops retrying. */
        default boolean pause(long millis) {
            try {
                sleep(millis);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * What an import did.
     *
     * @param imported findings Security Hub accepted
     * @param calls    BatchImportFindings calls made (retries included)
     * @param failures one line per finding that was not imported: its Id and why
     */
    public record Result(int imported, int calls, List<String> failures) {
        public Result {
            failures = List.copyOf(failures);
        }
    }

    private final Transport transport;
    private final Sleeper sleeper;

    public SecurityHubImporter(Transport transport, Sleeper sleeper) {
        this.transport = transport;
        this.sleeper = sleeper;
    }

    /** The importer for the clients' region, endpoint and credentials. */
    public static SecurityHubImporter of(AwsClients clients) {
        SignedJsonCall call = new SignedJsonCall(clients, "securityhub");
        return new SecurityHubImporter(call::post, Thread::sleep);
    }

    public Result importFindings(List<ObjectNode> findings) {
        int imported = 0;
        int calls = 0;
        List<String> failures = new ArrayList<>();
        List<ObjectNode> batch = new ArrayList<>();
        int batchBytes = 0;
        List<List<ObjectNode>> batches = new ArrayList<>();
        for (ObjectNode f : findings) {
            int size = f.toString().getBytes(StandardCharsets.UTF_8).length;
            if (size > FINDING_BYTES_MAX) {
                failures.add(id(f) + ": not sent: " + size + " bytes, over Security Hub's 240 KB per finding");
                continue;
            }
            if (!batch.isEmpty() && (batch.size() == BATCH_MAX || batchBytes + size > BATCH_BYTES_MAX)) {
                batches.add(batch);
                batch = new ArrayList<>();
                batchBytes = 0;
            }
            batch.add(f);
            batchBytes += size;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        for (List<ObjectNode> b : batches) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode arr = body.putArray("Findings");
            b.forEach(arr::add);
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            SignedJsonCall.Response r = null;
            String error = null;
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                calls++;
                try {
                    r = transport.post("/findings/import", bytes);
                    error = null;
                } catch (RuntimeException e) {
                    r = null;
                    error = AwsErrors.describe(e, "Security Hub").message();
                }
                if (r != null && !r.retryable()) {
                    break;
                }
                if (attempt < ATTEMPTS && !sleeper.pause(200L << (attempt - 1))) {
                    break;
                }
            }
            if (r == null) {
                String why = error;
                b.forEach(f -> failures.add(id(f) + ": not imported: " + why));
                continue;
            }
            if (r.status() >= 300) {
                String why = r.errorText();
                b.forEach(f -> failures.add(id(f) + ": not imported: " + why));
                continue;
            }
            JsonNode answer = SignedJsonCall.json(r.body());
            JsonNode failed = answer.path("FailedFindings");
            int failedHere = 0;
            for (JsonNode ff : failed) {
                failedHere++;
                failures.add(ff.path("Id").asText("(no id)") + ": " + ff.path("ErrorCode").asText("refused") + ": "
                        + ff.path("ErrorMessage").asText(""));
            }
            imported += answer.has("SuccessCount") ? answer.get("SuccessCount").asInt() : b.size() - failedHere;
        }
        return new Result(imported, calls, failures);
    }

    private static String id(ObjectNode f) {
        return f.path("Id").asText("(no id)");
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
