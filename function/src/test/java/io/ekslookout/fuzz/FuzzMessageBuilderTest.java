package io.ekslookout.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ekslookout.detect.Finding;
import io.ekslookout.notify.MessageBuilder;
import io.ekslookout.notify.Notification;
import io.ekslookout.notify.RuleInfo;
import io.ekslookout.rules.Rule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target 4, the message builder: findings, digests and health messages whose log values are hostile
 * (mentions, links, forged lines, control, bidi and zero-width characters, lone surrogates, very long values, many
 * rows). Building never throws, every message fits SNS's 256 KB, the subject is one printable ASCII line, the
 * Chatbot payload is JSON, and no value from a log reaches the email or Slack text raw (SafeText's guarantees, see
 * MessageBuilderTest): no control or invisible characters, no live link to the attacker's domain, no mention.
 */
class FuzzMessageBuilderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant W0 = Instant.parse("2026-11-20T09:58:00Z");
    private static final Instant W1 = Instant.parse("2026-11-20T10:03:00Z");
    private static final MessageBuilder BUILDER = new MessageBuilder(
            new MessageBuilder.Context("prod", "/aws/eks/prod/cluster", "eu-west-1"));
    /** Every hostile value names the domain evil.*; it must only ever appear defanged (evil[.]example). */
    private static final java.util.regex.Pattern LIVE_DOMAIN = java.util.regex.Pattern.compile("(?i)evil\\.\\p{L}");
    private static final List<String> HOSTILE = List.of("<!channel>", "<!here|here>", "<@U024BE7LH>",
            "<https://evil.example/x|click here>", "https://evil.example/a?b=c", "hxxps://evil.example",
            "HTTPS://EVIL.example", "ftp://evil.example", "evil.example", "www.evil.example", "@here", "@channel",
            "@everyone", "\nSeverity: info", "\r\nSeverity: low", "\u2028Severity: low", "\u0085Severity: low",
            "\u202Eevil.example", "evil\u200B.example", "\u0000", "\u001B[31m", "\u001B]8;;https://evil.example\u0007",
            "\uD800", "\uDC00x", "*bold*", "`code`", "```", "~s~", "_i_", "&lt;!here&gt;", "javascript:alert(1)",
            "a.b.evil.example", "\uFEFF", "\t", " ", "kubernetes-admin", "arn:aws:iam::1:role/evil.example",
            "system:masters", "203.0.113.7");
    private static final List<String> COLUMNS = List.of("@timestamp", "@message", "user.username", "userAgent",
            "objectRef.name", "objectRef.namespace", "objectRef.resource", "objectRef.subresource", "sourceIPs.0",
            "requestURI", "user.extra.arn.0", "iamArn", "verb", "error", "arn", "client", "role", "pod",
            "requestObject.data.password", "field");

    /** What one input builds. */
    record Input(String kind, List<Finding> findings, RuleInfo rule, Map<String, String> ruleErrors,
                 List<String> warnings) {
    }

    @Test
    void messagesFromHostileValuesAreSafeAndFit() {
        Fuzz.run("messages", List.of(
                Fuzz.Generator.of("finding", 300, r -> finding(r, benignRule(r))),
                Fuzz.Generator.of("finding-huge-rows", 20, r -> {
                    Input in = finding(r, benignRule(r));
                    return new Input("finding", List.of(bigFinding(r)), in.rule(), Map.of(), List.of());
                }),
                Fuzz.Generator.of("glued-domains", 100, r -> {
                    Input in = finding(r, benignRule(r));
                    return new Input("finding", List.of(hostileFinding(r, in.rule().id(),
                            rr -> Map.of("user.username", hostile(rr, true) + Fuzz.pick(rr, List.of("evil.рф",
                                    "evil.中国", "evil.exampleé", "evil.example\u00e9/x"))))), in.rule(), Map.of(),
                            List.of());
                }),
                Fuzz.Generator.of("digest", 40, FuzzMessageBuilderTest::digest),
                Fuzz.Generator.of("health", 100, FuzzMessageBuilderTest::health),
                Fuzz.Generator.of("long-rule-text", 20, r -> finding(r, longRule(r)))),
                FuzzMessageBuilderTest::show, FuzzMessageBuilderTest::check);
    }

    static void check(Input in) throws Exception {
        Notification n = switch (in.kind()) {
            case "finding" -> BUILDER.finding(in.findings().get(0), in.rule());
            case "digest" -> BUILDER.digest(in.findings(), Map.of(in.rule().id(), in.rule()), W0, W1);
            default -> BUILDER.health(in.ruleErrors(), in.warnings(), 20);
        };
        assertThat(n.sizeBytes()).as("SNS size").isLessThanOrEqualTo(Notification.MAX_BYTES);
        assertThat(n.subject()).as("subject").hasSizeLessThanOrEqualTo(MessageBuilder.SUBJECT_MAX)
                .matches("[\\x20-\\x7e]*");
        JsonNode chat = JSON.readTree(n.chatbot());
        String description = chat.at("/content/description").asText();
        assertSafe("email text", n.text());
        assertSafe("Slack description", description);
        assertThat(description).as("Slack description").doesNotContain("@here", "@channel", "@everyone", "<");
        for (String line : n.text().split("\n")) {
            assertThat(line).as("an email line").doesNotStartWith("Severity");
        }
    }

    private static void assertSafe(String what, String s) {
        java.util.regex.Matcher live = LIVE_DOMAIN.matcher(s);
        if (live.find()) {
            throw new AssertionError(what + " holds a live link to the attacker's domain: …"
                    + Fuzz.escape(s.substring(Math.max(0, live.start() - 40), Math.min(s.length(), live.end() + 20)))
                    + "…");
        }
        assertThat(s).as(what).doesNotContain("<!", "<@");
        s.codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            boolean hidden = (Character.isISOControl(cp) && cp != '\n') || type == Character.FORMAT
                    || type == Character.SURROGATE || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR;
            assertThat(hidden).as(what + " holds U+%04X", cp).isFalse();
        });
    }

    static String hostile(Random r) {
        return hostile(r, false);
    }

    /**
     * One to five hostile pieces and random characters, separated by spaces unless {@code glued} (a domain glued to
     * '_' or to a non-ASCII letter: the generator "glued-domains").
     */
    static String hostile(Random r, boolean glued) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1 + r.nextInt(5); i > 0; i--) {
            sb.append(r.nextInt(4) == 0 ? Mutate.randomChars(r, 1 + r.nextInt(5)) : Fuzz.pick(r, HOSTILE))
                    .append(glued ? "" : " ");
        }
        String v = sb.toString();
        return r.nextInt(20) == 0 ? v.repeat(1 + r.nextInt(20_000 / Math.max(1, v.length()))) : v;
    }

    static Map<String, String> row(Random r, int fields) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < fields; i++) {
            String key = Fuzz.pick(r, COLUMNS);
            m.put(key.equals("field") ? "field" + i : key, r.nextInt(30) == 0 ? null : hostile(r));
        }
        return m;
    }

    static Finding hostileFinding(Random r, String ruleId, Function<Random, Map<String, String>> rows) {
        List<Map<String, String>> rs = new ArrayList<>();
        for (int i = r.nextInt(25); i > 0; i--) {
            rs.add(rows.apply(r));
        }
        long omitted = r.nextInt(3) == 0 ? r.nextInt(100_000) : 0;
        String severity = Fuzz.pick(r, List.of("info", "low", "medium", "high", "critical"));
        return new Finding(ruleId, severity, "Title of " + ruleId, W0, W1, r.nextBoolean() ? null : hostile(r),
                rs.size() + omitted, rs, omitted);
    }

    static Input finding(Random r, RuleInfo rule) {
        return new Input("finding", List.of(hostileFinding(r, rule.id(), rr -> row(rr, 1 + rr.nextInt(12)))), rule,
                Map.of(), List.of());
    }

    /** Rows of hundreds of long fields: the message must shrink (fewer rows) to fit. */
    static Finding bigFinding(Random r) {
        return hostileFinding(r, "big", rr -> {
            Map<String, String> m = new LinkedHashMap<>();
            for (int k = 0; k < 200; k++) {
                m.put("field" + k, hostile(rr).substring(0, 1).repeat(1000));
            }
            return m;
        });
    }

    static Input digest(Random r) {
        RuleInfo rule = benignRule(r);
        List<Finding> fs = new ArrayList<>();
        for (int i = 1 + r.nextInt(r.nextInt(5) == 0 ? 500 : 30); i > 0; i--) {
            fs.add(hostileFinding(r, r.nextBoolean() ? rule.id() : "rule-" + i, rr -> row(rr, 1 + rr.nextInt(6))));
        }
        return new Input("digest", fs, rule, Map.of(), List.of());
    }

    static Input health(Random r) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (int i = r.nextInt(20); i > 0; i--) {
            errors.put(Fuzz.pick(r, Corpus.ruleSet().rules()).id(), "query failed: " + hostile(r));
        }
        List<String> warnings = new ArrayList<>();
        for (int i = r.nextInt(5); i > 0; i--) {
            warnings.add(hostile(r));
        }
        return new Input("health", List.of(), benignRule(r), errors, warnings);
    }

    /** A bundled rule as the Lambda describes it (the rule's own text is trusted and shown as written). */
    static RuleInfo benignRule(Random r) {
        Rule rule = Fuzz.pick(r, Corpus.ruleSet().rules());
        return new RuleInfo(rule.id(), rule.title(), rule.severity().toString().toLowerCase(Locale.ROOT),
                rule.description(), rule.runbook(), rule.queryText(), rule.tags());
    }

    /** A rule whose runbook or query is longer than a message can hold. */
    static RuleInfo longRule(Random r) {
        RuleInfo b = benignRule(r);
        String big = "step. ".repeat(50_000 + r.nextInt(50_000));
        return r.nextBoolean()
                ? new RuleInfo(b.id(), b.title(), b.severity(), b.description(), big, b.queryText(), b.tags())
                : new RuleInfo(b.id(), b.title(), b.severity(), b.description(), b.runbook(),
                b.queryText() + "\n| filter x != \"" + big + "\"", b.tags());
    }

    static String show(Input in) {
        StringBuilder sb = new StringBuilder(in.kind()).append(" (rule ").append(in.rule().id()).append(")\n");
        for (Finding f : in.findings()) {
            sb.append("finding ").append(f.ruleId()).append(" group ")
                    .append(f.groupKey() == null ? "-" : Fuzz.escape(f.groupKey())).append(", omitted ")
                    .append(f.rowsOmitted()).append('\n');
            for (Map<String, String> row : f.rows()) {
                row.forEach((k, v) -> sb.append("  ").append(k).append('=')
                        .append(v == null ? "null" : Fuzz.escape(v)).append('\n'));
                sb.append("  --\n");
            }
        }
        in.ruleErrors().forEach((k, v) -> sb.append("error ").append(k).append(": ").append(Fuzz.escape(v))
                .append('\n'));
        in.warnings().forEach(w -> sb.append("warning ").append(Fuzz.escape(w)).append('\n'));
        return sb.toString();
    }
}
