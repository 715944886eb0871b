package io.ekslookout.sigma;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.UncheckedIOException;
import java.util.List;

/**
 * A converted rule as the text of a rule file (the keys of rules/schema.json, in the bundled rules' order), written
 * by Jackson's YAML generator so that any text from the Sigma file is quoted or block-styled as YAML needs.
 */
record RuleFile(String id, String title, String summary, String severity, String description, String query,
                String runbook, List<String> tags) {
    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build());

    static final String HEADER = "# Converted from a Sigma rule by `eks-lookout sigma import`: re-import the Sigma rule"
            + " rather than editing this file.\n";

    String yaml() {
        ObjectNode o = YAML.createObjectNode();
        o.put("id", id);
        o.put("title", title);
        o.put("summary", summary);
        o.put("severity", severity);
        o.put("description", description);
        o.put("query", query);
        ArrayNode g = o.putArray("groupBy");
        g.add("user.username");
        ArrayNode t = o.putArray("tags");
        tags.forEach(t::add);
        o.put("runbook", runbook);
        try {
            return HEADER + YAML.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
