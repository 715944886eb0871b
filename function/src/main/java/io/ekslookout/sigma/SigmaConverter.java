package io.ekslookout.sigma;

import io.ekslookout.query.Query;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleProblem;
import io.ekslookout.rules.RuleValidationException;
import io.ekslookout.rules.ScalarPositions;
import io.ekslookout.rules.YamlNode;
import io.ekslookout.rules.YamlTree;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Converts one Sigma rule ({@code logsource: product kubernetes, service audit}) into an eks-lookout rule file, or
 * refuses it with every located reason. Nothing is half-converted: a rule is produced only when every part of its
 * detection is expressed exactly, and the produced file is validated by {@link RuleLoader} before it is returned.
 */
public final class SigmaConverter {
    /** A converted rule: its id and the rule file's text. */
    public record Converted(String id, String title, String yaml) {
    }

    /** The outcome for one file: a rule, or the reasons it was refused (never both). */
    public record Result(String file, Converted rule, List<RuleProblem> problems) {
        public boolean ok() {
            return rule != null;
        }
    }

    /** Sigma's top-level keys that this converter reads or knowingly ignores (others are custom fields, ignored). */
    static final Set<String> KNOWN = Set.of("title", "id", "name", "related", "taxonomy", "status", "description",
            "license", "references", "author", "date", "modified", "logsource", "detection", "fields",
            "falsepositives", "level", "tags", "scope");

    private SigmaConverter() {
    }

    /** Converts the Sigma rule {@code text} read from {@code file} (the name used in messages). */
    public static Result convert(String file, String text) {
        Problems problems = new Problems(file, text);
        Converted c = new SigmaConverter().run(problems);
        if (!problems.isEmpty() || c == null) {
            if (problems.isEmpty()) {
                problems.at(1, 1, "not converted");
            }
            return new Result(file, null, List.copyOf(problems.list));
        }
        return new Result(file, c, List.of());
    }

