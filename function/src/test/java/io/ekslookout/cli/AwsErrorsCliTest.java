package io.ekslookout.cli;

import com.sun.net.httpserver.HttpServer;
import io.ekslookout.testing.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * scan against each AWS failure an operator meets: one readable "error:" line naming the fix, no stack trace, and
 * the documented exit code (2: a setting to fix; 3: a problem of the moment). The no-region and no-credentials cases
 * run the CLI in a child JVM with an empty environment (no AWS_*, HOME without ~/.aws, instance metadata off): the
 * SDK reads the environment directly, so only a fresh process proves what happens on a bare machine.
 */
@ExtendWith(MotoServer.class)
class AwsErrorsCliTest {
    @TempDir
    Path tmp;
    Path rules;

    record Run(int code, String out, String err) {
        /** The stderr lines starting with "error:" — exactly one, and nothing that looks like a stack trace. */
        String oneError() {
            List<String> lines = err.lines().filter(l -> l.startsWith("error:")).toList();
            assertThat(lines).as(err).hasSize(1);
            assertThat(err).doesNotContain("\tat ").doesNotContain("Exception in thread");
            return lines.get(0);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        rules = MotoServer.writeWireRule(tmp);
    }

    @AfterEach
    void clear() {
        for (String p : List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.configFile", "aws.sharedCredentialsFile",
                "aws.profile")) {
            System.clearProperty(p);
        }
    }

