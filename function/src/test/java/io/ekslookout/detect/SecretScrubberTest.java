package io.ekslookout.detect;

import io.ekslookout.query.LogEvent;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.Severity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The choke point: Secret values never survive, whatever the column, alias, cut or shape of the text. */
class SecretScrubberTest {
    static final String PASSWORD = "hunter2hunter2-pw";
    static final String PASSWORD_B64 = b64(PASSWORD);
    static final String USER = "adm1n-r00t-qz7";
    static final String USER_B64 = b64(USER);
    static final String TOKEN = "s3cr3t-t0k3n-zq9x";
    /** Every Secret value of {@link #SECRET_EVENT}, encoded and decoded. */
    static final List<String> VALUES = List.of(PASSWORD, PASSWORD_B64, USER, USER_B64, TOKEN);

    static final String SECRET_EVENT = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"verb\":\"create\","
            + "\"requestURI\":\"/api/v1/namespaces/prod/secrets\",\"user\":{\"username\":\"alice\"},"
            + "\"objectRef\":{\"resource\":\"secrets\",\"namespace\":\"prod\",\"name\":\"db\"},"
            + "\"requestObject\":{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"db\"},"
            + "\"data\":{\"password\":\"" + PASSWORD_B64 + "\",\"user\":\"" + USER_B64 + "\"},"
            + "\"stringData\":{\"token\":\"" + TOKEN + "\"}},\"responseStatus\":{\"code\":201}}";