    private Converted run(Problems problems) {
        YamlNode root = YamlTree.parse(problems.file, problems.text, problems.list);
        if (root == null) {
            if (problems.isEmpty()) {
                problems.at(1, 1, "empty file: expected a Sigma rule (title, logsource, detection)");
            }
            return null;
        }
        if (!(root instanceof YamlNode.Mapping m)) {
            problems.at(root, "expected a Sigma rule (a mapping with title, logsource, detection), found "
                    + root.kind());
            return null;
        }
        if (m.entries().containsKey("correlation")) {
            atKey(problems, m, "correlation", "a Sigma correlation rule: it counts or orders events of other"
                    + " rules, which a rule's per-event filter cannot express");
            return null;
        }
        if (m.entries().containsKey("filter") && !m.entries().containsKey("detection")) {
            atKey(problems, m, "filter", "a Sigma filter (meta rule): apply it to the Sigma rules before importing"
                    + " them");
            return null;
        }
        if (m.entries().containsKey("action")) {
            atKey(problems, m, "action", "a Sigma rule collection ('action'): give each rule as its own file");
            return null;
        }
        String title = text(problems, m, "title", true);
        String sigmaId = text(problems, m, "id", false);
        logsource(problems, m);
        String taxonomy = text(problems, m, "taxonomy", false);
        if (taxonomy != null && !taxonomy.equals("sigma")) {
            problems.at(m.get("taxonomy"), "taxonomy '" + taxonomy + "' is not supported: only Sigma's own field"
                    + " names ('sigma') are mapped to audit fields");
        }
        String status = text(problems, m, "status", false);
        if ("unsupported".equals(status)) {
            problems.at(m.get("status"), "status 'unsupported': the rule says it cannot be used as it is");
        }
        String level = text(problems, m, "level", false);
        String severity = level == null ? "medium" : switch (level) {
            case "informational" -> "info";
            case "low", "medium", "high", "critical" -> level;
            default -> {
                problems.at(m.get("level"), "level '" + level + "' is not one of informational, low, medium, high,"
                        + " critical");
                yield null;
            }
        };
        Selections selections = new Selections(problems);
        Cond detection = detection(problems, m, selections);
        List<String> fields = fields(problems, m);
        String description = text(problems, m, "description", false);
        String author = text(problems, m, "author", false);
        String date = text(problems, m, "date", false);
        String modified = text(problems, m, "modified", false);
        List<String> references = list(problems, m, "references");
        List<String> falsePositives = list(problems, m, "falsepositives");
        List<String> tags = list(problems, m, "tags");
        if (!problems.isEmpty() || title == null || detection == null || severity == null) {
            return null;
        }
        String id = ruleId(title, sigmaId);
        if (id == null) {
            problems.at(m.get("title"), "the title has no letters or digits to make a rule id from, and there is no"
                    + " Sigma id");
            return null;
        }
        String query;
        try {
            query = query(detection, selections.readsStage, fields);
            if (query.length() > Query.MAX_LENGTH) {
                throw new Cond.TooLarge();
            }
        } catch (Cond.TooLarge e) {
            atKey(problems, m, "detection", "the converted query would be over " + Query.MAX_LENGTH
                    + " characters, the most Logs Insights accepts: split the rule, or use fewer or shorter values");
            return null;
        }
        RuleFile rf = new RuleFile(id, oneLine(title), summary(description, title), severity,
                description(description, sigmaId, status, author, date, modified, references, level),
                query, runbook(falsePositives, references), tags(tags));
        String yaml = rf.yaml();
        int bytes = yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > YamlTree.MAX_FILE_BYTES) {
            problems.at(m, "the converted rule would be " + bytes + " bytes, over the " + YamlTree.MAX_FILE_BYTES
                    + "-byte (256 KiB) limit of a rule file");
            return null;
        }
        try {
            RuleLoader.load(List.of(new RuleLoader.SourceFile(id + ".yaml", yaml)), List.of(), List.of(), List.of());
        } catch (RuleValidationException e) {
            // a converter bug, never the Sigma author's: say so rather than write a rule that does not load
            problems.at(1, 1, "internal error: the converted rule does not validate (please report it): "
                    + e.problems().get(0));
            return null;
        }
        return new Converted(id, rf.title(), yaml);
    }

    /** Reports a problem at where {@code key} is written in {@code m}. */
    private static void atKey(Problems problems, YamlNode.Mapping m, String key, String message) {
        YamlNode.Mapping.Entry e = m.entry(key);
        if (e == null) {
            problems.at(m, message);
        } else {
            problems.at(e.line(), e.column(), message);
        }
    }

    private static String text(Problems problems, YamlNode.Mapping m, String key, boolean required) {
        YamlNode n = m.get(key);
        if (n == null) {
            if (required) {
                problems.at(m, "missing '" + key + "': a Sigma rule needs title, logsource and detection");
            }
            return null;
        }
        if (!(n instanceof YamlNode.Scalar s) || s.isNull()) {
            problems.at(n, "'" + key + "' must be text, found " + n.kind());
            return null;
        }
        if (required && s.text().isBlank()) {
            problems.at(n, "'" + key + "' must not be empty");
            return null;
        }
        return s.text();
    }

    private static List<String> list(Problems problems, YamlNode.Mapping m, String key) {
        YamlNode n = m.get(key);
        List<String> out = new ArrayList<>();
        if (n == null || n instanceof YamlNode.Scalar s0 && s0.isNull()) {
            return out;
        }
        if (n instanceof YamlNode.Scalar s) {
            out.add(s.text());
        } else if (n instanceof YamlNode.Sequence seq) {
            for (YamlNode i : seq.items()) {
                if (i instanceof YamlNode.Scalar s && !s.isNull()) {
                    out.add(s.text());
                } else {
                    problems.at(i, "'" + key + "' items must be text, found " + i.kind());
                }
            }
        } else {
            problems.at(n, "'" + key + "' must be a list of text, found " + n.kind());
        }
        return out;
    }

    private static void logsource(Problems problems, YamlNode.Mapping m) {
        YamlNode n = m.get("logsource");
        if (n == null) {
            problems.at(m, "missing 'logsource': expected product: kubernetes, service: audit");
            return;
        }
        if (!(n instanceof YamlNode.Mapping ls)) {
            problems.at(n, "'logsource' must be a mapping (product: kubernetes, service: audit), found " + n.kind());
            return;
        }
        String product = text(problems, ls, "product", false);
        String service = text(problems, ls, "service", false);
        String category = text(problems, ls, "category", false);
        if (!"kubernetes".equals(product)) {
            problems.at(product == null ? ls : ls.get("product"), (product == null ? "no logsource product"
                    : "logsource product '" + product + "'") + ": only product kubernetes, service audit (the"
                    + " API server's audit log) can be converted");
        }
        if (!"audit".equals(service)) {
            problems.at(service == null ? ls : ls.get("service"), (service == null ? "no logsource service"
                    : "logsource service '" + service + "'") + ": only product kubernetes, service audit can be"
                    + " converted");
        }
        if (category != null && !category.equals("application")) {
            problems.at(ls.get("category"), "logsource category '" + category + "': kubernetes/audit rules have"
                    + " category application or none");
        }
    }

    private static Cond detection(Problems problems, YamlNode.Mapping m, Selections selections) {
        YamlNode n = m.get("detection");
        if (n == null) {
            problems.at(m, "missing 'detection': a Sigma rule needs search identifiers and a condition");
            return null;
        }
        if (!(n instanceof YamlNode.Mapping d)) {
            problems.at(n, "'detection' must be a mapping of search identifiers and a condition, found " + n.kind());
            return null;
        }
        if (d.entries().containsKey("timeframe")) {
            atKey(problems, d, "timeframe", "'timeframe' belongs to an aggregation, which is not supported: a"
                    + " rule's filter sees one event at a time");
        }
        Map<String, Cond> identifiers = new LinkedHashMap<>();
        for (YamlNode.Mapping.Entry e : d.entries().values()) {
            if (e.key().equals("condition") || e.key().equals("timeframe")) {
                continue;
            }
            identifiers.put(e.key(), selections.selection(e.key(), e.value()));
        }
        YamlNode cn = d.get("condition");
        if (cn == null) {
            problems.at(d, "missing 'condition' in detection (e.g. condition: selection)");
            return null;
        }
        if (identifiers.isEmpty()) {
            problems.at(d, "the detection has no search identifiers");
            return null;
        }
        List<YamlNode> conditions = new ArrayList<>();
        if (cn instanceof YamlNode.Sequence seq && !seq.items().isEmpty()) {
            conditions.addAll(seq.items()); // a list of conditions: any of them
        } else {
            conditions.add(cn);
        }
        List<Cond> any = new ArrayList<>();
        boolean ok = true;
        for (YamlNode c : conditions) {
            if (!(c instanceof YamlNode.Scalar s) || s.type() != YamlNode.Scalar.Type.STRING) {
                problems.at(c, "'condition' must be text such as 'selection and not filter', found " + c.kind());
                ok = false;
                continue;
            }
            try {
                Cond parsed = Condition.parse(s.text(), identifiers);
                ok &= parsed != null;
                any.add(parsed);
            } catch (Condition.Refused r) {
                int[] at = locate(problems.text, s, r.index);
                problems.at(at[0], at[1], "condition: " + r.getMessage());
                ok = false;
            }
        }
        return ok && problems.isEmpty() ? Cond.or(any) : null;
    }

    /** Where the {@code index}-th character of the condition's decoded text was written in the file. */
    private static int[] locate(String file, YamlNode.Scalar s, int index) {
        String t = s.text();
        int line = 1;
        int col = 1;
        for (int i = 0; i < index && i < t.length(); i++) {
            if (t.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return ScalarPositions.of(file, s, t).locate(t, line, col);
    }

    private static List<String> fields(Problems problems, YamlNode.Mapping m) {
        List<String> out = new ArrayList<>();
        YamlNode n = m.get("fields");
        if (n == null) {
            return out;
        }
        List<YamlNode> items = n instanceof YamlNode.Sequence s ? s.items() : List.of(n);
        for (YamlNode i : items) {
            if (!(i instanceof YamlNode.Scalar s) || s.isNull()) {
                problems.at(i, "'fields' items must be field names, found " + i.kind());
                continue;
            }
            try {
                Taxonomy.Field f = Taxonomy.resolve(s.text());
                if (f.kind() != Taxonomy.Kind.FIELD) {
                    problems.at(i, "'fields': " + s.text() + " is matched in the raw event and cannot be shown as a"
                            + " column");
                } else {
                    out.add(f.auditName());
                }
            } catch (IllegalArgumentException x) {
                problems.at(i, "'fields': " + x.getMessage());
            }
        }
        return out;
    }

    /** The columns every converted rule shows (Sigma's {@code fields} are added after them). */
    static final List<String[]> COLUMNS = List.of(
            new String[]{"@timestamp", null}, new String[]{"user.username", null}, new String[]{"verb", null},
            new String[]{"objectRef.resource", "resource"}, new String[]{"objectRef.subresource", "subresource"},
            new String[]{"objectRef.namespace", "namespace"}, new String[]{"objectRef.name", "name"},
            new String[]{"responseStatus.code", "code"}, new String[]{"sourceIPs.0", "sourceIP"},
            new String[]{"userAgent", null}, new String[]{"auditID", null});

    static String query(Cond detection, boolean readsStage, List<String> extraFields) {
        StringBuilder q = new StringBuilder();
        q.append("filter @logStream like /^kube-apiserver-audit/");
        if (!readsStage) {
            // count each request once: its completion (or a panic), as the bundled rules do
            q.append(" and stage in [\"ResponseComplete\", \"Panic\"]");
        }
        q.append('\n');
        q.append("| filter ").append(Cond.render(detection, Query.MAX_LENGTH)).append('\n');
        Set<String> names = new LinkedHashSet<>();
        List<String> cols = new ArrayList<>();
        for (String[] c : COLUMNS) {
            names.add(c[0]);
            names.add(c[1] == null ? c[0] : c[1]);
            cols.add(c[1] == null ? c[0] : c[0] + " as " + c[1]);
        }
        for (String f : extraFields) {
            if (names.add(f)) {
                cols.add(QueryText.fieldName(f));
            }
        }
        q.append("| fields ").append(String.join(", ", cols)).append('\n');
        q.append("| sort @timestamp desc\n");
        return q.toString();
    }

    /** A kebab-case rule id from the title (at most 60 characters) and the first 8 characters of the Sigma id. */
    static String ruleId(String title, String sigmaId) {
        String slug = slug(title);
        if (slug.length() > 60) {
            int cut = slug.lastIndexOf('-', 60);
            slug = slug.substring(0, cut > 10 ? cut : 60).replaceAll("-+$", "");
        }
        String suffix = sigmaId == null ? "" : slug(sigmaId).replace("-", "");
        suffix = suffix.length() > 8 ? suffix.substring(0, 8) : suffix;
        String id = slug.isEmpty() ? (suffix.isEmpty() ? "" : "sigma-" + suffix)
                : suffix.isEmpty() ? slug : slug + "-" + suffix;
        if (id.isEmpty()) {
            return null;
        }
        return id.equals("overrides") ? "sigma-overrides" : id;
    }

    private static String slug(String s) {
        String ascii = Normalizer.normalize(s, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        return ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    }

    /** Text without control or format characters (line breaks and tabs kept when {@code lines}). */
    static String clean(String s, boolean lines) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (lines && (cp == '\n' || cp == '\t')) {
                sb.appendCodePoint(cp);
            } else if (cp == '\r') {
                // dropped: \r\n becomes \n
            } else if (QueryText.unsafe(cp)) {
                sb.append(' ');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    static String oneLine(String s) {
        return clean(s, false).replaceAll("\\s+", " ").strip();
    }

    /** The first sentence of the description (or the title), at most 140 characters, on one line. */
    static String summary(String description, String title) {
        String d = description == null ? "" : oneLine(description);
        String s = d.isEmpty() ? oneLine(title) : d;
        int end = s.indexOf(". ");
        if (end > 0) {
            s = s.substring(0, end + 1);
        }
        int max = io.ekslookout.rules.Rule.SUMMARY_MAX;
        if (s.codePointCount(0, s.length()) > max) {
            int cut = s.offsetByCodePoints(0, max - 1);
            int space = s.lastIndexOf(' ', cut);
            s = s.substring(0, space > max / 2 ? space : cut).strip() + "…";
        }
        return s;
    }

    private static String description(String description, String sigmaId, String status, String author, String date,
                                      String modified, List<String> references, String level) {
        StringBuilder sb = new StringBuilder();
        if (description != null && !description.isBlank()) {
            sb.append(clean(description, true).strip()).append("\n\n");
        }
        sb.append("Converted from the Sigma rule");
        if (sigmaId != null) {
            sb.append(' ').append(oneLine(sigmaId));
        }
        List<String> about = new ArrayList<>();
        if (status != null) {
            about.add("status " + oneLine(status));
        }
        about.add(level == null ? "no level (medium here)" : "level " + oneLine(level));
        if (author != null) {
            about.add("by " + oneLine(author));
        }
        if (date != null) {
            about.add(oneLine(date) + (modified != null ? ", modified " + oneLine(modified) : ""));
        }
        sb.append(" (").append(String.join("; ", about)).append(")");
        sb.append(" by eks-lookout sigma import: it matches each audit request once, at its ResponseComplete stage,"
                + " unless the rule reads 'stage' itself.");
        if (!references.isEmpty()) {
            sb.append("\n\nReferences:");
            for (String r : references) {
                sb.append("\n- ").append(oneLine(r));
            }
        }
        return sb.toString();
    }

    private static String runbook(List<String> falsePositives, List<String> references) {
        StringBuilder sb = new StringBuilder("Check who made the request (user.username, sourceIP, userAgent) and"
                + " whether it was expected.");
        List<String> fps = falsePositives.stream().map(SigmaConverter::oneLine).filter(s -> !s.isEmpty()).toList();
        if (!fps.isEmpty()) {
            sb.append("\nKnown false positives (from the Sigma rule):");
            fps.forEach(f -> sb.append("\n- ").append(f));
        }
        if (!references.isEmpty()) {
            sb.append("\nSee the references in the description.");
        }
        return sb.toString();
    }

    private static final com.google.re2j.Pattern ATTACK_TECHNIQUE =
            com.google.re2j.Pattern.compile("attack\\.t([0-9]{4})(\\.[0-9]{3})?");

    /** Sigma tags: {@code attack.t1611} becomes the technique id {@code T1611}; others are kept as written. */
    static List<String> tags(List<String> tags) {
        Set<String> out = new LinkedHashSet<>();
        for (String t : tags) {
            String tag = oneLine(t);
            if (tag.isEmpty()) {
                continue;
            }
            com.google.re2j.Matcher mt = ATTACK_TECHNIQUE.matcher(tag.toLowerCase(Locale.ROOT));
            if (mt.matches()) {
                out.add("T" + mt.group(1) + (mt.group(2) == null ? "" : mt.group(2)));
            } else {
                out.add(tag);
            }
        }
        out.add("sigma");
        return new ArrayList<>(out);
    }
}
