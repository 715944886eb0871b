package io.ekslookout.rules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random query texts written by a real YAML emitter in several styles (double-quoted; plain or literal block):
 * whenever the mapper claims an exact mapping, every character of the query is found at the reported place in
 * the file; and (for this seed) it claims it for every one of them.
 */
class ScalarPositionsRandomTest {
    private static final String ALPHABET = "abcxyz019 |\"'\\/#:*-{}[],.=\n";

    private static String randomQuery(Random rnd) {
        StringBuilder sb = new StringBuilder("filter ");
        int n = 5 + rnd.nextInt(60);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        }
        return sb.toString().replaceAll(" +\n", "\n").replaceAll("\n+$", "").strip();
    }

    @Test
    void emittedScalarsMapBackCharacterByCharacter() throws Exception {
        Random rnd = new Random(7);
        List<ObjectMapper> writers = List.of(
                new ObjectMapper(new YAMLFactory()),
                new ObjectMapper(YAMLFactory.builder().enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE).build()));
        int exact = 0;
        int total = 0;
        for (int i = 0; i < 400; i++) {
            String q = randomQuery(rnd);
            if (q.isEmpty()) {
                continue;
            }
            for (ObjectMapper w : writers) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("id", "x");
                doc.put("query", q);
                doc.put("title", "t");
                String yaml = w.writeValueAsString(doc);
                List<RuleProblem> problems = new ArrayList<>();
                YamlNode.Mapping m = (YamlNode.Mapping) YamlTree.parse("t.yaml", yaml, problems);
                assertThat(problems).isEmpty();
                YamlNode.Scalar s = (YamlNode.Scalar) m.get("query");
                assertThat(s.text().stripTrailing()).isEqualTo(q);
                ScalarPositions p = ScalarPositions.of(yaml, s, s.text());
                total++;
                if (!p.exact()) {
                    continue;
                }
                exact++;
                String[] lines = yaml.split("\n", -1);
                String[] qlines = s.text().split("\n", -1);
                for (int l = 0; l < qlines.length; l++) {
                    for (int c = 0; c < qlines[l].length(); c++) {
                        int[] at = p.locate(s.text(), l + 1, c + 1);
                        char inFile = lines[at[0] - 1].charAt(at[1] - 1);
                        assertThat(inFile).as("%s%nquery %d:%d → %d:%d", yaml, l + 1, c + 1, at[0], at[1])
                                .isIn(qlines[l].charAt(c), '\\', ' ');
                    }
                }
            }
        }
        assertThat(exact).as("exact mappings out of %d", total).isEqualTo(total);
    }
}
