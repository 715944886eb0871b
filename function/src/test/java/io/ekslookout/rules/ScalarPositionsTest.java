package io.ekslookout.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScalarPositionsTest {
    /** Parses "key: value" docs and returns the scalar under "query". */
    private static YamlNode.Scalar query(String yaml) {
        List<RuleProblem> problems = new ArrayList<>();
        YamlNode.Mapping m = (YamlNode.Mapping) YamlTree.parse("t.yaml", yaml, problems);
        assertThat(problems).isEmpty();
        return (YamlNode.Scalar) m.get("query");
    }

    private static char charAt(String file, int line, int column) {
        String[] lines = file.split("\n", -1);
        return lines[line - 1].charAt(column - 1);
    }

    /** Every character of the decoded value maps to the same character in the file. */
    private static void assertEveryCharMaps(String yaml) {
        YamlNode.Scalar q = query(yaml);
        ScalarPositions p = ScalarPositions.of(yaml, q, q.text());
        assertThat(p.exact()).as("exact mapping for %s", yaml).isTrue();
        String[] qlines = q.text().split("\n", -1);
        int checked = 0;
        for (int l = 0; l < qlines.length; l++) {
            for (int c = 0; c < qlines[l].length(); c++) {
                char expected = qlines[l].charAt(c);
                if (expected == ' ') {
                    continue; // a folded line break decodes to a space that was a newline in the file
                }
                int[] at = p.locate(q.text(), l + 1, c + 1);
                // an escaped character maps to its escape sequence, which starts with a backslash
                assertThat(charAt(yaml, at[0], at[1])).as("query %d:%d → file %d:%d", l + 1, c + 1, at[0], at[1])
                        .isIn(expected, '\\');
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(5);
    }

    @Test
    void literalBlockMapsLineOffsetAndIndentation() {
        String yaml = "id: x\nquery: |\n  filter a = 1\n\n  | stats count(*) as n by b\n    | sort n\nz: 1\n";
        YamlNode.Scalar q = query(yaml);
        ScalarPositions p = ScalarPositions.of(yaml, q, q.text());
        // query line 3 column 3 is "stats": file line 5 column 5
        assertThat(p.locate(q.text(), 3, 3)).containsExactly(5, 5);
        // query line 4 is indented deeper in the file: kept as content
        assertThat(p.locate(q.text(), 4, 3)).containsExactly(6, 5);
        assertEveryCharMaps(yaml);
    }

    @Test
    void literalBlockInsideNestedMapping() {
        assertEveryCharMaps("a:\n  b: 1\nquery: |-\n      fields @timestamp\n      | filter x like /y/\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "query: fields @timestamp, @message | limit 5\n",
            "id: a\nquery: 'fields x | filter y = ''q'' | limit 5'\n",
            "id: a\nquery: \"fields x | filter y = \\\"q\\\" | limit 5\"\n",
            "id: a\nquery: filter a = 1\n  | stats count(*) by b\n  | sort b\nnext: 2\n",
            "id: a\nquery: \"filter a = 1\n  | stats count(*) by b\"\n",
            "query: >-\n  filter a = 1\n  | stats count(*) by b\n",
    })
    void flowAndQuotedScalarsMapEveryCharacter(String yaml) {
        assertEveryCharMaps(yaml);
    }

    @Test
    void doubleQuotedEscapeShiftsColumns() {
        String yaml = "query: \"filter x = \\\"a\\\" | bogus\"\n";
        YamlNode.Scalar q = query(yaml);
        assertThat(q.text()).isEqualTo("filter x = \"a\" | bogus");
        int col = q.text().indexOf("bogus") + 1;
        int[] at = ScalarPositions.of(yaml, q, q.text()).locate(q.text(), 1, col);
        assertThat(at).containsExactly(1, yaml.indexOf("bogus") + 1);
    }

    @Test
    void positionPastTheEndPointsJustAfterTheLastCharacter() {
        String yaml = "query: |\n  filter x =\n";
        YamlNode.Scalar q = query(yaml);
        int[] at = ScalarPositions.of(yaml, q, q.text()).locate(q.text(), 1, 11);
        assertThat(at).containsExactly(2, 13);
    }
}
