package io.ekslookout.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile values from the logs through query, hunt and scan, as table and CSV, end to end: the table shows every
 * control, bidi and zero-width character as a visible escape; CSV also neutralises formula cells with a leading
 * {@code '} (OWASP CSV injection) and keeps a plain number such as -5 as it is.
 */
class OutputSafetyTest {
    @TempDir
    Path dir;
    Path rules;

    static final ObjectMapper JSON = new ObjectMapper();
    static final String TAG_A = new String(Character.toChars(0xE0041));

    /** name, value in the log, as the table shows it, as the CSV cell holds it (before RFC 4180 quoting). */
    static Stream<Arguments> hostile() {
        return Stream.of(
                Arguments.of("ESC[2J clears the screen", "a\u001b[2Jb", "a\\u001b[2Jb", "a\\u001b[2Jb"),
                Arguments.of("OSC 8 hyperlink", "\u001b]8;;http://evil/\u0007click\u001b]8;;\u0007",
                        "\\u001b]8;;http://evil/\\u0007click\\u001b]8;;\\u0007",
                        "\\u001b]8;;http://evil/\\u0007click\\u001b]8;;\\u0007"),
                Arguments.of("=HYPERLINK formula", "=HYPERLINK(\"http://x\",\"y\")", "=HYPERLINK(\"http://x\",\"y\")",
                        "'=HYPERLINK(\"http://x\",\"y\")"),
                Arguments.of("+cmd DDE", "+cmd|' /C calc'!A0", "+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
                Arguments.of("@SUM", "@SUM(1+1)*cmd", "@SUM(1+1)*cmd", "'@SUM(1+1)*cmd"),
                Arguments.of("-formula", "-2+3+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
                        "'-2+3+cmd|' /C calc'!A0"),
                Arguments.of("tab-leading", "\t=1+1", "\\t=1+1", "'\t=1+1"),
                Arguments.of("CR-leading", "\r=1+1", "\\r=1+1", "'\r=1+1"),
                Arguments.of("zero-width joiner", "ad\u200dmin", "ad\\u200dmin", "ad\\u200dmin"),
                Arguments.of("zero-width space and BOM", "a\u200bb\ufeffc", "a\\u200bb\\ufeffc", "a\\u200bb\\ufeffc"),
                Arguments.of("RLO bidi override", "user\u202egnp.exe", "user\\u202egnp.exe", "user\\u202egnp.exe"),
                Arguments.of("bidi isolate", "a\u2066b\u2069", "a\\u2066b\\u2069", "a\\u2066b\\u2069"),
                Arguments.of("C1 CSI and DEL", "a\u009b2J\u007fb", "a\\u009b2J\\u007fb", "a\\u009b2J\\u007fb"),
                Arguments.of("tag character (Cf above U+FFFF)", "a" + TAG_A + "b", "a\\udb40\\udc41b",
                        "a\\udb40\\udc41b"),
                Arguments.of("negative number stays a number", "-5", "-5", "-5"),
                Arguments.of("plain text", "alice", "alice", "alice"));
    }

    @BeforeEach
    void setUp() throws IOException {
        rules = dir.resolve("rules");
        Files.createDirectories(rules.resolve("hunts"));
        Files.writeString(rules.resolve("deletes.yaml"), """
                id: deletes
                title: Something was deleted
                summary: Something was deleted.
                severity: high
                description: deletes
                query: |
                  filter verb = "delete"
                  | fields user.username
                groupBy: [user.username]
                """);
        Files.writeString(rules.resolve("hunts/users.yaml"), """
                id: users
                title: Every user
                description: who called
                query: |
                  fields user.username
                """);
    }

    private Path logsWith(String user) throws IOException {
        ObjectNode event = JSON.createObjectNode().put("kind", "Event").put("verb", "delete");
        event.putObject("user").put("username", user);
        ObjectNode line = JSON.createObjectNode().put("logStreamName", "kube-apiserver-audit-1")
                .put("timestamp", Instant.parse("2026-11-20T10:00:00Z").toEpochMilli())
                .put("message", JSON.writeValueAsString(event));
        Path logs = dir.resolve("logs.jsonl");
        Files.writeString(logs, JSON.writeValueAsString(line) + "\n");
        return logs;
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(code).as(err.toString()).isIn(0, 1);
        return out.toString();
    }

    /** RFC 4180 quoting, to find the expected cell in the CSV text. */
    private static String quoted(String cell) {
        boolean quote = cell.contains(",") || cell.contains("\"") || cell.contains("\r") || cell.contains("\n");
        return quote ? "\"" + cell.replace("\"", "\"\"") + "\"" : cell;
    }

    /** No character a terminal acts on or hides, except the given ones (line ends of the format). */
    private static void noUnsafeCharacters(String output, String allowed) {
        output.codePoints().forEach(cp -> assertThat(!TerminalText.unsafe(cp) || allowed.indexOf(cp) >= 0)
                .as("U+%04X in %s", cp, output).isTrue());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void queryAndHuntTable(String name, String value, String table, String csv) throws IOException {
        Path logs = logsWith(value);
        for (String out : new String[] {run("query", "--logs", logs.toString(), "fields user.username"),
                run("hunt", "users", "--rules", rules.toString(), "--logs", logs.toString())}) {
            assertThat(out.lines().toList()).hasSize(3).element(2).isEqualTo(table);
            noUnsafeCharacters(out, "\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void queryAndHuntCsv(String name, String value, String table, String csv) throws IOException {
        Path logs = logsWith(value);
        for (String out : new String[] {
                run("query", "--logs", logs.toString(), "--format", "csv", "fields user.username"),
                run("hunt", "users", "--rules", rules.toString(), "--logs", logs.toString(), "--format", "csv")}) {
            assertThat(out).isEqualTo("user.username\r\n" + quoted(csv) + "\r\n");
            noUnsafeCharacters(out, "\r\n\t");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void scanTableAndCsv(String name, String value, String table, String csv) throws IOException {
        Path logs = logsWith(value);
        String out = run("scan", "--rules", rules.toString(), "--logs", logs.toString());
        assertThat(out).contains("  [" + table + "]  (1 match)").contains("user.username=" + table);
        noUnsafeCharacters(out, "\n");

        out = run("scan", "--rules", rules.toString(), "--logs", logs.toString(), "--format", "csv");
        // the groupKey column is a cell of its own; the row column is JSON whose strings keep the value exactly
        assertThat(out).contains(",Something was deleted,," + quoted(csv) + ",1,0,");
        String rowCell = out.substring(out.lastIndexOf(",\"{") + 1).strip();
        String json = rowCell.substring(1, rowCell.length() - 1).replace("\"\"", "\"");
        assertThat(JSON.readTree(json).get("user.username").asText()).isEqualTo(value);
        noUnsafeCharacters(out, "\r\n\t");

        out = run("scan", "--rules", rules.toString(), "--logs", logs.toString(), "--format", "json");
        assertThat(JSON.readTree(out).get("groupKey").asText()).as("JSON keeps the exact value").isEqualTo(value);
        noUnsafeCharacters(out, "\n");
    }
}