    static final String CONFIGMAP_EVENT = "{\"kind\":\"Event\",\"verb\":\"update\","
            + "\"objectRef\":{\"resource\":\"configmaps\",\"namespace\":\"kube-system\",\"name\":\"aws-auth\"},"
            + "\"requestObject\":{\"kind\":\"ConfigMap\",\"data\":{\"mapRoles\":\"- rolearn: arn:aws:iam::1:role/x\"}}}";

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, String> row(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** No piece of 4 characters or more of any value survives anywhere in the text. */
    static void assertNoPiece(String out, List<String> values) {
        for (String v : values) {
            for (int i = 0; i + SecretScrubber.GRAM <= v.length(); i++) {
                String piece = v.substring(i, i + SecretScrubber.GRAM);
                assertThat(out).as("piece '%s' of a Secret value", piece).doesNotContain(piece);
            }
        }
    }

    static Stream<Arguments> leaks() {
        String listEvent = "{\"kind\":\"Event\",\"verb\":\"list\",\"objectRef\":{\"resource\":\"secrets\"},"
                + "\"responseObject\":{\"kind\":\"SecretList\",\"items\":[{\"kind\":\"Secret\",\"metadata\":"
                + "{\"name\":\"a\"},\"data\":{\"password\":\"" + PASSWORD_B64 + "\"}},{\"kind\":\"Secret\","
                + "\"data\":{\"user\":\"" + USER_B64 + "\"},\"stringData\":{\"token\":\"" + TOKEN + "\"}}]}}";
        String annotation = "{\"objectRef\":{\"resource\":\"secrets\"},\"requestObject\":{\"metadata\":"
                + "{\"annotations\":{\"kubectl.kubernetes.io/last-applied-configuration\":\"{\\\"apiVersion\\\":"
                + "\\\"v1\\\",\\\"data\\\":{\\\"password\\\":\\\"" + PASSWORD_B64 + "\\\"},\\\"kind\\\":"
                + "\\\"Secret\\\",\\\"stringData\\\":{\\\"token\\\":\\\"" + TOKEN + "\\\"}}\\n\"}}}}";
        return Stream.of(
                Arguments.of("whole event", "fields @message", row("@message", SECRET_EVENT)),
                Arguments.of("leading blank", "fields @message", row("@message", " \t" + SECRET_EVENT)),
                Arguments.of("after a text prefix (not JSON)", "fields @message",
                        row("@message", "E1120 10:00:01 audit.go:42] dropped event " + SECRET_EVENT)),
                Arguments.of("aliased data field, nothing else in the row",
                        "fields requestObject.data.password as key", row("key", PASSWORD_B64)),
                Arguments.of("aliased, decoded copy in another column",
                        "fields requestObject.data.password as key, note",
                        row("key", PASSWORD_B64, "note", "the password is " + PASSWORD)),
                Arguments.of("substring of a data field", "fields substr(requestObject.data.user, 2, 9) as k",
                        row("k", USER_B64.substring(2, 11))),
                Arguments.of("stats group over a data field", "stats count(*) as n by requestObject.stringData.token",
                        row("requestObject.stringData.token", TOKEN, "n", "3")),
                Arguments.of("parse capture beside the raw message",
                        "parse @message '\"token\":\"*\"' as t | fields @message, t",
                        row("@message", SECRET_EVENT, "t", TOKEN)),
                Arguments.of("parse capture in a Secret event without the raw message",
                        "filter objectRef.resource = \"secrets\" | parse @message '\"token\":\"*\"' as t | fields t",
                        row("t", TOKEN)),
                Arguments.of("parse capture, resource column shows secrets",
                        "parse @message '\"user\":\"*\"' as u | fields objectRef.resource, u",
                        row("objectRef.resource", "secrets", "u", USER_B64)),
                Arguments.of("parse capture, the query says nothing of the events",
                        "parse @message '\"password\":\"*\"' as pw | fields pw", row("pw", PASSWORD_B64)),
                Arguments.of("SecretList with nested items", "fields @message", row("@message", listEvent)),
                Arguments.of("escaped copy in last-applied-configuration", "fields @message",
                        row("@message", annotation)),
                Arguments.of("body column of a Secret event", "fields objectRef.resource, requestObject",
                        row("objectRef.resource", "secrets", "requestObject",
                                SECRET_EVENT.substring(SECRET_EVENT.indexOf("{\"kind\":\"Secret\"")))),
                Arguments.of("query unknown: judged by names", null,
                        row("requestObject.data.password", PASSWORD_B64, "x", "see " + PASSWORD)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leaks")
    void noSecretValueSurvives(String what, String query, Map<String, String> row) {
        SecretScrubber s = query == null ? SecretScrubber.BY_NAME : SecretScrubber.forQuery(query);
        Map<String, String> out = s.scrub(row);
        assertThat(out.keySet()).containsExactlyElementsOf(row.keySet());
        assertNoPiece(out.toString(), VALUES);
        assertThat(out.toString()).contains(SecretScrubber.REDACTED);
    }

    @Test
    void aTruncatedSecretEventIsCleanAtEveryCut() {
        int from = SECRET_EVENT.indexOf("\"data\"");
        for (int cut = 0; cut <= SECRET_EVENT.length(); cut++) {
            String text = SECRET_EVENT.substring(0, cut);
            for (String prefix : List.of("", " ", "\n\t")) {
                Map<String, String> out = SecretScrubber.BY_NAME.scrub(row("@message", prefix + text));
                try {
                    assertNoPiece(out.get("@message"), VALUES);
                } catch (AssertionError e) {
                    throw new AssertionError("cut at " + cut + ": " + out.get("@message"), e);
                }
                if (cut < from) {
                    assertThat(out.get("@message")).isEqualTo(prefix + text); // nothing to hide yet
                }
            }
        }
    }

    @Test
    void theRedactedMessageKeepsItsShapeAndKeys() {
        String out = SecretScrubber.BY_NAME.scrub(row("@message", SECRET_EVENT)).get("@message");
        assertThat(out).contains("\"password\":\"[redacted]\"", "\"user\":\"[redacted]\"",
                "\"token\":\"[redacted]\"", "\"username\":\"alice\"", "\"name\":\"db\"");
    }

    static Stream<Arguments> untouched() {
        return Stream.of(
                Arguments.of("ConfigMap event", "fields @message", row("@message", CONFIGMAP_EVENT)),
                Arguments.of("ConfigMap data aliased, resource shown",
                        "fields objectRef.resource, requestObject.data.mapRoles as roles",
                        row("objectRef.resource", "configmaps", "roles", "- rolearn: arn:aws:iam::1:role/x")),
                Arguments.of("authenticator line", "fields @message",
                        row("@message", "time=\"2026-11-20T10:00:00Z\" level=info msg=\"access granted\" "
                                + "arn=\"arn:aws:iam::1:role/x\"")),
                Arguments.of("authenticator rule's parse captures",
                        "filter @logStream like /^authenticator/ | parse @message /arn=\"(?<arn>[^\"]*)\"/"
                                + " | fields arn", row("arn", "arn:aws:iam::1:role/x")),
                Arguments.of("pod rule's parse capture", "filter objectRef.resource = \"pods\" and verb = \"create\""
                        + " | parse @message /\"path\":\"(?<hostPath>[^\"]+)\"/ | fields hostPath",
                        row("hostPath", "/etc")),
                Arguments.of("plain columns", "fields user.username, verb",
                        row("user.username", "alice", "verb", "get")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("untouched")
    void nonSecretRowsAreLeftAlone(String what, String query, Map<String, String> row) {
        assertThat(SecretScrubber.forQuery(query).scrub(row)).isEqualTo(row);
    }

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("error echoing a cut Secret", "could not evaluate results: bad value in "
                        + SECRET_EVENT.substring(0, SECRET_EVENT.indexOf(TOKEN) + 6)),
                Arguments.of("error echoing data of unknown kind", "parse error at line 1: {\"data\":{\"k\":\""
                        + PASSWORD_B64 + "\"}} and then " + PASSWORD),
                Arguments.of("stringData in non-JSON text", "warning: stringData\"token\" \"stringData\": {\"token\": \""
                        + TOKEN + "\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void freeTextLosesSecretData(String what, String text) {
        String out = SecretScrubber.text(text);
        assertNoPiece(out, VALUES);
        assertThat(out).contains(SecretScrubber.REDACTED);
    }

    @Test
    void aTextWithoutDataIsUnchanged() {
        String s = "rule r: query failed: AccessDeniedException: not authorized on {\"kind\":\"Secret\"}";
        assertThat(SecretScrubber.text(s)).isSameAs(s);
    }

    @Test
    void theDetectorScrubsRowsAndErrorsBeforeAnythingSeesThem() {
        long t0 = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
        InMemoryLogSource src = new InMemoryLogSource(List.of(
                new LogEvent(t0, t0, SECRET_EVENT, "kube-apiserver-audit-1", "g", "e1"),
                new LogEvent(t0 + 1, t0 + 1, SECRET_EVENT.substring(0, SECRET_EVENT.length() - 40),
                        "kube-apiserver-audit-1", "g", "e2"),
                new LogEvent(t0 + 2, t0 + 2, CONFIGMAP_EVENT, "kube-apiserver-audit-1", "g", "e3")));
        List<Rule> rules = List.of(
                rule("alias", "filter objectRef.resource = \"secrets\" | fields requestObject.data.password as key,"
                        + " user.username", List.of("key")),
                rule("raw", "fields @message", List.of()),
                rule("parsed", "parse @message '\"token\":\"*\"' as tok | filter ispresent(tok)"
                        + " | fields objectRef.resource, tok",
                        List.of("tok")));
        DetectionReport rep = new Detector(new LocalBackend(src)).run(rules, LocalBackend.WHOLE_INPUT, null);
        assertThat(rep.ruleErrors()).isEmpty();
        assertThat(rep.findings()).extracting(Finding::ruleId).contains("alias", "raw", "parsed");
        String all = rep.findings().toString();
        assertNoPiece(all, VALUES);
        assertThat(all).contains("aws-auth", "- rolearn: arn:aws:iam::1:role/x", "alice");
        Finding alias = rep.findings().stream().filter(f -> f.ruleId().equals("alias")).findFirst().orElseThrow();
        assertThat(alias.groupKey()).isEqualTo(SecretScrubber.REDACTED);
        assertThat(alias.rows()).first().extracting(r -> r.get("user.username")).isEqualTo("alice");
    }

    @Test
    void ruleErrorsLeaveWithoutSecretData() {
        QueryBackend failing = new QueryBackend() {
            @Override
            public BatchResult run(Batch batch) {
                List<QueryOutcome> out = new ArrayList<>();
                for (Batch.Entry r : batch.entries()) {
                    out.add(QueryOutcome.failure(r.id(), "cannot parse " + SECRET_EVENT, QueryStats.NONE));
                }
                return BatchResult.of(out, batch);
            }
        };
        DetectionReport rep = new Detector(failing).run(List.of(rule("r", "fields @message", List.of())),
                LocalBackend.WHOLE_INPUT, null);
        assertNoPiece(rep.ruleErrors().toString() + rep.perRule(), VALUES);
        assertThat(rep.ruleErrors().get("r")).startsWith("cannot parse ").contains("[redacted]");
    }

    static Rule rule(String id, String query, List<String> groupBy) {
        return new Rule(id, "Title " + id, Severity.HIGH, "d", query, io.ekslookout.query.Query.parse(query), null, null, groupBy, List.of(), null,
                true, id + ".yaml");
    }
}
