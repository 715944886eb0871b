package io.ekslookout.query;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Field discovery: flattening rules, the 200-field cap, laziness and the referenced-fields set. */
class JsonDiscoveryTest {
    private static final String AUDIT = "{\"kind\":\"Event\",\"verb\":\"patch\",\"user\":{\"username\":\"admin\","
            + "\"groups\":[\"system:masters\",\"system:authenticated\"]},\"sourceIPs\":[\"12.34.56.78\"],"
            + "\"objectRef\":{\"resource\":\"configmaps\",\"name\":\"aws-auth\"},\"responseStatus\":{\"metadata\":{},"
            + "\"code\":200},\"ok\":true,\"bad\":false,\"gone\":null,\"ratio\":0.25,\"big\":12345678901234,"
            + "\"@timestamp\":\"inner\",\"a.b\":\"dotted-key\",\"a\":{\"b\":\"nested\"},\"esc\":\"caf\\u00e9 \\\"q\\\"\"}";

    private static ResultRow one(String query, String message) {
        Query.Execution x = Query.parse(query).start(QueryContext.unbounded(java.time.Instant.EPOCH));
        x.accept(new LogEvent(1000, 2000, message, "s", "g", "e"));
        QueryResult r = x.finish();
        assertThat(r.rows()).hasSize(1);
        return r.rows().get(0);
    }

    @Test
    void flattensObjectsAndArraysIntoDottedLeaves() {
        ResultRow r = one("fields user.username, user.groups.0, user.groups.1, user.groups.2, sourceIPs.0, "
                + "objectRef.name, responseStatus.code, ok, bad, gone, ratio, big, user, responseStatus.metadata, "
                + "@@timestamp, a.b, esc", AUDIT);
        assertThat(r.get("user.username")).isEqualTo("admin");
        assertThat(r.get("user.groups.0")).isEqualTo("system:masters");
        assertThat(r.get("user.groups.1")).isEqualTo("system:authenticated");
        assertThat(r.get("user.groups.2")).isNull();
        assertThat(r.get("sourceIPs.0")).isEqualTo("12.34.56.78");
        assertThat(r.get("objectRef.name")).isEqualTo("aws-auth");
        assertThat(r.get("responseStatus.code")).isEqualTo("200");
        assertThat(r.get("ok")).as("JSON true is 1").isEqualTo("1");
        assertThat(r.get("bad")).as("JSON false is 0").isEqualTo("0");
        assertThat(r.get("gone")).as("JSON null is absent").isNull();
        assertThat(r.get("ratio")).isEqualTo("0.25");
        assertThat(r.get("big")).isEqualTo("12345678901234");
        assertThat(r.get("user")).as("containers are not fields").isNull();
        assertThat(r.get("responseStatus.metadata")).isNull();
        assertThat(r.get("@@timestamp")).isEqualTo("inner");
        assertThat(r.get("a.b")).as("first of two colliding names wins").isEqualTo("dotted-key");
        assertThat(r.get("esc")).isEqualTo("café \"q\"");
    }

    @Test
    void onlyJsonObjectMessagesAreDiscovered() {
        assertThat(one("fields @message, x", "[{\"x\":1}]").get("x")).isNull();
        assertThat(one("fields @message, x", "prefix {\"x\":1}").get("x")).isNull();
        assertThat(one("fields @message, x", "  {\"x\":1}").get("x")).isEqualTo("1");
        assertThat(one("fields @message, x, y", "{\"x\":1, \"y\":").get("x"))
                .as("a truncated object keeps the leaves before the break").isEqualTo("1");
    }

    @Test
    void atMost200LeavesAreDiscoveredInDocumentOrder() {
        StringBuilder sb = new StringBuilder("{\"big\":[");
        for (int i = 0; i < 199; i++) {
            sb.append(i).append(',');
        }
        sb.append("199],\"after\":\"x\"}");
        ResultRow r = one("fields big.199, after", sb.toString());
        assertThat(r.get("big.199")).isEqualTo("199");
        assertThat(r.get("after")).as("the 201st leaf is beyond the cap").isNull();
    }

    @Test
    void referencedFieldsAreTheEventFieldsTheQueryReads() {
        Query q = Query.parse("fields @timestamp, user.username | parse @message \"x=*\" as x "
                + "| filter x = \"1\" and objectRef.name = \"aws-auth\" | stats count(*) as n by verb | sort n");
        assertThat(q.referencedFields()).containsExactlyInAnyOrder("@timestamp", "user.username", "@message",
                "objectRef.name", "verb");
        assertThat(Query.parse("fields concat(a, b) as c | filter c like /x/ | display c").referencedFields())
                .containsExactlyInAnyOrder("a", "b");
        assertThat(Query.parse("fields jsonParse(@message) as js | display js.a.b").referencedFields())
                .containsExactlyInAnyOrder("@message");
    }