    private static Run scan(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    private static void dummyKeys() {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    /** The CLI in a new JVM with only the given environment (nothing inherited). */
    private Run child(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().putAll(env);
        Path outFile = tmp.resolve("child.out");
        Path errFile = tmp.resolve("child.err");
        Process p = pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the CLI ends").isTrue();
        return new Run(p.exitValue(), Files.readString(outFile), Files.readString(errFile));
    }

    private Map<String, String> bareEnvironment() throws IOException {
        Path home = Files.createDirectories(tmp.resolve("home"));
        return Map.of("HOME", home.toString(), "AWS_EC2_METADATA_DISABLED", "true");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A local endpoint answering every CloudWatch Logs call with this AWS JSON error. */
    private static HttpServer failingEndpoint(int status, String type, String message, AtomicInteger calls)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            calls.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            byte[] body = ("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            ex.getResponseHeaders().add("x-amzn-ErrorType", type);
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return server;
    }

    private static String url(HttpServer s) {
        return "http://127.0.0.1:" + s.getAddress().getPort();
    }

    @Test
    void noRegionAnywhereIsExit2NamingRegion() throws Exception {
        Run r = child(bareEnvironment(), "scan", "--cluster", "prod", "--rules", rules.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.oneError()).isEqualTo("error: no AWS region configured: give --region REGION, set AWS_REGION,"
                + " or set a region in the profile (aws configure [--profile NAME])");
    }

    @Test
    void noCredentialsAnywhereIsExit2NamingHowToLogIn() throws Exception {
        Run r = child(bareEnvironment(), "scan", "--cluster", "prod", "--region", "us-east-1", "--endpoint-url",
                "http://127.0.0.1:" + closedPort(), "--rules", rules.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.oneError()).isEqualTo("error: no AWS credentials found: run 'aws configure' or 'aws sso login',"
                + " set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give --profile NAME");
    }

    @Test
    void accessDeniedNamesTheActionTheResourceAndTheCaller() throws IOException {
        dummyKeys();
        AtomicInteger calls = new AtomicInteger();
        String arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/eks/prod/cluster:*";
        HttpServer server = failingEndpoint(400, "AccessDeniedException", "User: arn:aws:iam::123456789012:user/ci"
                + " is not authorized to perform: logs:StartQuery on resource: " + arn + " because no"
                + " identity-based policy allows the logs:StartQuery action", calls);
        try {
            Run r = scan("scan", "--cluster", "prod", "--region", "us-east-1", "--endpoint-url", url(server),
                    "--rules", rules.toString());
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.oneError()).isEqualTo("error: access denied: logs:StartQuery on " + arn
                    + ": allow logs:StartQuery on that resource in the IAM policy of arn:aws:iam::123456789012:user/ci"
                    + " (or use another --profile)");
            assertThat(calls.get()).as("the batch stops at the first refusal").isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void refusedCredentialsAreExit2() throws IOException {
        dummyKeys();
        HttpServer server = failingEndpoint(400, "UnrecognizedClientException",
                "The security token included in the request is invalid.", new AtomicInteger());
        try {
            Run r = scan("scan", "--cluster", "prod", "--region", "us-east-1", "--endpoint-url", url(server),
                    "--rules", rules.toString());
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.oneError()).startsWith("error: the AWS credentials were refused (UnrecognizedClientException:"
                    + " The security token included in the request is invalid.)").contains("log in again");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnreachableEndpointIsExit3() throws IOException {
        dummyKeys();
        String endpoint = "http://127.0.0.1:" + closedPort();
        Run r = scan("scan", "--cluster", "prod", "--region", "us-east-1", "--endpoint-url", endpoint, "--rules",
                rules.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        assertThat(r.oneError()).startsWith("error: cannot reach CloudWatch Logs (")
                .endsWith("): check --region, --endpoint-url, the network and proxy settings, then retry");
    }

    @Test
    void throttledLongerThanTheTimeoutIsExit3() throws IOException {
        dummyKeys();
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = failingEndpoint(400, "ThrottlingException", "Rate exceeded", calls);
        try {
            long t0 = System.nanoTime();
            Run r = scan("scan", "--cluster", "prod", "--region", "us-east-1", "--endpoint-url", url(server),
                    "--rules", rules.toString(), "--throttle-timeout", "1s");
            assertThat(r.code()).as(r.err()).isEqualTo(3);
            assertThat(r.oneError()).startsWith("error: CloudWatch Logs Insights throttled every call for 1 s (")
                    .endsWith("the account's Logs Insights quota is busy; retry later, or lower"
                            + " --max-concurrent-queries");
            assertThat(calls.get()).isGreaterThan(1);
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(30);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theLogGroupMissingStaysExit2WithHowToEnableLogging(MotoServer.Instance moto) {
        moto.reset();
        dummyKeys();
        Run r = scan("scan", "--cluster", "ghost", "--region", "us-east-1", "--endpoint-url",
                moto.endpoint.toString(), "--rules", rules.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.oneError()).startsWith("error: control-plane logging is not enabled for cluster ghost")
                .contains("aws eks update-cluster-config --name ghost");
    }

    @Test
    void profileGivesCredentialsAndRegion(MotoServer.Instance moto) throws IOException {
        moto.reset();
        CloudWatchLogsClient logs = moto.clients().logs();
        logs.createLogGroup(b -> b.logGroupName("/aws/eks/prod/cluster"));
        logs.createLogStream(b -> b.logGroupName("/aws/eks/prod/cluster").logStreamName("kube-apiserver-audit-1"));
        Instant t = Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(600);
        logs.putLogEvents(b -> b.logGroupName("/aws/eks/prod/cluster").logStreamName("kube-apiserver-audit-1")
                .logEvents(InputLogEvent.builder().timestamp(t.toEpochMilli()).message("{\"verb\":\"get\"}").build()));
        Path config = tmp.resolve("config");
        Path credentials = tmp.resolve("credentials");
        Files.writeString(config, "[default]\nregion = eu-west-3\n\n[profile ci]\nregion = us-east-1\n");
        Files.writeString(credentials, "[ci]\naws_access_key_id = testing\naws_secret_access_key = testing\n");
        System.setProperty("aws.configFile", config.toString());
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());

        Run r = scan("scan", "--cluster", "prod", "--profile", "ci", "--endpoint-url", moto.endpoint.toString(),
                "--rules", rules.toString(), "--since", "1h");
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("audit-event-seen");
        assertThat(r.err()).contains("Logs Insights: 1 queries");

        Run unknown = scan("scan", "--cluster", "prod", "--profile", "nope", "--endpoint-url",
                moto.endpoint.toString(), "--rules", rules.toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.oneError()).isEqualTo("error: --profile: AWS profile 'nope' not found in " + config
                + " or " + credentials + " (profiles: default, ci): check the name, or create it with"
                + " 'aws configure --profile nope'");
    }
}
