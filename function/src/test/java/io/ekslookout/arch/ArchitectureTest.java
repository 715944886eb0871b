package io.ekslookout.arch;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package rules of the code base, checked on the main sources (comments removed, so a mention in a javadoc does
 * not count): who may import what, who may parse query text, and that nothing asks a back end what it is.
 */
class ArchitectureTest {
    private static final Path ROOT = Path.of("src", "main", "java", "io", "ekslookout");
    /** package/File.java → its code without comments. */
    private static final Map<String, String> CODE = new LinkedHashMap<>();

    @BeforeAll
    static void read() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                CODE.put(ROOT.relativize(f).toString().replace('\\', '/'), withoutComments(Files.readString(f)));
            }
        }
        assertThat(CODE).as("main sources found under %s", ROOT.toAbsolutePath()).hasSizeGreaterThan(100);
    }

    /** Block and line comments removed (string literals kept: a "//" inside one is left alone). */
    static String withoutComments(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0;
        while (i < src.length()) {
            char c = src.charAt(i);
            if (c == '"') { // a string literal (text blocks too): copied as is
                int end = src.startsWith("\"\"\"", i) ? src.indexOf("\"\"\"", i + 3) + 3 : stringEnd(src, i);
                out.append(src, i, end);
                i = end;
            } else if (c == '\'' && i + 2 < src.length()) { // a char literal such as '"' or '\''
                int end = src.charAt(i + 1) == '\\' ? src.indexOf('\'', i + 3) + 1 : i + 3;
                out.append(src, i, end);
                i = end;
            } else if (src.startsWith("/*", i)) {
                i = src.indexOf("*/", i + 2) + 2;
            } else if (src.startsWith("//", i)) {
                int nl = src.indexOf('\n', i);
                i = nl < 0 ? src.length() : nl;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static int stringEnd(String src, int open) {
        int i = open + 1;
        while (src.charAt(i) != '"') {
            i += src.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    private static List<String> filesMatching(String packagePrefix, Pattern p) {
        List<String> hits = new ArrayList<>();
        CODE.forEach((file, code) -> {
            if (file.startsWith(packagePrefix)) {
                Matcher m = p.matcher(code);
                if (m.find()) {
                    hits.add(file + ": " + m.group());
                }
            }
        });
        return hits;
    }

    @Test
    void notifyDoesNotUseTheAwsPackage() {
        assertThat(filesMatching("notify/", Pattern.compile("io\\.ekslookout\\.aws\\b"))).isEmpty();
    }

    @Test
    void theQueryLanguageKnowsNothingOfAws() {
        assertThat(filesMatching("query/", Pattern.compile(
                "io\\.ekslookout\\.(aws|lambda|run|cli|notify|detect)\\b|software\\.amazon|com\\.amazonaws")))
                .isEmpty();
    }

    /**
     * Query text is parsed where it enters: rule and hunt files when loaded, the text a user types, and the
     * planner's own prefilters when built. Back ends, the detector, messages and exports get the parsed
     * {@code Query} and never parse again.
     */
    @Test
    void onlyTheEntryPointsOfQueryTextParseIt() {
        Set<String> allowed = Set.of(
                "rules/RuleLoader.java",   // rule files, at load (located errors)
                "rules/Hunt.java",         // a hunt's rendered template, once per run of the hunt
                "plan/Planner.java",       // builds its prefilter text and parses it to check and keep it
                "detect/Batch.java",       // Entry.parse: ad-hoc text (tests, the query command's cloud path)
                "cli/QueryCommand.java",   // the query the user typed
                "cli/HuntCommand.java",    // the hunt rendered with --param values
                "detect/SecretScrubber.java"); // forQuery(String), for tests only: text that may not parse
        assertThat(CODE.entrySet().stream().filter(e -> !e.getKey().equals("detect/SecretScrubber.java")
                && Pattern.compile("SecretScrubber\\.forQuery\\((text|\\w+\\.queryText\\(\\))").matcher(e.getValue())
                .find()).map(Map.Entry::getKey)).as("main code scrubs with the parsed query").isEmpty();
        List<String> parsing = new ArrayList<>();
        CODE.forEach((file, code) -> {
            if (!file.startsWith("query/") && Pattern.compile("\\bQuery\\.parse\\(|new Parser\\(").matcher(code)
                    .find() && !allowed.contains(file)) {
                parsing.add(file);
            }
        });
        assertThat(parsing).as("classes parsing query text outside its entry points").isEmpty();
        for (String backEnd : List.of("detect/LocalBackend.java", "detect/PlannedBackend.java",
                "detect/Detector.java", "aws/InsightsBackend.java")) {
            assertThat(CODE.get(backEnd)).as(backEnd).isNotNull().doesNotContain("Query.parse(");
        }
    }

    @Test
    void noRegexInspectsQueryText() {
        // what the regexes CUTS_ROWS and STATS guessed from the text is now Query.cutsRows() and Query.aggregate()
        assertThat(filesMatching("", Pattern.compile("CUTS_ROWS|Pattern\\.compile\\([^)]*stats"))).isEmpty();
        assertThat(filesMatching("", Pattern.compile("queryText\\(\\)\\s*\\)?\\s*\\.(matches|contains|indexOf)")))
                .isEmpty();
    }

    @Test
    void nothingAsksABackEndWhatItIs() {
        assertThat(filesMatching("", Pattern.compile(
                "instanceof\\s+(LocalBackend|PlannedBackend|InsightsBackend|QueryBackend)\\b"))).isEmpty();
    }

    @Test
    void theLambdaPackageIsTheThinHandlerAndItsConfigOnly() {
        List<String> lambda = CODE.keySet().stream().filter(f -> f.startsWith("lambda/")).toList();
        assertThat(lambda).containsExactlyInAnyOrder("lambda/Handler.java", "lambda/Config.java");
        assertThat(filesMatching("", Pattern.compile("import io\\.ekslookout\\.lambda\\.")))
                .allSatisfy(hit -> assertThat(hit).startsWith("lambda/"));
    }
}
