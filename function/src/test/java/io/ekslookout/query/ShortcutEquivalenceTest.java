package io.ekslookout.query;

import io.ekslookout.logs.LocalLogs;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test of the engine's shortcuts over the bundled rules: the whole set run as one batch with
 * every shortcut on (batch prefilter over the raw message, pre-checks, cost order, lazy discovery) gives, query by
 * query, the same result as the same batch with the prefilter off and as each query's plain evaluation (eager
 * discovery, written order, no pre-check). Events: the bundled corpus (samples/eks-demo.jsonl.gz, which splices
 * every rule test case into routine traffic), the same corpus with its messages rewritten to spell characters
 * with JSON escapes ({@code \u002d}, {@code \/}: the raw text then lacks the literals the prefilter looks for),
 * and truncated messages.
 */
class ShortcutEquivalenceTest {
    private static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));

    private static List<String> texts;
    private static List<LogEvent> sample;

    @BeforeAll
    static void load() throws Exception {
        RuleSet set = RuleLoader.loadDirectory(ROOT.resolve("rules"));
        texts = new ArrayList<>();
        set.enabledRules().stream().map(Rule::queryText).forEach(texts::add);
        sample = new ArrayList<>();
        LocalLogs.open(ROOT.resolve("samples").resolve("eks-demo.jsonl.gz")).read(sample::add);
    }

    @AfterEach
    void prefilterBackOn() {
        QueryBatch.prefilter = true;
    }

    private static List<QueryResult> batch(List<LogEvent> events, boolean prefilter) {
        QueryBatch.prefilter = prefilter;
        try {
            QueryBatch b = QueryBatch.start(texts.stream().map(Query::parse).toList(),
                    QueryContext.unbounded(Instant.EPOCH));
            events.forEach(b::accept);
            return b.finish();
        } finally {
            QueryBatch.prefilter = true;
        }
    }

    private static void assertSame(List<LogEvent> events) {
        List<QueryResult> on = batch(events, true);
        List<QueryResult> off = batch(events, false);
        long rows = 0;
        for (int i = 0; i < texts.size(); i++) {
            Query.Execution plain = Query.parse(texts.get(i), false).start(QueryContext.unbounded(Instant.EPOCH));
            events.forEach(plain::accept);
            QueryResult expected = plain.finish();
            assertThat(on.get(i)).as("prefilter on: " + texts.get(i)).isEqualTo(expected);
            assertThat(off.get(i)).as("prefilter off: " + texts.get(i)).isEqualTo(expected);
            rows += expected.rows().size();
        }
        assertThat(rows).as("the corpus makes the rules fire").isPositive();
    }

    @Test
    void bundledCorpus() {
        assertSame(sample);
    }

    @Test
    void escapedMessages() {
        Random r = new Random(7);
        List<LogEvent> events = new ArrayList<>();
        for (LogEvent e : sample) {
            String m = e.message();
            if (m != null && m.startsWith("{") && r.nextInt(3) == 0) {
                m = escapeSome(m, r);
            }
            events.add(new LogEvent(e.timestamp(), e.ingestionTime(), m, e.logStream(), e.logGroup(), e.eventId()));
        }
        assertSame(events);
    }

    @Test
    void truncatedMessages() {
        Random r = new Random(11);
        List<LogEvent> events = new ArrayList<>();
        for (LogEvent e : sample) {
            String m = e.message();
            if (m != null && m.length() > 2 && r.nextInt(4) == 0) {
                m = m.substring(0, 1 + r.nextInt(m.length() - 1));
            }
            events.add(new LogEvent(e.timestamp(), e.ingestionTime(), m, e.logStream(), e.logGroup(), e.eventId()));
        }
        assertSame(events);
    }

    @Test
    void numbersRespelled() {
        Random r = new Random(17);
        List<LogEvent> events = new ArrayList<>();
        for (LogEvent e : sample) {
            String m = e.message() == null ? null : respellNumbers(e.message(), r);
            events.add(new LogEvent(e.timestamp(), e.ingestionTime(), m, e.logStream(), e.logGroup(), e.eventId()));
        }
        assertSame(events);
    }

    private static final String[] SPELLINGS = {"\"%s\"", "%s.0", "%se0", "%s.5", "-%s", "0%s", "%s0000000000000000000",
            "%s ", "\n%s", "5%s", "null", "true", "{\"x\":%s}", "[%s]", "\"x\"", "%sx"};

    /**
     * Rewrites about half of the {@code "code":<digits>} of a message in another JSON (or not JSON) spelling: as a
     * string, a fraction, an exponent, negative, with a leading zero, huge, with blanks, a 5xx, a literal, an object,
     * an array, with junk after it; and some keys with an escape ({@code "co\u0064e"}) or blanks before the colon.
     */
    static String respellNumbers(String m, Random r) {
        StringBuilder sb = new StringBuilder(m.length() + 16);
        int from = 0;
        for (int at = m.indexOf("\"code\":"); at >= 0; at = m.indexOf("\"code\":", from)) {
            int v = at + 7;
            int end = v;
            while (end < m.length() && Character.isDigit(m.charAt(end))) {
                end++;
            }
            sb.append(m, from, at);
            from = end;
            String digits = m.substring(v, end);
            if (digits.isEmpty() || r.nextBoolean()) {
                sb.append(m, at, end);
                continue;
            }
            sb.append(switch (r.nextInt(4)) {
                case 0 -> "\"co\\u0064e\":";
                case 1 -> "\"code\" \t:";
                default -> "\"code\":";
            });
            String spelling = SPELLINGS[r.nextInt(SPELLINGS.length)];
            sb.append(spelling.replace("%s", digits));
        }
        return sb.append(m, from, m.length()).toString();
    }

    /** Rewrites some characters inside JSON strings as escapes: {@code -} as {@code \u002d}, {@code /} as {@code \/}. */
    static String escapeSome(String json, Random r) {
        StringBuilder sb = new StringBuilder(json.length() + 16);
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString && c == '\\') {
                sb.append(c).append(json.charAt(++i));
                continue;
            }
            if (c == '"') {
                inString = !inString;
            }
            if (inString && (c == '-' || c == 'a' || c == 'e') && r.nextInt(3) == 0) {
                sb.append(String.format("\\u%04x", (int) c));
            } else if (inString && c == '/' && r.nextBoolean()) {
                sb.append("\\/");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
