package io.ekslookout.rules;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * For every query in the repository's rules and hunts, a query error would be located exactly: the position
 * mapper re-decodes each query scalar from the file and finds every character where the YAML parser did.
 */
class RepoRulePositionsTest {
    private static final Path RULES = Path.of(System.getProperty("repo.root", ".."), "rules");

    @Test
    void everyQueryMapsExactlyOntoItsFile() throws Exception {
        List<Path> files = new ArrayList<>();
        for (Path d : List.of(RULES, RULES.resolve("hunts"))) {
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(p -> p.toString().endsWith(".yaml")).forEach(files::add);
                }
            }
        }
        assumeTrue(!files.isEmpty(), "rules/ has no rules yet");
        for (Path f : files) {
            String text = Files.readString(f);
            List<RuleProblem> problems = new ArrayList<>();
            YamlNode root = YamlTree.parse(f.toString(), text, problems);
            assertThat(problems).as(f.toString()).isEmpty();
            YamlNode q = ((YamlNode.Mapping) root).get("query");
            assertThat(q).as(f + " has a query").isInstanceOf(YamlNode.Scalar.class);
            String decoded = ((YamlNode.Scalar) q).text();
            ScalarPositions p = ScalarPositions.of(text, q, decoded);
            assertThat(p.exact()).as(f + ": query positions map exactly").isTrue();
            String[] lines = text.split("\n", -1);
            String[] qlines = decoded.split("\n", -1);
            for (int l = 0; l < qlines.length; l++) {
                for (int c = 0; c < qlines[l].length(); c++) {
                    int[] at = p.locate(decoded, l + 1, c + 1);
                    char inFile = lines[at[0] - 1].charAt(at[1] - 1);
                    assertThat(inFile).as("%s query %d:%d", f, l + 1, c + 1).isIn(qlines[l].charAt(c), '\\', ' ');
                }
            }
        }
    }
}
