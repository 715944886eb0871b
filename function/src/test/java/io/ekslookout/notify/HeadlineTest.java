package io.ekslookout.notify;

import io.ekslookout.detect.Finding;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The headline from the rows, whatever the rule called its columns. */
class HeadlineTest {
    static final RuleInfo RULE = new RuleInfo("r", "Something happened", "high", "", null, "fields a", List.of());
    static final RuleInfo SPIKE = new RuleInfo("s", "Spike of 5xx", "medium", "", null, "stats", List.of(), null,
            new RuleInfo.Limit("errors", ">=", "10"));

    static String headline(RuleInfo rule, long count, String... kv) {
        Map<String, String> row = MessageBuilderTest.row(kv);
        Finding f = new Finding(rule.id(), rule.severity(), rule.title(), Instant.EPOCH, Instant.EPOCH, null, count,
                List.of(row), 0);
        return Headline.of(f, rule, List.of(row)).render(rule.title(), "prod", v -> v);
    }

    @Test
    void readsWhoDidWhatToWhichObjectWithWhatResultWhenWhere() {
        record Case(String expected, RuleInfo rule, long count, String[] row) {
        }
        List<Case> cases = List.of(
                new Case("alice (arn:aws:iam::1:user/alice) updated configmap kube-system/aws-auth \u2192 200 OK, "
                        + "10:31:44 UTC, cluster prod", RULE, 1, new String[]{"@timestamp", "2026-11-20 10:31:44.120",
                        "user.username", "alice", "user.extra.arn.0", "arn:aws:iam::1:user/alice", "verb", "update",
                        "objectRef.resource", "configmaps", "objectRef.namespace", "kube-system",
                        "objectRef.name", "aws-auth", "responseStatus.code", "200"}),
                new Case("bob deleted every configmaps in kube-system \u2192 403 Forbidden (+2 more events), cluster "
                        + "prod", RULE, 3, new String[]{"user.username", "bob", "verb", "deletecollection",
                        "objectRef.resource", "configmaps", "objectRef.namespace", "kube-system", "code", "403"}),
                new Case("carol created validatingadmissionpolicy deny-all \u2192 201 Created, cluster prod", RULE, 1,
                        new String[]{"user.username", "carol", "kind", "validatingadmissionpolicies",
                                "configuration", "deny-all", "code", "201"}),
                new Case("dave created pod default/x mounting host path /etc \u2192 201 Created, cluster prod", RULE, 1,
                        new String[]{"user.username", "dave", "namespace", "default", "pod", "x", "hostPath", "/etc",
                                "code", "201"}),
                new Case("gina patched configmap web/env holding DB_PASSWORD \u2192 200 OK, cluster prod", RULE, 1,
                        new String[]{"user.username", "gina", "verb", "patch", "namespace", "web", "configMap", "env",
                                "credential", "DB_PASSWORD", "code", "200"}),
                new Case("hal created clusterrole rbac-manager granting escalate \u2192 201 Created, cluster prod", RULE,
                        1, new String[]{"user.username", "hal", "verb", "create", "kind", "clusterroles", "role",
                                "rbac-manager", "grantedVerb", "escalate", "code", "201"}),
                new Case("ida approved certificatesigningrequest csr-1 for signer example.com/x \u2192 200 OK, cluster "
                        + "prod", RULE, 1, new String[]{"user.username", "ida", "action", "approval", "verb", "update",
                                "csr", "csr-1", "signerName", "example.com/x", "code", "200"}),
                new Case("erin listed secrets in payments, cluster prod", RULE, 1,
                        new String[]{"user.username", "erin", "verb", "list", "namespace", "payments",
                                "objectRef.resource", "secrets"}),
                new Case("a caller from 198.51.100.7 read /api/v1/secrets \u2192 200 OK, cluster prod", RULE, 1,
                        new String[]{"sourceIP", "198.51.100.7", "verb", "get", "requestURI", "/api/v1/secrets",
                                "code", "200"}),
                new Case("Something happened: token expired, cluster prod", RULE, 1,
                        new String[]{"error", "token expired", "path", "/authenticate"}),
                new Case("frank: Something happened, cluster prod", RULE, 1, new String[]{"user.username", "frank"}),
                new Case("Spike of 5xx: 25 errors in minute 10:40 UTC (threshold \u2265 10), cluster prod", SPIKE, 1,
                        new String[]{"minute", "2026-11-20 10:40:00.000", "errors", "25", "maxCode", "503"}));
        for (Case c : cases) {
            assertThat(headline(c.rule(), c.count(), c.row())).isEqualTo(c.expected());
        }
    }

    @Test
    void singularOfKubernetesResourceNames() {
        assertThat(List.of("configmaps", "policies", "ingresses", "endpoints", "pods", "ingressclass"))
                .map(Headline::singular)
                .containsExactly("configmap", "policy", "ingress", "endpoint", "pod", "ingressclass");
    }
}
