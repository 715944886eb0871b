package io.ekslookout.infra;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.ekslookout.infra.FindingOutputsStackTest.statement;
import static org.assertj.core.api.Assertions.assertThat;

/** The alert-state table: on-demand, TTL, encrypted; the function may only get and update its items. */
class AlertStateStackTest {
    @Test
    void theTableIsOnDemandWithTtlAndEncryptedAndTheFunctionMayOnlyGetAndUpdateIt() {
        Fixture fx = Fixture.synth(Fixture.context());
        fx.template.resourceCountIs("AWS::DynamoDB::Table", 1);
        fx.template.hasResourceProperties("AWS::DynamoDB::Table", Map.of(
                "BillingMode", "PAY_PER_REQUEST",
                "KeySchema", List.of(Map.of("AttributeName", "fingerprint", "KeyType", "HASH")),
                "AttributeDefinitions", List.of(Map.of("AttributeName", "fingerprint", "AttributeType", "S")),
                "TimeToLiveSpecification", Map.of("AttributeName", "expiresAt", "Enabled", true),
                "SSESpecification", Map.of("SSEEnabled", true)));
        String table = fx.template.getResourceId("AWS::DynamoDB::Table", Map.of());
        JsonNode s = statement(fx, "KeepAlertState");
        assertThat(s).isNotNull();
        assertThat(s.get("Effect").asText()).isEqualTo("Allow");
        assertThat(s.get("Action").toString()).isEqualTo("[\"dynamodb:GetItem\",\"dynamodb:UpdateItem\"]");
        assertThat(s.get("Resource").toString()).isEqualTo("{\"Fn::GetAtt\":[\"" + table + "\",\"Arn\"]}");
        // no other statement names DynamoDB
        assertThat(FindingOutputsStackTest.actions(fx).stream().filter(a -> a.startsWith("dynamodb:")))
                .containsExactly("dynamodb:GetItem", "dynamodb:UpdateItem");
        JsonNode env = fx.resource("AWS::Lambda::Function").at("/Properties/Environment/Variables");
        assertThat(env.get("STATE_TABLE").toString()).isEqualTo("{\"Ref\":\"" + table + "\"}");
    }
}
