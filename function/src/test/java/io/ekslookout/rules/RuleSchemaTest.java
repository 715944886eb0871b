package io.ekslookout.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** rules/schema.json, which editors use, accepts exactly what the loader accepts. */
class RuleSchemaTest {
    private static JsonNode schema() throws Exception {
        Path p = Path.of(System.getProperty("repo.root", ".."), "rules", "schema.json");
        return new ObjectMapper().readTree(p.toFile());
    }

    private static List<String> names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> texts(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    @Test
    void propertiesMatchTheLoadersKeys() throws Exception {
        JsonNode s = schema();
        assertThat(s.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(s.get("additionalProperties").asBoolean()).isFalse();
        assertThat(names(s.get("properties"))).containsExactlyElementsOf(RuleLoader.RULE_KEYS);
        assertThat(texts(s.get("required"))).containsExactlyElementsOf(RuleLoader.RULE_REQUIRED);
        JsonNode t = s.get("properties").get("threshold");
        assertThat(names(t.get("properties"))).containsExactlyElementsOf(RuleLoader.THRESHOLD_KEYS);
        List<String> ops = texts(t.get("properties").get("op").get("enum"));
        for (Threshold.Op op : Threshold.Op.values()) {
            assertThat(ops).contains(op.symbol());
        }
        List<String> sev = texts(s.get("properties").get("severity").get("enum"));
        assertThat(sev).containsExactly(java.util.Arrays.stream(Severity.values()).map(Severity::label)
                .toArray(String[]::new));
    }

    @Test
    void theOverlaySchemaListsTheOverlaysKeysAndReusesTheRuleDefinitions() throws Exception {
        Path p = Path.of(System.getProperty("repo.root", ".."), "rules", "overrides.schema.json");
        JsonNode s = new ObjectMapper().readTree(p.toFile());
        JsonNode entry = s.get("additionalProperties");
        assertThat(entry.get("additionalProperties").asBoolean()).isFalse();
        assertThat(names(entry.get("properties"))).containsExactlyElementsOf(Overrides.KEYS);
        JsonNode rule = schema().get("properties");
        for (String k : List.of("severity", "suppress", "threshold")) {
            String ref = entry.get("properties").get(k).get("$ref").asText();
            assertThat(ref).isEqualTo("schema.json#/properties/" + k);
            assertThat(rule.has(k)).isTrue();
        }
    }
}
