package io.ekslookout.cli;

import io.ekslookout.detect.DetectionReport;
import io.ekslookout.detect.Detector;
import io.ekslookout.detect.InMemoryLogSource;
import io.ekslookout.detect.LocalBackend;
import io.ekslookout.detect.QueryOutcome;
import io.ekslookout.detect.Batch;
import io.ekslookout.detect.SecretScrubber;
import io.ekslookout.notify.MessageBuilder;
import io.ekslookout.notify.Notification;
import io.ekslookout.notify.RuleInfo;
import io.ekslookout.query.LogEvent;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.Severity;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Randomized, reproducible (fixed master seed; plain JUnit in the style of query's Trials): Secret events of random
 * shape (Secret or SecretList, key order, leading blanks, cut anywhere), a random rule over them (raw message,
 * aliased data field, substring, parse capture, stats group, whole body) with a random alias and groupBy, run by the
 * real engine and detector; no piece of 4 characters or more of any Secret value (as stored, decoded or encoded)
 * may appear in the email, the Slack message, the digest, the health message, scan's table/JSON/CSV, or the rows
 * {@code query}/{@code hunt} print. A failure names the trial's seed and the event and query that leaked.
 */
class SecretLeakTrialsTest {
    static final long MASTER_SEED = Long.getLong("secrets.trials.seed", 0x5EC2_E75L);
    static final int TRIES = 300;
    static final long T0 = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();
    static final String VALUE_CHARS = "BCDFGHJKLMNPQRSTVWXZ";
    static final List<String> ALIASES = List.of("key", "value", "note", "verb", "who", "x1", "message", "name",
            "objectRef.name", "user.username", "k_9");

    record Trial(long seed, List<String> secrets, List<String> events, String query, List<String> groupBy) {
        @Override
        public String toString() {
            return "seed " + seed + "\nquery: " + query + "\ngroupBy: " + groupBy + "\nevents:\n"
                    + String.join("\n", events);
        }
    }

    @Test
    void noPieceOfASecretValueLeavesInAnyOutput() {
        Random master = new Random(MASTER_SEED);
        for (int i = 0; i < TRIES; i++) {
            long seed = master.nextLong();
            Trial t = trial(seed, new Random(seed));
            try {
                check(t);
            } catch (Throwable e) {
                throw new AssertionError("trial " + (i + 1) + "/" + TRIES + " (master seed " + MASTER_SEED
                        + ") leaked:\n" + t + "\n" + e.getMessage(), e);
            }
        }
    }

    static String value(Random r) {
        StringBuilder b = new StringBuilder();
        int n = 8 + r.nextInt(20);
        for (int i = 0; i < n; i++) {
            b.append(VALUE_CHARS.charAt(r.nextInt(VALUE_CHARS.length())));
        }
        return b.toString();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static Trial trial(long seed, Random r) {
        List<String> secrets = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        StringBuilder data = new StringBuilder("{");
        int n = 1 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            String key = List.of("password", "token", "user", "apikey", "cert").get(i + r.nextInt(2));
            String plain = value(r);
            secrets.add(plain);
            secrets.add(b64(plain));
            keys.add(key);
            data.append(i == 0 ? "" : ",").append('"').append(key).append("\":\"").append(b64(plain)).append('"');
        }
        data.append('}');
        String plainString = value(r);
        secrets.add(plainString);
        secrets.add(b64(plainString));
        String stringData = "{\"token2\":\"" + plainString + "\"}";
        String secret = "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"db\"},\"data\":" + data
                + ",\"stringData\":" + stringData + "}";
        boolean list = r.nextInt(4) == 0;
        String body = list ? "{\"kind\":\"SecretList\",\"items\":[" + secret + "," + secret + "]}" : secret;
        String objectRef = "\"objectRef\":{\"resource\":\"secrets\",\"namespace\":\"prod\",\"name\":\"db\"}";
        String bodyField = (list ? "\"responseObject\":" : "\"requestObject\":") + body;
        List<String> parts = new ArrayList<>(List.of("\"kind\":\"Event\"", "\"verb\":\"" + (list ? "list" : "create")
                + "\"", "\"user\":{\"username\":\"alice\"}", objectRef, bodyField));
        if (r.nextBoolean()) {
            parts.add("\"requestURI\":\"/api/v1/namespaces/prod/secrets\"");
        }
        java.util.Collections.shuffle(parts, r);
        List<String> events = new ArrayList<>();
        for (int e = 0; e < 1 + r.nextInt(3); e++) {
            String msg = List.of("", " ", "\n", "\t  ").get(r.nextInt(4)) + "{" + String.join(",", parts) + "}";
            if (r.nextBoolean()) {
                msg = msg.substring(0, 1 + r.nextInt(msg.length() - 1)); // cut, as CloudWatch cuts at 256 KB
            }
            events.add(msg);
        }
        events.add("{\"kind\":\"Event\",\"objectRef\":{\"resource\":\"configmaps\",\"name\":\"cfg\"},"
                + "\"requestObject\":{\"kind\":\"ConfigMap\",\"data\":{\"a\":\"plain config\"}}}");
        String k = keys.get(r.nextInt(keys.size()));
        String alias = ALIASES.get(r.nextInt(ALIASES.size()));
        String root = list ? "responseObject.items.0" : "requestObject";
        String query = switch (r.nextInt(9)) {
            case 0 -> "fields @timestamp, @message";
            case 1 -> "fields " + root + ".data." + k + " as " + alias + ", user.username";
            case 2 -> "fields substr(" + root + ".data." + k + ", 1, 6) as " + alias;
            case 3 -> "parse @message '\"" + k + "\":\"*\"' as " + alias + " | fields @message, " + alias;
            case 4 -> "parse @message '\"" + k + "\":\"*\"' as " + alias
                    + " | filter objectRef.resource = \"secrets\" | fields " + alias;
            case 5 -> "stats count(*) as n by " + root + ".stringData.token2";
            case 6 -> "fields " + root + ".stringData.token2 as " + alias + ", objectRef.name";
            case 7 -> "fields " + root + " as " + alias + ", verb";
            default -> "parse @message '\"token2\":\"*\"' as " + alias + " | fields objectRef.resource, " + alias;
        };
        List<String> groupBy = r.nextBoolean() || query.startsWith("stats") ? List.of()
                : List.of(query.startsWith("fields @timestamp") ? "@message" : alias);
        return new Trial(seed, secrets, events, query, groupBy);
    }

    static void check(Trial t) {
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < t.events().size(); i++) {
            events.add(new LogEvent(T0 + i, T0 + i, t.events().get(i), "kube-apiserver-audit-1", "g", "e" + i));
        }
        Rule rule = new Rule("r", "Secret rule", Severity.HIGH, "d", t.query(), io.ekslookout.query.Query.parse(t.query()), null, null, t.groupBy(),
                List.of(), null, true, "r.yaml");
        LocalBackend backend = new LocalBackend(new InMemoryLogSource(events));
        DetectionReport rep = new Detector(backend).run(List.of(rule), LocalBackend.WHOLE_INPUT, null);
        StringBuilder out = new StringBuilder();
        for (ResultPrinter.Format f : ResultPrinter.Format.values()) {
            StringWriter w = new StringWriter();
            new FindingPrinter(f).print(rep.findings(), new PrintWriter(w));
            out.append(w).append('\n');
            QueryOutcome o = new LocalBackend(new InMemoryLogSource(events)).run(Batch.one(
                    Batch.Entry.parse("q", t.query()), LocalBackend.WHOLE_INPUT, null, null)).outcomes().get(0);
            assertThat(o.failed()).as("query runs: %s", o.error()).isFalse();
            StringWriter q = new StringWriter();
            new ResultPrinter(f).print(SecretScrubber.forQuery(t.query()).scrub(o.result()), new PrintWriter(q));
            out.append(q).append('\n');
        }
        RuleInfo info = new RuleInfo("r", "Secret rule", "high", "d", null, t.query(), List.of());
        for (boolean bodies : new boolean[] {true, false}) {
            MessageBuilder mb = NotificationTexts.builder(bodies);
            NotificationTexts.appendFindings(out, mb, rep.findings(), info, Instant.ofEpochMilli(T0),
                    Instant.ofEpochMilli(T0 + 60_000));
            Map<String, String> errors = new LinkedHashMap<>(rep.ruleErrors());
            errors.put("echo", "could not evaluate: " + t.events().get(0));
            Notification h = mb.health(errors, List.of("warning: " + t.events().get(0)), 1);
            out.append(h.text()).append('\n').append(h.chatbot()).append('\n');
        }
        String all = out.toString();
        for (String v : t.secrets()) {
            for (int i = 0; i + 4 <= v.length(); i++) {
                String piece = v.substring(i, i + 4);
                assertThat(all).as("piece '%s' of Secret value '%s'", piece, v).doesNotContain(piece);
            }
        }
    }
}
