package io.ekslookout.export;

import io.ekslookout.detect.DetectionReport;
import io.ekslookout.detect.Detector;
import io.ekslookout.detect.InMemoryLogSource;
import io.ekslookout.detect.LocalBackend;
import io.ekslookout.run.Wiring;
import io.ekslookout.notify.RuleInfo;
import io.ekslookout.query.LogEvent;
import io.ekslookout.query.Query;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.Severity;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Secret's values in a fired event reach none of the exports: they are made from the detector's findings, whose
 * rows the SecretScrubber has already cleaned, and from nothing else.
 */
class ExportSecretsTest {
    static final String PASSWORD = "hunter2hunter2-pw";
    static final String TOKEN = "s3cr3t-t0k3n-zq9x";
    static final String PASSWORD_B64 = Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8));
    static final String EVENT = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"verb\":\"create\","
            + "\"requestURI\":\"/api/v1/namespaces/prod/secrets\",\"user\":{\"username\":\"alice\"},"
            + "\"objectRef\":{\"resource\":\"secrets\",\"namespace\":\"prod\",\"name\":\"db\"},"
            + "\"requestObject\":{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"db\"},"
            + "\"data\":{\"password\":\"" + PASSWORD_B64 + "\"},\"stringData\":{\"token\":\"" + TOKEN + "\"}},"
            + "\"responseStatus\":{\"code\":201}}";

    @Test
    void noPieceOfASecretValueReachesAsffOcsfOrEventBridge() {
        String q = "fields @timestamp, @message, requestObject.data.password as pw, requestObject.stringData.token,"
                + " objectRef.name | filter objectRef.resource = 'secrets'";
        Rule rule = new Rule("secret-created", "Secret created", Severity.HIGH, "A Secret was created.", q,
                Query.parse(q), null, null, List.of("user.username"), List.of("T1552.007"),
                "https://example.com/rb", true, "secret-created.yaml", "A Secret was created.");
        long ts = Instant.parse("2026-11-20T08:00:00Z").toEpochMilli();
        DetectionReport report = new Detector(new LocalBackend(new InMemoryLogSource(List.of(
                new LogEvent(ts, ts + 500, EVENT, "kube-apiserver-audit-1", "/aws/eks/prod/cluster", "e1")))))
                .run(List.of(rule), LocalBackend.WHOLE_INPUT, null);
        assertThat(report.findings()).hasSize(1);
        Map<String, RuleInfo> info = Wiring.ruleInfo(List.of(rule));
        ExportContext ctx = new ExportContext("prod", "/aws/eks/prod/cluster", "us-east-1", "111122223333");
        Instant now = Instant.parse("2026-11-20T09:00:00Z");
        String all = Exports.asff(report.findings(), info, ctx, now) + "\n"
                + Exports.ocsf(report.findings(), info, ctx, now) + "\n"
                + Exports.events(report.findings(), ctx, "bus").stream().map(EventEntries.Entry::detail).toList();
        assertThat(all).contains("secret-created").contains("[redacted]"); // the payloads were made from the rows
        for (String v : List.of(PASSWORD, PASSWORD_B64, TOKEN)) {
            for (int i = 0; i + 4 <= v.length(); i++) {
                assertThat(all).as("piece '%s' of a Secret value", v.substring(i, i + 4))
                        .doesNotContain(v.substring(i, i + 4));
            }
        }
    }
}
