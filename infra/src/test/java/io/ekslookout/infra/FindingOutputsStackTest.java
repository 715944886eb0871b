package io.ekslookout.infra;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.PolicyValidationPluginReport;

import java.util.ArrayList;
import java.util.List;

import static io.ekslookout.infra.EksLookoutStackTest.arn;
import static io.ekslookout.infra.EksLookoutStackTest.policyOfRole;
import static io.ekslookout.infra.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The securityHub and eventBus context keys: the function's variables and exactly one narrow statement each. */
class FindingOutputsStackTest {
    static String functionRole(Fixture fx) {
        return fx.template.getResourceId("AWS::IAM::Role", java.util.Map.of("Properties", java.util.Map.of(
                "AssumeRolePolicyDocument", java.util.Map.of("Statement", List.of(java.util.Map.of(
                        "Action", "sts:AssumeRole", "Effect", "Allow",
                        "Principal", java.util.Map.of("Service", "lambda.amazonaws.com")))))));
    }

    static JsonNode statement(Fixture fx, String sid) {
        for (JsonNode s : policyOfRole(fx, functionRole(fx))) {
            if (s.path("Sid").asText().equals(sid)) {
                return s;
            }
        }
        return null;
    }

    static List<String> actions(Fixture fx) {
        List<String> all = new ArrayList<>();
        for (JsonNode s : policyOfRole(fx, functionRole(fx))) {
            if (s.get("Action").isArray()) {
                s.get("Action").forEach(a -> all.add(a.asText()));
            } else {
                all.add(s.get("Action").asText());
            }
        }
        return all;
    }

    @Test
    void offByDefault() {
        Fixture fx = Fixture.synth(Fixture.context());
        assertThat(actions(fx)).noneMatch(a -> a.startsWith("securityhub:") || a.startsWith("events:"));
        JsonNode env = fx.resource("AWS::Lambda::Function").at("/Properties/Environment/Variables");
        assertThat(env.has("SECURITY_HUB")).isFalse();
        assertThat(env.has("EVENT_BUS")).isFalse();
    }

    @Test
    void securityHubMayImportIntoTheAccountsDefaultProductOnly() {
        Fixture fx = Fixture.synth(Fixture.context("securityHub", "true"));
        assertThat(statement(fx, "ImportFindings")).isEqualTo(json("""
                {"Sid": "ImportFindings", "Effect": "Allow", "Action": "securityhub:BatchImportFindings",
                 "Resource": {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":securityhub:",
                   {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"}, ":product/", {"Ref": "AWS::AccountId"},
                   "/default"]]}}"""));
        assertThat(fx.resource("AWS::Lambda::Function").at("/Properties/Environment/Variables/SECURITY_HUB").asText())
                .isEqualTo("true");
        assertThat(actions(fx)).filteredOn(a -> a.startsWith("securityhub:"))
                .containsExactly("securityhub:BatchImportFindings");
    }

    @Test
    void aNamedBusMayReceiveEventsAndNoOtherBus() {
        Fixture fx = Fixture.synth(Fixture.context("eventBus", "security"));
        assertThat(statement(fx, "SendFindingEvents")).isEqualTo(json("""
                {"Sid": "SendFindingEvents", "Effect": "Allow", "Action": "events:PutEvents", "Resource": %s}"""
                .formatted(arn("events", ":event-bus/security"))));
        assertThat(fx.resource("AWS::Lambda::Function").at("/Properties/Environment/Variables/EVENT_BUS").asText())
                .isEqualTo("security");
    }

    @Test
    void theDefaultBusAndABusArn() {
        assertThat(statement(Fixture.synth(Fixture.context("eventBus", "default")), "SendFindingEvents")
                .get("Resource")).isEqualTo(json(arn("events", ":event-bus/default")));
        String busArn = "arn:aws:events:eu-west-1:111122223333:event-bus/central";
        assertThat(statement(Fixture.synth(Fixture.context("eventBus", busArn)), "SendFindingEvents")
                .get("Resource").asText()).isEqualTo(busArn);
    }

    @Test
    void aBadBusNameFailsSynthNamingTheKey() {
        assertThatThrownBy(() -> Fixture.synth(Fixture.context("eventBus", "my bus!")))
                .hasMessageContaining("eventBus").hasMessageContaining("my bus!");
        assertThatThrownBy(() -> Fixture.synth(Fixture.context("securityHub", "maybe")))
                .hasMessageContaining("securityHub");
    }

    @Test
    void cdkNagStaysCleanWithBothOutputs() {
        Fixture fx = Fixture.synth(Fixture.context("securityHub", "true", "eventBus", "security"));
        PolicyValidationPluginReport report = new AwsSolutionsChecks(fx.app).validateScope(fx.stack);
        assertThat(EksLookoutStackTest.describe(report.getViolations())).isEmpty();
        assertThat(report.getSuccess()).isTrue();
    }
}