    @Test
    void messageOnlyQueriesNeverParseJson() {
        long before = EventView.PARSES.get();
        Query.Execution x = Query.parse("fields @timestamp, @message, @logStream | filter @message like /admin/")
                .start(QueryContext.unbounded(java.time.Instant.EPOCH));
        for (int i = 0; i < 100; i++) {
            x.accept(new LogEvent(i, i, AUDIT, "s", "g", "e" + i));
        }
        assertThat(x.finish().rows()).hasSize(100);
        assertThat(EventView.PARSES.get() - before).isZero();
    }

    @Test
    void aBatchParsesEachEventAtMostOnceAndMatchesSingleRuns() {
        List<String> texts = List.of(
                "filter objectRef.name = \"aws-auth\" | fields verb",
                "filter verb like /patch|update/ | stats count(*) as n by user.username",
                "filter responseStatus.code >= 200 | fields responseStatus.code, sourceIPs.0",
                "fields @message | filter @logStream = \"other\"");
        List<Query> queries = texts.stream().map(Query::parse).toList();
        List<LogEvent> events = List.of(
                new LogEvent(1, 1, AUDIT, "s", "g", "1"),
                new LogEvent(2, 2, AUDIT.replace("aws-auth", "coredns"), "s", "g", "2"),
                new LogEvent(3, 3, "not json", "s", "g", "3"));
        long before = EventView.PARSES.get();
        QueryBatch batch = QueryBatch.start(queries, QueryContext.unbounded(java.time.Instant.EPOCH));
        events.forEach(batch::accept);
        List<QueryResult> results = batch.finish();
        assertThat(EventView.PARSES.get() - before).as("one parse per JSON event").isLessThanOrEqualTo(2);
        for (int i = 0; i < queries.size(); i++) {
            Query.Execution x = queries.get(i).start(QueryContext.unbounded(java.time.Instant.EPOCH));
            events.forEach(x::accept);
            QueryResult alone = x.finish();
            assertThat(results.get(i).rows()).as(texts.get(i)).isEqualTo(alone.rows());
            assertThat(results.get(i).recordsMatched()).isEqualTo(alone.recordsMatched());
        }
        assertThat(results.get(0).rows()).hasSize(1);
        assertThat(results.get(1).rows()).hasSize(1);
        assertThat(results.get(1).rows().get(0).get("n")).isEqualTo("2");
        assertThat(batch.failures()).isEmpty();
    }

    @Test
    void logStreamTestsRunBeforeJsonIsParsedWhereverTheyAreWritten() {
        List<String> queries = List.of(
                "filter objectRef.name = \"aws-auth\" and @logStream like /^kube-apiserver-audit/ | fields verb",
                "sort @timestamp desc | filter verb = \"patch\" | filter @logStream like /^kube-apiserver-audit/",
                "filter verb = \"patch\" | sort verb | filter @logStream = \"kube-apiserver-audit-1\"");
        for (String text : queries) {
            long before = EventView.PARSES.get();
            Query.Execution x = Query.parse(text).start(QueryContext.unbounded(java.time.Instant.EPOCH));
            for (int i = 0; i < 50; i++) {
                x.accept(new LogEvent(i, i, AUDIT, "authenticator-1", "g", "a" + i));
            }
            x.accept(new LogEvent(99, 99, AUDIT, "kube-apiserver-audit-1", "g", "k"));
            assertThat(x.finish().rows()).as(text).hasSize(1);
            assertThat(EventView.PARSES.get() - before).as("parses for " + text).isEqualTo(1);
        }
    }

    @Test
    void theWindowIsHalfOpenAndCountsAreReported() {
        Query q = Query.parse("filter verb = \"patch\" | fields verb");
        Query.Execution x = q.start(new QueryContext(1000, 3000, java.time.Instant.EPOCH, "1", "g"));
        for (long t : new long[] {999, 1000, 2999, 3000}) {
            x.accept(new LogEvent(t, t, t == 2999 ? "{\"verb\":\"get\"}" : AUDIT, "s", "g", "e" + t));
        }
        QueryResult r = x.finish();
        assertThat(r.recordsScanned()).isEqualTo(2);
        assertThat(r.recordsMatched()).isEqualTo(1);
        assertThat(r.rows()).hasSize(1);
        assertThat(r.columns()).containsExactly("verb");
        assertThat(r.aggregate()).isFalse();
    }

    @Test
    void referencedFieldsSetIsImmutable() {
        Set<String> refs = Query.parse("fields a").referencedFields();
        assertThat(refs).containsExactly("a");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> refs.add("b"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
