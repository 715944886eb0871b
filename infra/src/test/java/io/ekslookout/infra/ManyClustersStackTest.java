package io.ekslookout.infra;

import static io.ekslookout.infra.EksLookoutStackTest.arn;
import static io.ekslookout.infra.EksLookoutStackTest.policyOfRole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One stack, one function and one schedule for many clusters ({@code -c clusters=...}): the function role may query
 * exactly those clusters' log groups (this account's by name, a linked source account's by the ARN given), the
 * function is told all of them, and the stack and alarms are named after the deployment.
 */
class ManyClustersStackTest {
    static final String PAY = "arn:aws:logs:eu-west-1:444455556666:log-group:/aws/eks/payments/cluster";

    static JsonNode json(String s) {
        try {
            return Fixture.JSON.readTree(s);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The elements of a JSON array, in any order (CDK sorts a statement's resources). */
    static java.util.Set<JsonNode> set(JsonNode array) {
        java.util.Set<JsonNode> out = new java.util.HashSet<>();
        array.forEach(out::add);
        assertThat(out).hasSize(array.size());
        return out;
    }

    static String role(Fixture f) {
        return f.template.getResourceId("AWS::IAM::Role",
                Map.of("Properties", Map.of("AssumeRolePolicyDocument", Map.of("Statement", List.of(
                        Map.of("Action", "sts:AssumeRole", "Effect", "Allow",
                                "Principal", Map.of("Service", "lambda.amazonaws.com")))))));
    }

    static JsonNode queryStatement(Fixture f) {
        for (JsonNode st : policyOfRole(f, role(f))) {
            if (st.path("Sid").asText().equals("QueryClusterLogs")) {
                return st;
            }
        }
        throw new AssertionError("no QueryClusterLogs statement");
    }

    @Test
    void oneClusterByClustersIsTheSameStackAsByClusterName() {
        Fixture byList = Fixture.synth(Fixture.context("clusterName", null, "clusters", "prod"));
        assertThat(set(queryStatement(byList).get("Resource"))).isEqualTo(set(json("[" + arn("logs",
                ":log-group:/aws/eks/prod/cluster") + "," + arn("logs", ":log-group:/aws/eks/prod/cluster:*") + "]")));
        assertThat(byList.stack.getStackName()).isEqualTo("EksLookout-prod");
        assertThat(byList.resource("AWS::Lambda::Function").at("/Properties/Environment/Variables/CLUSTER_NAME")
                .asText()).isEqualTo("prod");
    }

    @Test
    void threeClustersOneFunctionScopedToExactlyTheirLogGroups() {
        // a list in cdk.json
        Map<String, Object> ctx = Fixture.context("clusterName", null);
        ctx.put("clusters", List.of("prod", "staging", "dev"));
        Fixture f = Fixture.synth(ctx);
        List<String> groups = List.of("prod", "staging", "dev");
        StringBuilder expected = new StringBuilder("[");
        for (String g : groups) {
            expected.append(expected.length() > 1 ? "," : "").append(arn("logs", ":log-group:/aws/eks/" + g
                    + "/cluster")).append(",").append(arn("logs", ":log-group:/aws/eks/" + g + "/cluster:*"));
        }
        assertThat(set(queryStatement(f).get("Resource"))).isEqualTo(set(json(expected + "]")));
        assertThat(f.resources("AWS::Lambda::Function")).hasSize(1);
        assertThat(f.resources("AWS::Events::Rule")).hasSize(1);
        JsonNode env = f.resource("AWS::Lambda::Function").at("/Properties/Environment/Variables");
        assertThat(env.get("CLUSTERS").asText()).isEqualTo("prod,staging,dev");
        assertThat(env.has("CLUSTER_NAME")).isFalse();
        assertThat(f.stack.getStackName()).isEqualTo("EksLookout-prod-and-2-more");
        // the rule-errors alarm watches the dimension the function reports (its Config.label())
        assertThat(f.template.toJSON().toString()).contains("prod-and-2-more");
        // a comma string on the command line is the same
        Fixture cli = Fixture.synth(Fixture.context("clusterName", null, "clusters", "prod,staging,dev"));
        assertThat(set(queryStatement(cli).get("Resource"))).isEqualTo(set(json(expected + "]")));
    }

    @Test
    void aLinkedAccountsLogGroupIsGrantedByItsArnAndPassedAsIs() {
        Fixture f = Fixture.synth(Fixture.context("clusterName", null, "clusters", "prod," + PAY));
        assertThat(set(queryStatement(f).get("Resource"))).isEqualTo(set(json("[" + arn("logs",
                ":log-group:/aws/eks/prod/cluster") + "," + arn("logs", ":log-group:/aws/eks/prod/cluster:*") + ",\""
                + PAY + "\",\"" + PAY + ":*\"]")));
        assertThat(f.resource("AWS::Lambda::Function").at("/Properties/Environment/Variables/CLUSTERS").asText())
                .isEqualTo("prod," + PAY);
        // control-plane logging can be switched on in this account only: prod's custom resource, none for payments
        Fixture on = Fixture.synth(Fixture.context("clusterName", null, "clusters", "prod," + PAY,
                "enableControlPlaneLogging", "true"));
        String all = on.template.toJSON().toString();
        assertThat(all).contains(":cluster/prod").doesNotContain(":cluster/payments");
    }

    @Test
    void manyClustersGoInManagedPoliciesOfTwentyEach() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= 45; i++) {
            names.add("c" + i);
        }
        Fixture f = Fixture.synth(Fixture.context("clusterName", null, "clusters", String.join(",", names)));
        List<JsonNode> managed = f.resources("AWS::IAM::ManagedPolicy");
        assertThat(managed).hasSize(3);
        int resources = 0;
        for (JsonNode p : managed) {
            JsonNode st = p.at("/Properties/PolicyDocument/Statement/0");
            assertThat(st.get("Action")).isEqualTo(json("[\"logs:DescribeLogStreams\", \"logs:StartQuery\"]"));
            resources += st.get("Resource").size();
            assertThat(p.at("/Properties/Roles/0/Ref").asText()).isEqualTo(role(f));
        }
        assertThat(resources).isEqualTo(90);
        assertThat(policyOfRole(f, role(f)).toString()).doesNotContain("QueryClusterLogs");
    }

    @Test
    void badClustersAreRefusedNamingTheEntry() {
        Throwable bad = catchThrowable(() -> Fixture.synth(Fixture.context("clusterName", null, "clusters",
                "prod,prod/eu")));
        assertThat(bad).isInstanceOf(ConfigException.class)
                .hasMessage("clusters: entry 2 of 2: expected an EKS cluster name (letters, digits, '-' and '_',"
                        + " starting with a letter or digit, at most 100 characters) or a log group ARN"
                        + " arn:aws:logs:<region>:<account>:log-group:/aws/eks/<cluster>/cluster, got 'prod/eu'");
        assertThat(((ConfigException) bad).key()).isEqualTo("clusters");
        Throwable both = catchThrowable(() -> Fixture.synth(Fixture.context("clusters", "a,b")));
        assertThat(both).isInstanceOf(ConfigException.class).hasMessageContaining("not both");
    }
}
