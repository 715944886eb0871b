package io.ekslookout.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.query.Query;
import io.ekslookout.query.QueryException;
import io.ekslookout.query.Regex;
import io.ekslookout.settings.SettingsDuration;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads and validates a rules directory: {@code *.yaml} rules, {@code hunts/*.yaml} hunts, and their tests in
 * {@code tests/} and {@code hunts/tests/}. Validation does not stop at the first problem: every problem of every
 * file is collected, each located at file:line:column (a query error at the line and column inside the YAML
 * file), and thrown together in one {@link RuleValidationException}.
 */
public final class RuleLoader {
    /** The keys a rule file may have (rules/schema.json lists the same). */
    public static final List<String> RULE_KEYS = List.of("id", "title", "summary", "severity", "description", "query",
            "threshold", "suppress", "groupBy", "tags", "runbook", "enabled");
    static final List<String> RULE_REQUIRED = List.of("id", "title", "summary", "severity", "description", "query");
    public static final List<String> THRESHOLD_KEYS = List.of("column", "op", "value");
    public static final List<String> HUNT_KEYS = List.of("id", "title", "description", "params", "query", "tags");
    static final List<String> HUNT_REQUIRED = List.of("id", "title", "description", "query");
    public static final List<String> PARAM_KEYS = List.of("description", "default", "required");
    static final List<String> TEST_KEYS = List.of("rule", "hunt", "cases");
    static final List<String> CASE_KEYS = List.of("name", "expect", "matchCount", "params", "events");
    static final List<String> EVENT_KEYS = List.of("logStream", "timestamp", "repeat", "message");

    private static final com.google.re2j.Pattern KEBAB = com.google.re2j.Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    /** The size cap of one rule, hunt or test file (a larger one is a located problem at its 1:1). */
    public static final int MAX_FILE_BYTES = YamlTree.MAX_FILE_BYTES;

    /** One file to load: its name as shown in messages, and its text. */
    public record SourceFile(String name, String text) {
    }

    private RuleLoader() {
    }

    /**
     * Loads rules/, rules/hunts/ and their tests from a directory, with the tuning overlay
     * {@code dir/}{@value Overrides#FILE_NAME} applied when the directory has one.
     */
    public static RuleSet loadDirectory(Path dir) throws RuleValidationException {
        return loadDirectory(dir, null);
    }

    /**
     * Loads a rules directory with a tuning overlay: {@code overridesFile}, which must exist, or when it is null
     * {@code dir/}{@value Overrides#FILE_NAME} if present. The overlay is validated with the rules (its problems are
     * located like theirs) and applied to {@link RuleSet#rules()}.
     */
    public static RuleSet loadDirectory(Path dir, Path overridesFile) throws RuleValidationException {
        if (!Files.isDirectory(dir)) {
            throw new RuleValidationException(List.of(new RuleProblem(display(dir), 1, 1,
                    Files.exists(dir) ? "not a directory: give the rules directory" : "no such rules directory")));
        }
        List<RuleProblem> problems = new ArrayList<>();
        // the overlay is not a rule file, even when it sits among them
        List<SourceFile> rules = readAll(dir, problems, p -> !isOverlayName(p.getFileName().toString())
                && (overridesFile == null || !display(p).equals(display(overridesFile))));
        List<SourceFile> hunts = readAll(dir.resolve("hunts"), problems);
        List<SourceFile> tests = readAll(dir.resolve("tests"), problems);
        List<SourceFile> huntTests = readAll(dir.resolve("hunts").resolve("tests"), problems);
        SourceFile overlay = null;
        Path op = overridesFile != null ? overridesFile : dir.resolve(Overrides.FILE_NAME);
        if (overridesFile != null || Files.isRegularFile(op)) {
            overlay = readOne(op, problems);
        }
        return load(rules, hunts, tests, huntTests, overlay, problems);
    }

    /** True for the overlay's own name in a rules directory (overrides.yaml or .yml): never a rule file. */
    private static boolean isOverlayName(String fileName) {
        return fileName.equals(Overrides.FILE_NAME) || fileName.equals("overrides.yml");
    }

    /** One file, with the same size cap as rule files; null (and a located problem) when it cannot be read. */
    private static SourceFile readOne(Path p, List<RuleProblem> problems) {
        if (!Files.isRegularFile(p)) {
            problems.add(new RuleProblem(display(p), 1, 1, Files.exists(p)
                    ? "not a file: give the overrides YAML file" : "no such overrides file"));
            return null;
        }
        try {
            long size = Files.size(p);
            if (size > YamlTree.MAX_FILE_BYTES) {
                problems.add(YamlTree.tooLarge(display(p), size));
                return null;
            }
            return new SourceFile(display(p), Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            problems.add(new RuleProblem(display(p), 1, 1, "cannot read: " + e.getMessage()));
            return null;
        }
    }

    /**
     * Loads rules bundled on the classpath under {@code resourceDir} (e.g. "rules"), from a directory or a jar.
     */
    public static RuleSet loadClasspath(String resourceDir) throws RuleValidationException {
        return loadClasspath(resourceDir, RuleLoader.class.getClassLoader());
    }

    /** Loads rules under {@code resourceDir} as the given class loader sees them (a directory or a jar). */
    public static RuleSet loadClasspath(String resourceDir, ClassLoader loader) throws RuleValidationException {
        return loadClasspath(resourceDir, loader, null);
    }

    /** Loads the bundled rules with a tuning overlay from a file (see {@link #loadDirectory(Path, Path)}). */
    public static RuleSet loadClasspath(String resourceDir, ClassLoader loader, Path overridesFile)
            throws RuleValidationException {
        String base = resourceDir.replaceAll("^/+|/+$", "");
        URL url = loader.getResource(base);
        if (url == null) {
            throw new RuleValidationException(List.of(new RuleProblem("classpath:" + base, 1, 1,
                    "no rules bundled on the classpath")));
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.getFileSystem(uri);
                } catch (FileSystemNotFoundException e) {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                }
                return loadDirectory(fs.getPath("/" + base), overridesFile);
            }
            return loadDirectory(Path.of(uri), overridesFile);
        } catch (URISyntaxException | IOException e) {
            throw new RuleValidationException(List.of(new RuleProblem("classpath:" + base, 1, 1,
                    "cannot read bundled rules: " + e.getMessage())));
        }
    }

    private static List<SourceFile> readAll(Path dir, List<RuleProblem> problems) {
        return readAll(dir, problems, p -> true);
    }

    private static List<SourceFile> readAll(Path dir, List<RuleProblem> problems,
                                            java.util.function.Predicate<Path> wanted) {
        List<SourceFile> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".yaml")
                            || p.getFileName().toString().endsWith(".yml"))
                    .filter(wanted)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
            for (Path p : files) {
                try {
                    long size = Files.size(p);
                    if (size > YamlTree.MAX_FILE_BYTES) {
                        // not even read: a huge file must not cost memory before it is refused
                        problems.add(YamlTree.tooLarge(display(p), size));
                        continue;
                    }
                    out.add(new SourceFile(display(p), Files.readString(p, StandardCharsets.UTF_8)));
                } catch (IOException | RuntimeException e) {
                    problems.add(new RuleProblem(display(p), 1, 1, "cannot read: " + e.getMessage()));
                }
            }
        } catch (IOException e) {
            problems.add(new RuleProblem(display(dir), 1, 1, "cannot list: " + e.getMessage()));
        }
        return out;
    }

    /** A file's name in messages: its path, or classpath:PATH for a file inside a jar. */
    private static String display(Path p) {
        if (p.getFileSystem() != FileSystems.getDefault()) {
            return "classpath:" + p.toString().replaceAll("^/+", "");
        }
        return p.toString();
    }

    /** Validates and loads the given files; throws with every problem found. */
    public static RuleSet load(List<SourceFile> ruleFiles, List<SourceFile> huntFiles, List<SourceFile> testFiles,
                               List<SourceFile> huntTestFiles) throws RuleValidationException {
        return load(ruleFiles, huntFiles, testFiles, huntTestFiles, null, new ArrayList<>());
    }

    /** Validates and loads the given files with a tuning overlay (null for none); throws with every problem. */
    public static RuleSet load(List<SourceFile> ruleFiles, List<SourceFile> huntFiles, List<SourceFile> testFiles,
                               List<SourceFile> huntTestFiles, SourceFile overrides) throws RuleValidationException {
        return load(ruleFiles, huntFiles, testFiles, huntTestFiles, overrides, new ArrayList<>());
    }

    private static RuleSet load(List<SourceFile> ruleFiles, List<SourceFile> huntFiles, List<SourceFile> testFiles,
                                List<SourceFile> huntTestFiles, SourceFile overridesFile, List<RuleProblem> problems)
            throws RuleValidationException {
        List<Rule> rules = new ArrayList<>();
        Map<String, String> ruleIdAt = new HashMap<>();
        for (SourceFile f : ruleFiles) {
            FileCheck c = new FileCheck(f, problems);
            Rule r = c.rule();
            // ids count even when the rule has other errors: no "unknown rule" cascade for its tests
            if (c.declaredId != null) {
                String earlier = ruleIdAt.putIfAbsent(c.declaredId, f.name());
                if (earlier != null) {
                    c.problemAt(c.idNode, "duplicate rule id '" + c.declaredId + "' (also in " + earlier + ")");
                } else if (r != null) {
                    rules.add(r);
                }
            }
        }
        List<Hunt> hunts = new ArrayList<>();
        Map<String, String> huntIdAt = new HashMap<>();
        for (SourceFile f : huntFiles) {
            FileCheck c = new FileCheck(f, problems);
            Hunt h = c.hunt();
            if (c.declaredId != null) {
                String earlier = huntIdAt.putIfAbsent(c.declaredId, f.name());
                if (earlier != null) {
                    c.problemAt(c.idNode, "duplicate hunt id '" + c.declaredId + "' (also in " + earlier + ")");
                } else if (h != null) {
                    hunts.add(h);
                }
            }
        }
        List<RuleTest> tests = new ArrayList<>();
        Map<String, Rule> ruleById = new LinkedHashMap<>();
        rules.forEach(r -> ruleById.put(r.id(), r));
        Map<String, Hunt> huntById = new LinkedHashMap<>();
        hunts.forEach(h -> huntById.put(h.id(), h));
        for (SourceFile f : testFiles) {
            RuleTest t = new FileCheck(f, problems).test(false, ruleById, huntById, ruleIdAt.keySet());
            if (t != null) {
                tests.add(t);
            }
        }
        for (SourceFile f : huntTestFiles) {
            RuleTest t = new FileCheck(f, problems).test(true, ruleById, huntById, huntIdAt.keySet());
            if (t != null) {
                tests.add(t);
            }
        }
        Overrides overrides = overridesFile == null ? Overrides.NONE
                : new FileCheck(overridesFile, problems).overrides(ruleById, ruleIdAt.keySet());
        if (!problems.isEmpty()) {
            throw new RuleValidationException(sorted(problems));
        }
        return new RuleSet(overrides.apply(rules), hunts, tests, rules, overrides);
    }

    /** Files in the order they were read, each file's problems by line and column. */
    private static List<RuleProblem> sorted(List<RuleProblem> problems) {
        Map<String, Integer> fileOrder = new HashMap<>();
        for (RuleProblem p : problems) {
            fileOrder.putIfAbsent(p.file(), fileOrder.size());
        }
        List<RuleProblem> out = new ArrayList<>(problems);
        out.sort(Comparator.comparing((RuleProblem p) -> fileOrder.get(p.file()))
                .thenComparingInt(RuleProblem::line).thenComparingInt(RuleProblem::column));
        return out;
    }

    /** Validation of one file: every check adds located problems and carries on. */
    /**
     * The value of a YAML integer scalar when it is a whole number in [min, max], else null (the caller reports it
     * where it stands). Any length of digits is safe: a number past a long is out of range, not an exception.
     */
    static Long wholeNumber(YamlNode node, long min, long max) {
        if (!(node instanceof YamlNode.Scalar s) || s.type() != YamlNode.Scalar.Type.INTEGER) {
            return null;
        }
        BigInteger v = yamlInteger(s.text());
        return v != null && v.compareTo(BigInteger.valueOf(min)) >= 0 && v.compareTo(BigInteger.valueOf(max)) <= 0
                ? v.longValue() : null;
    }

    private static final class FileCheck {
        private final SourceFile file;
        private final List<RuleProblem> problems;
        YamlNode idNode;
        String declaredId;

        FileCheck(SourceFile file, List<RuleProblem> problems) {
            this.file = file;
            this.problems = problems;
        }

        void problemAt(YamlNode n, String message) {
            problems.add(new RuleProblem(file.name(), n == null ? 1 : n.line(), n == null ? 1 : n.column(), message));
        }

        void problem(int line, int column, String message) {
            problems.add(new RuleProblem(file.name(), line, column, message));
        }

        private String baseName() {
            String n = file.name().replace('\\', '/');
            n = n.substring(n.lastIndexOf('/') + 1);
            return n.replaceAll("\\.ya?ml$", "");
        }

        private YamlNode.Mapping document(String what) {
            int before = problems.size();
            YamlNode root = YamlTree.parse(file.name(), file.text(), problems);
            if (root == null) {
                if (problems.size() == before) {
                    problem(1, 1, "empty file: expected " + what);
                }
                return null;
            }
            if (!(root instanceof YamlNode.Mapping m)) {
                problemAt(root, "expected " + what + " (a mapping of keys), found " + root.kind());
                return null;
            }
            return m;
        }

        /** Reports keys not in {@code allowed} (with a did-you-mean) and missing required keys. */
        private void keys(YamlNode.Mapping m, List<String> allowed, List<String> required, String what) {
            for (YamlNode.Mapping.Entry e : m.entries().values()) {
                if (!allowed.contains(e.key())) {
                    String hint = didYouMean(e.key(), allowed);
                    problem(e.line(), e.column(), "unknown key '" + e.key() + "' in " + what
                            + (hint != null ? " (did you mean '" + hint + "'?)" : "")
                            + "; allowed keys: " + String.join(", ", allowed));
                }
            }
            for (String k : required) {
                if (!m.entries().containsKey(k)) {
                    problemAt(m, "missing required key '" + k + "' in " + what);
                }
            }
        }

        private String string(YamlNode.Mapping m, String key, boolean nonBlank) {
            YamlNode n = m.get(key);
            if (n == null) {
                return null;
            }
            if (!(n instanceof YamlNode.Scalar s) || s.isNull()) {
                problemAt(n, "'" + key + "' must be text, found " + n.kind());
                return null;
            }
            if (nonBlank && s.text().isBlank()) {
                problemAt(n, "'" + key + "' must not be empty");
                return null;
            }
            return s.text();
        }

        /** The rule's summary: one line of at most {@link Rule#SUMMARY_MAX} characters (missing: see keys()). */
        private String summary(YamlNode.Mapping m) {
            String s = string(m, "summary", true);
            if (s == null) {
                return null;
            }
            String one = s.strip();
            if (one.contains("\n") || one.contains("\r")) {
                problemAt(m.get("summary"), "'summary' must be one line (one sentence shown in every message; the "
                        + "description holds the rest)");
                return null;
            }
            int n = one.codePointCount(0, one.length());
            if (n > Rule.SUMMARY_MAX) {
                problemAt(m.get("summary"), "'summary' is " + n + " characters, expected at most " + Rule.SUMMARY_MAX
                        + " (one sentence that reads at a glance; the description holds the rest)");
                return null;
            }
            return one;
        }

        /** A list of strings; a single string is accepted as a one-item list. */
        private List<String> strings(YamlNode.Mapping m, String key) {
            YamlNode n = m.get(key);
            if (n == null) {
                return List.of();
            }
            return strings(n, "'" + key + "'");
        }

        private List<String> strings(YamlNode n, String what) {
            List<String> out = new ArrayList<>();
            if (n instanceof YamlNode.Scalar s && !s.isNull()) {
                out.add(s.text());
            } else if (n instanceof YamlNode.Sequence seq) {
                for (YamlNode item : seq.items()) {
                    if (item instanceof YamlNode.Scalar s && !s.isNull()) {
                        out.add(s.text());
                    } else {
                        problemAt(item, what + " items must be text, found " + item.kind());
                    }
                }
            } else {
                problemAt(n, what + " must be a list of text, found " + n.kind());
            }
            return out;
        }

        private void checkId(YamlNode.Mapping m, String id, String what) {
            idNode = m.get("id");
            declaredId = id;
            if (id == null) {
                return;
            }
            if (!KEBAB.matcher(id).matches()) {
                problemAt(idNode, what + " id '" + id + "' is not kebab-case (lower-case letters, digits, dashes)");
            }
            if (!id.equals(baseName())) {
                problemAt(idNode, what + " id '" + id + "' does not match its file name '" + baseName()
                        + ".yaml' (rename one of them)");
            }
        }

        /** Parses a query; on failure reports the error at its line:column inside this YAML file. */
        private Query parseQuery(YamlNode node, String text) {
            try {
                return Query.parse(text);
            } catch (QueryException e) {
                int[] at = ScalarPositions.of(file.text(), node, text).locate(text, e.line(), e.column());
                problem(at[0], at[1], "query does not parse: " + e.reason());
                return null;
            } catch (RuntimeException e) {
                problemAt(node, "query could not be checked: " + e);
                return null;
            }
        }

        Rule rule() {
            YamlNode.Mapping m = document("a rule");
            if (m == null) {
                return null;
            }
            keys(m, RULE_KEYS, RULE_REQUIRED, "a rule");
            String id = string(m, "id", true);
            checkId(m, id, "rule");
            String title = string(m, "title", true);
            String summary = summary(m);
            String description = string(m, "description", false);
            Severity severity = null;
            String sev = string(m, "severity", true);
            if (sev != null) {
                severity = Severity.parse(sev);
                if (severity == null) {
                    problemAt(m.get("severity"), "severity '" + sev + "' is not one of " + Severity.choices());
                }
            }
            String queryText = string(m, "query", true);
            Query query = null;
            Optional<Set<String>> columns = Optional.empty();
            if (queryText != null) {
                query = parseQuery(m.get("query"), queryText);
                // the engine's projection: exactly the columns result rows can carry (unknown when it did not parse)
                if (query != null) {
                    columns = Optional.of(new LinkedHashSet<>(query.columns()));
                }
            }
            Threshold threshold = threshold(m.get("threshold"), columns);
            Suppression suppress = suppress(m.get("suppress"), columns);
            List<String> groupBy = strings(m, "groupBy");
            if (m.get("groupBy") != null) {
                checkColumns(m.get("groupBy"), groupBy, columns, "groupBy field");
            }
            List<String> tags = strings(m, "tags");
            String runbook = string(m, "runbook", false);
            boolean enabled = true;
            YamlNode en = m.get("enabled");
            if (en != null) {
                if (en instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.BOOLEAN) {
                    enabled = Boolean.parseBoolean(s.text());
                } else {
                    problemAt(en, "'enabled' must be true or false, found " + en.kind());
                }
            }
            if (id == null || title == null || severity == null || queryText == null || query == null) {
                return null;
            }
            return new Rule(id, title, severity, description, queryText, query, threshold, suppress, groupBy, tags,
                    runbook, enabled, file.name(), summary);
        }

        /** Reports names that are not among the query's result columns (when those are known). */
        private void checkColumns(YamlNode node, List<String> names, Optional<Set<String>> columns, String what) {
            if (columns.isEmpty()) {
                return;
            }
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                if (!columns.get().contains(name)) {
                    YamlNode at = node instanceof YamlNode.Sequence seq && i < seq.items().size()
                            ? seq.items().get(i) : node;
                    String hint = didYouMean(name, new ArrayList<>(columns.get()));
                    problemAt(at, what + " '" + name + "' is not a column of the query's results"
                            + (hint != null ? " (did you mean '" + hint + "'?)" : "")
                            + "; columns: " + String.join(", ", columns.get()));
                }
            }
        }

        private Threshold threshold(YamlNode n, Optional<Set<String>> columns) {
            if (n == null) {
                return null;
            }
            if (!(n instanceof YamlNode.Mapping m)) {
                problemAt(n, "'threshold' must be a mapping with column, op and value, found " + n.kind());
                return null;
            }
            keys(m, THRESHOLD_KEYS, THRESHOLD_KEYS, "threshold");
            String column = string(m, "column", true);
            String opText = string(m, "op", true);
            Threshold.Op op = null;
            if (opText != null) {
                op = Threshold.Op.parse(opText);
                if (op == null) {
                    problemAt(m.get("op"), "threshold op '" + opText + "' is not one of " + Threshold.Op.choices());
                }
            }
            String value = null;
            YamlNode v = m.get("value");
            if (v instanceof YamlNode.Scalar s && !s.isNull()) {
                value = s.text();
            } else if (v != null) {
                problemAt(v, "threshold value must be a number or text, found " + v.kind());
            }
            if (column != null) {
                checkColumns(m.get("column"), List.of(column), columns, "threshold column");
            }
            if (op != null && value != null && Threshold.number(value) == null
                    && op != Threshold.Op.EQ && op != Threshold.Op.NE) {
                problemAt(v, "threshold op '" + op.symbol() + "' needs a number, found '" + value + "'");
                return null;
            }
            return column == null || op == null || value == null ? null : new Threshold(column, op, value);
        }

        private Suppression suppress(YamlNode n, Optional<Set<String>> columns) {
            if (n == null) {
                return Suppression.NONE;
            }
            if (!(n instanceof YamlNode.Mapping m)) {
                problemAt(n, "'suppress' must be a mapping of field → values, found " + n.kind());
                return Suppression.NONE;
            }
            Map<String, List<Suppression.Matcher>> by = new LinkedHashMap<>();
            for (YamlNode.Mapping.Entry e : m.entries().values()) {
                if (columns.isPresent() && !columns.get().contains(e.key())) {
                    String hint = didYouMean(e.key(), new ArrayList<>(columns.get()));
                    problem(e.line(), e.column(), "suppress field '" + e.key() + "' is not a column of the query's"
                            + " results, so it would never match"
                            + (hint != null ? " (did you mean '" + hint + "'?)" : "")
                            + "; columns: " + String.join(", ", columns.get()));
                }
                List<YamlNode> items = e.value() instanceof YamlNode.Sequence seq ? seq.items() : List.of(e.value());
                List<Suppression.Matcher> ms = new ArrayList<>();
                for (YamlNode item : items) {
                    if (!(item instanceof YamlNode.Scalar s) || s.isNull()) {
                        problemAt(item, "suppress values must be text or /regex/, found " + item.kind());
                        continue;
                    }
                    try {
                        ms.add(Suppression.matcher(s.text()));
                    } catch (Regex.Refused ex) {
                        int col = item.column();
                        if (ex.index() >= 0) {
                            boolean quoted = file.text().length() > item.offset()
                                    && "\"'".indexOf(file.text().charAt((int) item.offset())) >= 0;
                            col += (quoted ? 1 : 0) + 1 + ex.index();
                        }
                        problem(item.line(), col, "bad regex in suppress for '" + e.key() + "': "
                                + ex.getMessage());
                    }
                }
                by.put(e.key(), ms);
            }
            return new Suppression(by);
        }

        /**
         * The tuning overlay: a mapping of rule id → changes. Each change is checked against the rule it changes
         * (threshold and suppress columns against that rule's query). A file with only comments changes nothing.
         */
        Overrides overrides(Map<String, Rule> rules, Set<String> knownIds) {
            int before = problems.size();
            YamlNode root = YamlTree.parse(file.name(), file.text(), problems);
            if (root == null || (root instanceof YamlNode.Scalar s && s.isNull())) {
                return problems.size() == before ? new Overrides(file.name(), Map.of()) : Overrides.NONE;
            }
            if (!(root instanceof YamlNode.Mapping m)) {
                problemAt(root, "expected overrides (a mapping of rule id → changes), found " + root.kind());
                return Overrides.NONE;
            }
            Map<String, Overrides.Change> by = new LinkedHashMap<>();
            for (YamlNode.Mapping.Entry e : m.entries().values()) {
                String id = e.key();
                if (!knownIds.contains(id)) {
                    String hint = didYouMean(id, new ArrayList<>(knownIds));
                    problem(e.line(), e.column(), "overrides for unknown rule '" + id + "'"
                            + (hint != null ? " (did you mean '" + hint + "'?)" : "")
                            + (knownIds.isEmpty() ? "" : "; rules: " + String.join(", ", new java.util.TreeSet<>(knownIds))));
                    continue;
                }
                if (!(e.value() instanceof YamlNode.Mapping c)) {
                    problemAt(e.value(), "overrides of '" + id + "' must be a mapping of " + String.join(", ",
                            Overrides.KEYS) + "; found " + e.value().kind());
                    continue;
                }
                Overrides.Change change = change(id, c, rules.get(id));
                if (change != null) {
                    by.put(id, change);
                }
            }
            return new Overrides(file.name(), by);
        }

        private Overrides.Change change(String id, YamlNode.Mapping c, Rule rule) {
            keys(c, Overrides.KEYS, List.of(), "the overrides of '" + id + "'");
            // the rule's result columns; unknown when the rule itself did not load (its own problems say why)
            Optional<Set<String>> columns = rule == null ? Optional.empty()
                    : Optional.of(new LinkedHashSet<>(rule.query().columns()));
            Boolean enabled = null;
            YamlNode en = c.get("enabled");
            if (en != null) {
                if (en instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.BOOLEAN) {
                    enabled = Boolean.parseBoolean(s.text());
                } else {
                    problemAt(en, "'enabled' must be true or false, found " + en.kind());
                }
            }
            Severity severity = null;
            String sev = string(c, "severity", true);
            if (sev != null) {
                severity = Severity.parse(sev);
                if (severity == null) {
                    problemAt(c.get("severity"), "severity '" + sev + "' is not one of " + Severity.choices());
                }
            }
            Suppression suppress = suppress(c.get("suppress"), columns);
            Threshold threshold = threshold(c.get("threshold"), columns);
            Duration renotify = null;
            YamlNode rn = c.get("renotifyAfter");
            if (rn != null) {
                Duration d = rn instanceof YamlNode.Scalar s && !s.isNull() ? SettingsDuration.parse(s.text()) : null;
                if (d == null) {
                    problemAt(rn, "'renotifyAfter' must be a duration such as 30m, 6h, 1d or PT6H");
                } else if (d.compareTo(Overrides.MIN_RENOTIFY) < 0 || d.compareTo(Overrides.MAX_RENOTIFY) > 0) {
                    problemAt(rn, "'renotifyAfter' is " + (d == SettingsDuration.TOO_LARGE ? "too large"
                            : SettingsDuration.show(d)) + ", expected from "
                            + SettingsDuration.show(Overrides.MIN_RENOTIFY) + " to "
                            + SettingsDuration.show(Overrides.MAX_RENOTIFY));
                } else {
                    renotify = d;
                }
            }
            return new Overrides.Change(id, enabled, severity, suppress, threshold, renotify);
        }

        Hunt hunt() {
            YamlNode.Mapping m = document("a hunt");
            if (m == null) {
                return null;
            }
            keys(m, HUNT_KEYS, HUNT_REQUIRED, "a hunt");
            String id = string(m, "id", true);
            checkId(m, id, "hunt");
            String title = string(m, "title", true);
            String description = string(m, "description", false);
            Map<String, Hunt.Param> params = new LinkedHashMap<>();
            YamlNode pn = m.get("params");
            if (pn instanceof YamlNode.Mapping pm) {
                for (YamlNode.Mapping.Entry e : pm.entries().values()) {
                    if (!(e.value() instanceof YamlNode.Mapping p)) {
                        problemAt(e.value(), "parameter '" + e.key() + "' must be a mapping with description,"
                                + " default, required; found " + e.value().kind());
                        continue;
                    }
                    keys(p, PARAM_KEYS, List.of(), "parameter '" + e.key() + "'");
                    String desc = string(p, "description", false);
                    String def = null;
                    YamlNode dn = p.get("default");
                    if (dn instanceof YamlNode.Scalar s && !s.isNull()) {
                        def = s.text();
                    } else if (dn != null && !(dn instanceof YamlNode.Scalar)) {
                        problemAt(dn, "default of '" + e.key() + "' must be text or a number, found " + dn.kind());
                    }
                    boolean required = def == null;
                    YamlNode rn = p.get("required");
                    if (rn instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.BOOLEAN) {
                        required = Boolean.parseBoolean(s.text());
                        if (required && def != null) {
                            problemAt(rn, "parameter '" + e.key() + "' is required but has a default");
                        }
                    } else if (rn != null) {
                        problemAt(rn, "'required' must be true or false, found " + rn.kind());
                    }
                    params.put(e.key(), new Hunt.Param(e.key(), desc, def, required && def == null));
                }
            } else if (pn != null && !(pn instanceof YamlNode.Scalar s && s.isNull())) {
                problemAt(pn, "'params' must be a mapping of name → {description, default, required}, found "
                        + pn.kind());
            }
            String template = string(m, "query", true);
            if (template != null) {
                YamlNode qn = m.get("query");
                Set<String> used = new LinkedHashSet<>();
                for (Hunt.Slot s : Hunt.slots(template)) {
                    used.add(s.name());
                    if (!params.containsKey(s.name())) {
                        int[] at = ScalarPositions.of(file.text(), qn, template)
                                .locate(template, lineAt(template, s.start()), colAt(template, s.start()));
                        problem(at[0], at[1], "placeholder {{" + s.name() + "}} is not a declared parameter"
                                + (params.isEmpty() ? "" : " (parameters: " + String.join(", ", params.keySet()) + ")"));
                    }
                }
                for (String p : params.keySet()) {
                    if (!used.contains(p)) {
                        problemAt(pn instanceof YamlNode.Mapping pm ? pm.get(p) : pn,
                                "parameter '" + p + "' is never used in the query (no {{" + p + "}})");
                    }
                }
                // The template must parse once filled in: each placeholder becomes a same-length stand-in, so
                // a parse error's column still points into the file.
                parseQuery(qn, standIn(template));
            }
            if (id == null || title == null || template == null) {
                return null;
            }
            return new Hunt(id, title, description, params, template, file.name());
        }

        RuleTest test(boolean huntTests, Map<String, Rule> rules, Map<String, Hunt> hunts, Set<String> knownIds) {
            YamlNode.Mapping m = document("a test file (rule: ID, cases: [...])");
            if (m == null) {
                return null;
            }
            String targetKey = huntTests ? "hunt" : "rule";
            List<String> required = new ArrayList<>(List.of("cases"));
            if (!m.entries().containsKey("rule") && !m.entries().containsKey("hunt")) {
                required.add(0, targetKey);
            }
            keys(m, TEST_KEYS, required, "a test file");
            String target = m.entries().containsKey("hunt") ? string(m, "hunt", true) : string(m, "rule", true);
            YamlNode targetNode = m.get("hunt") != null ? m.get("hunt") : m.get("rule");
            Hunt hunt = null;
            if (target != null) {
                if (huntTests) {
                    hunt = hunts.get(target);
                } else if (m.get("hunt") != null) {
                    problemAt(targetNode, "tests under tests/ are for rules: use 'rule:', or move this file to"
                            + " hunts/tests/");
                }
                if (!knownIds.contains(target)) {
                    String hint = didYouMean(target, new ArrayList<>(knownIds));
                    problemAt(targetNode, "test file for unknown " + (huntTests ? "hunt" : "rule") + " '" + target
                            + "'" + (hint != null ? " (did you mean '" + hint + "'?)" : ""));
                }
            }
            List<RuleTest.Case> cases = new ArrayList<>();
            YamlNode cn = m.get("cases");
            if (cn instanceof YamlNode.Sequence seq) {
                if (seq.items().isEmpty()) {
                    problemAt(cn, "'cases' is empty: add events that must fire and near-misses that must not");
                }
                for (YamlNode item : seq.items()) {
                    RuleTest.Case c = testCase(item, huntTests, hunt);
                    if (c != null) {
                        cases.add(c);
                    }
                }
            } else if (cn != null) {
                problemAt(cn, "'cases' must be a list, found " + cn.kind());
            }
            if (target == null) {
                return null;
            }
            return new RuleTest(target, huntTests, cases, file.name());
        }

        private RuleTest.Case testCase(YamlNode n, boolean huntTests, Hunt hunt) {
            if (!(n instanceof YamlNode.Mapping m)) {
                problemAt(n, "a case must be a mapping (name, expect, events), found " + n.kind());
                return null;
            }
            keys(m, CASE_KEYS, List.of("name", "expect", "events"), "a test case");
            String name = string(m, "name", true);
            RuleTest.Expect expect = null;
            String ex = string(m, "expect", true);
            if (ex != null) {
                if (ex.equalsIgnoreCase("fire")) {
                    expect = RuleTest.Expect.FIRE;
                } else if (ex.equalsIgnoreCase("quiet")) {
                    expect = RuleTest.Expect.QUIET;
                } else {
                    problemAt(m.get("expect"), "expect '" + ex + "' is not one of fire, quiet");
                }
            }
            Long matchCount = null;
            YamlNode mc = m.get("matchCount");
            if (mc != null) {
                Long count = wholeNumber(mc, 0, Long.MAX_VALUE);
                if (count != null) {
                    matchCount = count;
                    if (expect == RuleTest.Expect.QUIET && matchCount != 0) {
                        problemAt(mc, "a quiet case cannot expect matchCount " + matchCount);
                    }
                } else {
                    problemAt(mc, "matchCount must be a whole number ≥ 0, found " + mc.kind());
                }
            }
            Map<String, String> params = new LinkedHashMap<>();
            YamlNode pn = m.get("params");
            if (pn != null) {
                if (!huntTests) {
                    problemAt(pn, "'params' is only for hunt tests");
                } else if (pn instanceof YamlNode.Mapping pm) {
                    for (YamlNode.Mapping.Entry e : pm.entries().values()) {
                        if (e.value() instanceof YamlNode.Scalar s && !s.isNull()) {
                            params.put(e.key(), s.text());
                        } else {
                            problemAt(e.value(), "param '" + e.key() + "' must be text or a number");
                        }
                        if (hunt != null && !hunt.params().containsKey(e.key())) {
                            problem(e.line(), e.column(), "hunt '" + hunt.id() + "' has no parameter '" + e.key()
                                    + "'" + (hunt.params().isEmpty() ? "" : " (parameters: "
                                    + String.join(", ", hunt.params().keySet()) + ")"));
                        }
                    }
                } else {
                    problemAt(pn, "'params' must be a mapping of name → value, found " + pn.kind());
                }
            }
            if (hunt != null) {
                for (Hunt.Param p : hunt.params().values()) {
                    if (p.required() && !params.containsKey(p.name())) {
                        problemAt(m, "case needs a value for the hunt's required parameter '" + p.name() + "'");
                    }
                }
            }
            List<RuleTest.Event> events = new ArrayList<>();
            YamlNode en = m.get("events");
            if (en instanceof YamlNode.Sequence seq) {
                Instant next = RuleTest.BASE_TIME;
                for (YamlNode item : seq.items()) {
                    next = event(item, next, events);
                }
            } else if (en != null && !(en instanceof YamlNode.Scalar s && s.isNull())) {
                problemAt(en, "'events' must be a list, found " + en.kind());
            }
            if (name == null || expect == null) {
                return null;
            }
            return new RuleTest.Case(name, expect, matchCount, params, events, m.line());
        }

        /** Adds the event (repeated) and returns the default time of the next one. */
        private Instant event(YamlNode n, Instant next, List<RuleTest.Event> out) {
            if (!(n instanceof YamlNode.Mapping m)) {
                problemAt(n, "an event must be a mapping (logStream, message), found " + n.kind());
                return next;
            }
            keys(m, EVENT_KEYS, List.of("logStream", "message"), "an event");
            String stream = string(m, "logStream", true);
            Instant at = next;
            String ts = string(m, "timestamp", true);
            if (ts != null) {
                try {
                    at = Instant.parse(ts.trim());
                } catch (DateTimeParseException e) {
                    problemAt(m.get("timestamp"), "timestamp '" + ts + "' is not an ISO-8601 instant such as"
                            + " 2026-11-20T10:00:00.000Z");
                }
            }
            int repeat = 1;
            YamlNode rn = m.get("repeat");
            if (rn != null) {
                Long times = wholeNumber(rn, 1, 100_000);
                if (times != null) {
                    repeat = times.intValue();
                } else {
                    problemAt(rn, "repeat must be a whole number from 1 to 100000");
                }
            }
            String message = null;
            YamlNode mn = m.get("message");
            if (mn instanceof YamlNode.Scalar s && s.type() == YamlNode.Scalar.Type.STRING) {
                message = s.text();
            } else if (mn instanceof YamlNode.Mapping) {
                message = toJson(mn).toString();
            } else if (mn != null) {
                problemAt(mn, "message must be a mapping (serialized as JSON) or text, found " + mn.kind());
            }
            if (stream == null || message == null) {
                return next;
            }
            for (int i = 0; i < repeat; i++) {
                out.add(new RuleTest.Event(stream, at, message));
                at = at.plusSeconds(1);
            }
            return at;
        }
    }

    /** A YAML value as JSON, keeping numbers, booleans and nulls typed. */
    static JsonNode toJson(YamlNode n) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (n instanceof YamlNode.Mapping m) {
            ObjectNode o = f.objectNode();
            m.entries().values().forEach(e -> o.set(e.key(), toJson(e.value())));
            return o;
        }
        if (n instanceof YamlNode.Sequence s) {
            ArrayNode a = f.arrayNode();
            s.items().forEach(i -> a.add(toJson(i)));
            return a;
        }
        YamlNode.Scalar s = (YamlNode.Scalar) n;
        return switch (s.type()) {
            case NULL -> f.nullNode();
            case BOOLEAN -> f.booleanNode(Boolean.parseBoolean(s.text()));
            case INTEGER -> {
                BigInteger v = yamlInteger(s.text());
                yield v == null ? f.textNode(s.text()) : f.numberNode(v);
            }
            case FLOAT -> {
                try {
                    yield f.numberNode(new BigDecimal(s.text().replace("_", "")));
                } catch (NumberFormatException e) {
                    yield f.textNode(s.text()); // .inf, .nan: JSON has no such number; kept as written
                }
            }
            case STRING -> f.textNode(s.text());
        };
    }

    /**
     * A YAML integer as written: decimal, or YAML 1.1's {@code 0x}/{@code 0o}/{@code 0b} forms, with a sign and
     * {@code _} separators; null for anything else (the caller keeps the text).
     */
    static BigInteger yamlInteger(String text) {
        String t = text.replace("_", "");
        boolean negative = t.startsWith("-");
        if (negative || t.startsWith("+")) {
            t = t.substring(1);
        }
        int radix = 10;
        if (t.length() > 2 && t.charAt(0) == '0' && "xXoObB".indexOf(t.charAt(1)) >= 0) {
            radix = switch (Character.toLowerCase(t.charAt(1))) {
                case 'x' -> 16;
                case 'o' -> 8;
                default -> 2;
            };
            t = t.substring(2);
        }
        if (t.isEmpty() || t.charAt(0) == '-' || t.charAt(0) == '+') {
            return null;
        }
        try {
            BigInteger v = new BigInteger(t, radix);
            return negative ? v.negate() : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String standIn(String template) {
        StringBuilder sb = new StringBuilder();
        int at = 0;
        for (Hunt.Slot s : Hunt.slots(template)) {
            sb.append(template, at, s.start());
            char fill = s.context() == Hunt.Context.BARE ? '1' : 'x';
            sb.append(String.valueOf(fill).repeat(s.end() - s.start()));
            at = s.end();
        }
        return sb.append(template.substring(at)).toString();
    }

    private static int lineAt(String text, int index) {
        int l = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                l++;
            }
        }
        return l;
    }

    private static int colAt(String text, int index) {
        int start = text.lastIndexOf('\n', index - 1) + 1;
        return index - start + 1;
    }

    /** The closest allowed name when it is close enough to be a likely typo, else null. */
    public static String didYouMean(String word, List<String> choices) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : choices) {
            int d = distance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int limit = Math.max(1, Math.min(3, word.length() / 3));
        return best != null && bestDistance <= limit ? best : null;
    }

    /** Edit distance counting a swap of two neighbours as one edit (optimal string alignment). */
    private static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
