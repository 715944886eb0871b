package io.ekslookout.infra;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Validates the rules directory at synth time. ADAPTER: until {@code io.ekslookout.rules.RuleLoader} lands on main
 * this does a reduced check (YAML syntax, required keys, id = file name, severity); it then delegates to
 * {@code RuleLoader.loadDirectory} so synth and the Lambda run the same validation.
 */
final class RuleCheck {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RuleCheck() {
    }

    /** Throws {@link RulesInvalidException} listing every problem in every file; returns the number of rules. */
    static int validate(Path rulesDir) {
        List<String> problems = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(rulesDir)) {
            files = s.filter(p -> Files.isRegularFile(p) && isYaml(p)).sorted().toList();
        } catch (IOException e) {
            throw new RulesInvalidException(rulesDir.toString(), List.of(rulesDir + ":1:1: cannot read: " + e.getMessage()));
        }
        for (Path f : files) {
            String id = f.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            JsonNode root;
            try {
                root = YAML.readTree(f.toFile());
            } catch (JsonProcessingException e) {
                JsonLocation loc = e.getLocation();
                problems.add(f + ":" + (loc == null ? 1 : loc.getLineNr()) + ":" + (loc == null ? 1 : loc.getColumnNr())
                        + ": " + e.getOriginalMessage());
                continue;
            } catch (IOException e) {
                problems.add(f + ":1:1: cannot read: " + e.getMessage());
                continue;
            }
            if (root == null || !root.isObject()) {
                problems.add(f + ":1:1: expected a mapping with id, title, severity, description and query");
                continue;
            }
            for (String key : List.of("id", "title", "severity", "description", "query")) {
                if (!root.hasNonNull(key) || root.get(key).asText().isBlank()) {
                    problems.add(f + ":1:1: missing required key '" + key + "'");
                }
            }
            if (root.hasNonNull("id") && !root.get("id").asText().equals(id)) {
                problems.add(f + ":1:1: id '" + root.get("id").asText() + "' must equal the file name '" + id + "'");
            }
            if (root.hasNonNull("severity") && !EksLookoutProps.SEVERITIES.contains(root.get("severity").asText())) {
                problems.add(f + ":1:1: severity must be one of " + String.join("|", EksLookoutProps.SEVERITIES)
                        + ", got '" + root.get("severity").asText() + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new RulesInvalidException(rulesDir.toString(), problems);
        }
        return files.size();
    }

    static boolean isYaml(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }
}
