package io.ekslookout.docs;

import io.ekslookout.rules.Rule;
import io.ekslookout.rules.RuleLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/coverage.md maps every Falco, GuardDuty and Sigma detection onto eks-lookout rules. This keeps it true: every
 * rule id in an "eks-lookout rule" column is a rule in rules/ (or one of {@link #PENDING_RULE_IDS}, marked so), every
 * bundled rule appears at least once, the coverage column says full, partial or none consistently with the rule
 * column, and the totals at the top of the page are the counts of the tables.
 */
class CoverageTableTest {
    private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final String DOC = "docs/coverage.md";

    /**
     * Rules not yet in rules/ that docs/coverage.md already names (none today), each marked
     * {@code `id` (pending)} there. When one lands, remove it here and drop its mark in the page.
     */
    static final Set<String> PENDING_RULE_IDS = Set.of();

    private static final Pattern RULE_REF = Pattern.compile("`([a-z0-9][a-z0-9-]*)`( \\(pending\\))?");
    private static final Pattern TOTAL = Pattern.compile(
            "^- \\[([^\\]]+)\\]\\(#([^)]*)\\): (\\d+) of (\\d+) covered \\((\\d+) full, (\\d+) partial\\), (\\d+) not$");
    private static final Set<String> COVERAGE = Set.of("full", "partial", "none");

    private static List<Table> tables;
    private static List<String> headerLines;
    private static Set<String> ruleIds;

    /** One markdown table, with the "## " section it is in and the 1-based line of each row. */
    record Table(String section, List<String> columns, List<List<String>> rows, List<Integer> lines) {
        int column(String prefix) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).toLowerCase(Locale.ROOT).startsWith(prefix)) {
                    return i;
                }
            }
            return -1;
        }
    }

    @BeforeAll
    static void read() throws Exception {
        List<String> lines = Files.readAllLines(ROOT.resolve(DOC));
        tables = new ArrayList<>();
        headerLines = new ArrayList<>();
        String section = null;
        Table current = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("## ")) {
                section = line.substring(3).strip();
            }
            if (section == null) {
                headerLines.add(line);
            }
            if (!line.startsWith("|")) {
                current = null;
                continue;
            }
            List<String> cells = cells(line);
            if (current == null) {
                current = new Table(section, cells, new ArrayList<>(), new ArrayList<>());
                tables.add(current);
            } else if (!cells.stream().allMatch(c -> c.matches(":?-{3,}:?"))) {
                assertThat(cells).as("%s:%d has as many cells as its table's header %s", DOC, i + 1, current.columns())
                        .hasSameSizeAs(current.columns());
                current.rows().add(cells);
                current.lines().add(i + 1);
            }
        }
        assertThat(tables).as("tables in " + DOC).isNotEmpty();
        ruleIds = RuleLoader.loadDirectory(ROOT.resolve("rules")).bundled().stream().map(Rule::id)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(ruleIds).isNotEmpty();
    }

    private static List<String> cells(String line) {
        String s = line.strip();
        s = s.substring(1, s.endsWith("|") ? s.length() - 1 : s.length());
        List<String> out = new ArrayList<>();
        for (String c : s.split("\\|", -1)) {
            out.add(c.strip());
        }
        return out;
    }

    /** Every "id" or "id (pending)" named in an eks-lookout column, with where; the cell may hold nothing else. */
    private static Map<String, List<String>> namedRules(boolean pendingMarked) {
        Map<String, List<String>> named = new LinkedHashMap<>();
        for (Table t : tables) {
            int col = t.column("eks-lookout rule");
            if (col < 0) {
                continue;
            }
            for (int r = 0; r < t.rows().size(); r++) {
                String cell = t.rows().get(r).get(col);
                String where = DOC + ":" + t.lines().get(r);
                Matcher m = RULE_REF.matcher(cell);
                while (m.find()) {
                    if ((m.group(2) != null) == pendingMarked) {
                        named.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(where);
                    }
                }
                String rest = RULE_REF.matcher(cell).replaceAll("").replace(",", "").strip();
                assertThat(rest).as("%s: the rule column holds only `rule-id`s (comma-separated) or —, found %s",
                        where, cell).isIn("", "—");
            }
        }
        return named;
    }

    @Test
    void everyRuleTheTableNamesIsInRulesOrMarkedPending() {
        Map<String, List<String>> named = namedRules(false);
        Map<String, List<String>> pending = namedRules(true);
        assertThat(named).isNotEmpty();
        for (var e : named.entrySet()) {
            String why = PENDING_RULE_IDS.contains(e.getKey()) ? "a pending rule, so mark it `" + e.getKey()
                    + "` (pending)" : "no rule in rules/ " + ruleIds;
            assertThat(e.getKey()).as("%s names `%s`: %s", e.getValue(), e.getKey(), why).isIn(ruleIds);
        }
        for (var e : pending.entrySet()) {
            assertThat(e.getKey()).as("%s marks `%s` (pending) but it is not in PENDING_RULE_IDS", e.getValue(),
                    e.getKey()).isIn(PENDING_RULE_IDS);
            assertThat(ruleIds).as("`%s` has landed in rules/: drop its (pending) mark at %s and remove it from "
                    + "PENDING_RULE_IDS", e.getKey(), e.getValue()).doesNotContain(e.getKey());
        }
    }

    @Test
    void everyBundledRuleAndEveryPendingIdAppears() {
        Set<String> all = new LinkedHashSet<>(namedRules(false).keySet());
        all.addAll(namedRules(true).keySet());
        Set<String> missing = new TreeSet<>(ruleIds);
        missing.removeAll(all);
        assertThat(missing).as("rules in rules/ that %s names nowhere: add them to a peer row, or to the table of "
                + "rules no peer has", DOC).isEmpty();
        for (String id : PENDING_RULE_IDS) {
            if (!ruleIds.contains(id)) {
                assertThat(all).as("PENDING_RULE_IDS holds `%s`, which %s does not name", id, DOC).contains(id);
            }
        }
    }

    @Test
    void coverageSaysFullPartialOrNoneAndMatchesTheRuleColumn() {
        int peerTables = 0;
        for (Table t : tables) {
            int cov = t.column("coverage");
            if (cov < 0) {
                continue;
            }
            peerTables++;
            int col = t.column("eks-lookout rule");
            int note = t.column("note");
            assertThat(col).as("table in section %s has an eks-lookout rule(s) column", t.section()).isNotNegative();
            assertThat(note).as("table in section %s has a note column", t.section()).isNotNegative();
            Set<String> seen = new LinkedHashSet<>();
            for (int r = 0; r < t.rows().size(); r++) {
                List<String> row = t.rows().get(r);
                String where = DOC + ":" + t.lines().get(r);
                assertThat(seen.add(row.get(0))).as("%s: %s is listed twice", where, row.get(0)).isTrue();
                assertThat(row.get(cov)).as(where).isIn(COVERAGE);
                if (row.get(cov).equals("none")) {
                    assertThat(row.get(col)).as("%s: a none row names no rule", where).isEqualTo("—");
                } else {
                    assertThat(row.get(col)).as("%s: a %s row names its rule(s)", where, row.get(cov)).contains("`");
                }
                if (!row.get(cov).equals("full")) {
                    assertThat(row.get(note)).as("%s: a %s row says what is missed, or why", where, row.get(cov))
                            .isNotBlank();
                }
            }
        }
        assertThat(peerTables).as("one coverage table per peer").isEqualTo(3);
    }

    @Test
    void theTotalsAtTheTopAreTheCountsOfTheTables() {
        Map<String, Matcher> totals = new LinkedHashMap<>();
        for (String line : headerLines) {
            Matcher m = TOTAL.matcher(line);
            if (m.matches()) {
                totals.put(m.group(1), m);
            }
        }
        Set<String> sections = new LinkedHashSet<>();
        for (Table t : tables) {
            int cov = t.column("coverage");
            if (cov < 0) {
                continue;
            }
            sections.add(t.section());
            Matcher m = totals.get(t.section());
            assertThat(m).as("a totals line \"- [%s](#…): N of M covered (F full, P partial), K not\" at the top",
                    t.section()).isNotNull();
            assertThat(m.group(2)).as("link to section %s", t.section()).isEqualTo(slug(t.section()));
            long full = t.rows().stream().filter(r -> r.get(cov).equals("full")).count();
            long partial = t.rows().stream().filter(r -> r.get(cov).equals("partial")).count();
            long none = t.rows().stream().filter(r -> r.get(cov).equals("none")).count();
            String expected = (full + partial) + " of " + t.rows().size() + " covered (" + full + " full, " + partial
                    + " partial), " + none + " not";
            String stated = m.group(3) + " of " + m.group(4) + " covered (" + m.group(5) + " full, " + m.group(6)
                    + " partial), " + m.group(7) + " not";
            assertThat(stated).as("totals for %s", t.section()).isEqualTo(expected);
        }
        assertThat(totals.keySet()).as("totals lines at the top name the peer sections").isEqualTo(sections);
    }

    /** GitHub's heading anchor: lower case, punctuation other than '-' dropped, spaces to '-'. */
    static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 -]", "").replace(' ', '-');
    }
}
