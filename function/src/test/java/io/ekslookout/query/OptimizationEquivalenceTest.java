package io.ekslookout.query;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Differential test: random queries over random audit-like events give the same result with every optimization
 * on (pre-checks, reordering, incremental discovery, batching) as the naive evaluation (eager discovery, commands
 * in written order, no pre-check), alone or inside a batch.
 */
class OptimizationEquivalenceTest {
    private static final String[] STREAMS = {"kube-apiserver-audit-1", "authenticator-1", "kube-scheduler-1"};
    private static final String[] VERBS = {"get", "list", "create", "patch", "delete"};
    private static final String[] NAMES = {"aws-auth", "coredns", "aws-auth-x", "a/b", "caf\\u00e9"};
    private static final String[] USERS = {"kubernetes-admin", "system:serviceaccount:kube-system:x", "alice"};

    private static final String[] PREDICATES = {
            "@logStream like /^kube-apiserver-audit/", "@logStream = \"authenticator-1\"",
            "verb = \"patch\"", "verb in [\"create\", \"delete\"]", "verb != \"get\"",
            "objectRef.name = \"aws-auth\"", "objectRef.name like \"aws\"", "objectRef.name like /^aws-auth$/",
            "objectRef.name = \"a/b\"", "objectRef.name = \"café\"", "strcontains(user.username, \"admin\")",
            "responseStatus.code >= 500", "responseStatus.code = 200", "ispresent(objectRef.name)",
            "@message like \"denied\"", "user.username like /^system:/", "sourceIPs.0 = \"10.0.0.1\""};

    private static final String[] TAILS = {
            "", "| fields verb, objectRef.name", "| sort objectRef.name asc | limit 3",
            "| stats count(*) as n by verb", "| fields user.username | dedup user.username",
            "| sort responseStatus.code desc, @timestamp asc", "| limit 2",
            "| stats count_distinct(objectRef.name) as d, max(responseStatus.code) as m by bin(1m)",
            "| parse @message /\\\"verb\\\":\\\"(?<v>[a-z]+)\\\"/ | filter v = \"patch\" | display v, @logStream"};

    static String query(Random r) {
        StringBuilder q = new StringBuilder();
        int filters = 1 + r.nextInt(3);
        for (int i = 0; i < filters; i++) {
            if (i > 0) {
                q.append(" | ");
            }
            if (r.nextInt(4) == 0) {
                q.append("sort @timestamp desc | ");
            }
            q.append("filter ").append(expr(r, 2));
        }
        q.append(' ').append(TAILS[r.nextInt(TAILS.length)]);
        return q.toString();
    }

    private static String expr(Random r, int depth) {
        if (depth == 0 || r.nextInt(3) == 0) {
            String p = PREDICATES[r.nextInt(PREDICATES.length)];
            return r.nextInt(6) == 0 ? "not " + p : p;
        }
        String op = r.nextBoolean() ? " and " : " or ";
        return "(" + expr(r, depth - 1) + op + expr(r, depth - 1) + ")";
    }

    static List<LogEvent> events(Random r) {
        List<LogEvent> out = new ArrayList<>();
        int n = 1 + r.nextInt(15);
        for (int i = 0; i < n; i++) {
            String stream = STREAMS[r.nextInt(STREAMS.length)];
            String message;
            if (stream.startsWith("kube-apiserver") || r.nextInt(4) == 0) {
                StringBuilder m = new StringBuilder("{\"kind\":\"Event\"");
                if (r.nextInt(5) > 0) {
                    m.append(",\"verb\":\"").append(VERBS[r.nextInt(VERBS.length)]).append('"');
                }
                if (r.nextInt(4) > 0) {
                    m.append(",\"user\":{\"username\":\"").append(USERS[r.nextInt(USERS.length)]).append("\"}");
                }
                if (r.nextInt(3) > 0) {
                    m.append(",\"sourceIPs\":[\"10.0.0.").append(r.nextInt(2)).append("\"]");
                }
                if (r.nextInt(4) > 0) {
                    m.append(",\"objectRef\":{\"resource\":\"configmaps\"");
                    if (r.nextInt(3) > 0) {
                        m.append(",\"name\":\"").append(NAMES[r.nextInt(NAMES.length)]).append('"');
                    }
                    m.append('}');
                }
                if (r.nextInt(3) > 0) {
                    m.append(",\"responseStatus\":{\"code\":").append(r.nextBoolean() ? 200 : 503).append('}');
                }
                message = m.append('}').toString();
                if (r.nextInt(12) == 0) {
                    message = message.substring(0, r.nextInt(message.length()));
                }
            } else {
                message = "level=warning msg=\"access " + (r.nextBoolean() ? "denied" : "granted") + "\"";
            }
            out.add(new LogEvent(1_700_000_000_000L + r.nextInt(300_000), 0, message, stream, "g", "e" + i));
        }
        return out;
    }

    /** Three queries run together over the same events. */
    record Case(List<String> texts, List<LogEvent> events) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder();
            texts.forEach(t -> sb.append("query: ").append(t).append('\n'));
            events.forEach(e -> sb.append("event: ").append(e).append('\n'));
            return sb.toString();
        }
    }

    static Case generate(Random r) {
        List<String> texts = List.of(query(r), query(r), query(r));
        return new Case(texts, events(r));
    }

    @Test
    void optimizedEqualsNaive() {
        Trials.forAll("optimization", 1500, OptimizationEquivalenceTest::generate, c -> {
            List<String> texts = c.texts();
            List<LogEvent> events = c.events();
            QueryContext ctx = QueryContext.unbounded(Instant.EPOCH);

            List<Query> fast = texts.stream().map(t -> Query.parse(t, true)).toList();
            QueryBatch batch = QueryBatch.start(fast, ctx);
            events.forEach(batch::accept);
            List<QueryResult> batched = batch.finish();

            for (int i = 0; i < texts.size(); i++) {
                Query.Execution slow = Query.parse(texts.get(i), false).start(ctx);
                events.forEach(slow::accept);
                QueryResult expected = slow.finish();
                Query.Execution alone = fast.get(i).start(ctx);
                events.forEach(alone::accept);
                assertThat(batched.get(i)).as("batched: " + texts.get(i)).isEqualTo(expected);
                assertThat(alone.finish()).as("alone: " + texts.get(i)).isEqualTo(expected);
            }
        });
    }
}
