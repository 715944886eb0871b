package io.ekslookout.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ekslookout.aws.AwsClients;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A moto server ({@code python3 -m moto.server}) on a free loopback port, started once per test JVM by the tests
 * that use this extension and stopped when the JVM's tests end. When python3 or moto is missing the tests are
 * skipped with a clear message, except under CI ({@code CI} set), where that is an error: {@code .ci/run} installs
 * {@code moto[server]}.
 */
public final class MotoServer implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(MotoServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A running server. */
    public static final class Instance implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private final Process process;
        public final URI endpoint;
        final String unavailable;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        Instance(Process process, URI endpoint, String unavailable) {
            this.process = process;
            this.endpoint = endpoint;
            this.unavailable = unavailable;
        }

        /** SDK clients pointed at this server with dummy credentials. */
        public AwsClients clients() {
            return new AwsClients("us-east-1", endpoint).withCredentials(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create("testing", "testing")));
        }

        /** Forgets every resource (POST /moto-api/reset). */
        public void reset() {
            send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
        }

        /** moto's internal model dump (GET /moto-api/data.json). */
        public JsonNode data() {
            try {
                return JSON.readTree(send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json")).GET().build()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** What SNS stored as sent to the topic: [messageId, message, subject, attributes, groupId] each; null
         *  when moto has no such topic. */
        public JsonNode sentNotifications(String topicArn) {
            for (JsonNode topic : data().at("/sns/Topic")) {
                if (topic.path("arn").asText().equals(topicArn)) {
                    return topic.get("sent_notifications");
                }
            }
            return null;
        }

        private String send(HttpRequest r) {
            try {
                HttpResponse<String> resp = http.send(r, HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() >= 300) {
                    throw new IllegalStateException(r.uri() + " -> HTTP " + resp.statusCode());
                }
                return resp.body();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {
            if (process != null) {
                process.destroy();
                try {
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Writes a rule that fires on every event (the wire-path tests' rule) into {@code dir/rules}; returns it. */
    public static Path writeWireRule(Path dir) throws IOException {
        Path rules = Files.createDirectories(dir.resolve("rules"));
        Files.writeString(rules.resolve("audit-event-seen.yaml"), """
                id: audit-event-seen
                title: Audit event seen
                severity: high
                description: Fires on every audit event (a wire-path test rule).
                query: |
                  fields @timestamp, @message, @logStream
                  | sort @timestamp desc
                runbook: https://example.com/runbook
                tags: [T1098]
                summary: One line on why it matters.
                """);
        return rules;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Instance i = instance(context);
        if (i.unavailable != null && System.getenv("CI") != null) {
            throw new IllegalStateException("moto server is required under CI: " + i.unavailable);
        }
        assumeTrue(i.unavailable == null, () -> "skipped: " + i.unavailable);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == Instance.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return instance(e);
    }

    private static Instance instance(ExtensionContext context) {
        return context.getRoot().getStore(NS).getOrComputeIfAbsent("moto", k -> start(), Instance.class);
    }

    private static Instance start() {
        String python = System.getenv().getOrDefault("MOTO_PYTHON", "python3");
        try {
            Process check = new ProcessBuilder(python, "-c", "import moto.server, flask").redirectErrorStream(true)
                    .start();
            String out = new String(check.getInputStream().readAllBytes());
            if (!check.waitFor(60, TimeUnit.SECONDS) || check.exitValue() != 0) {
                return new Instance(null, null, "moto[server] is not installed for " + python
                        + " (pip install 'moto[server]'): " + out.strip());
            }
        } catch (IOException e) {
            return new Instance(null, null, python + " not found: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Instance(null, null, "interrupted");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            Path log = Files.createTempFile("moto-", ".log");
            Process p = new ProcessBuilder(List.of(python, "-m", "moto.server", "-H", "127.0.0.1", "-p",
                    String.valueOf(port))).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < until) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("moto server exited: " + Files.readString(log));
                }
                try {
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json"))
                            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
                        return new Instance(p, endpoint, null);
                    }
                } catch (IOException notYet) {
                    Thread.sleep(200);
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("moto server did not start within 60 s; log: " + log);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
