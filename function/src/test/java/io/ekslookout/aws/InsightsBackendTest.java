package io.ekslookout.aws;

import io.ekslookout.detect.Batch;
import io.ekslookout.detect.BatchResult;
import io.ekslookout.detect.QueryOutcome;
import io.ekslookout.detect.TimeWindow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class InsightsBackendTest {
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final TimeWindow HOUR = new TimeWindow(T0, T0.plusSeconds(3600));

    final FakeTicker ticker = new FakeTicker(Instant.parse("2026-11-20T11:00:00Z"));
    final FakeInsights fake = new FakeInsights(ticker);

    InsightsBackend backend(InsightsBackend.Settings s) {
        return new InsightsBackend(fake, LogTarget.forCluster("prod"), s, ticker, new Random(7));
    }

    InsightsBackend backend() {
        return backend(InsightsBackend.Settings.defaults());
    }

    static Batch.Entry req(String id, String text) {
        return new Batch.Entry(id, io.ekslookout.query.Query.parse(text));
    }

    /** The entries over the hour, no ingestion window, no deadline. */
    static Batch batch(Batch.Entry... entries) {
        return Batch.of(List.of(entries), HOUR, null);
    }

    void addEvents(int n, long spacingMillis) {
        for (int i = 0; i < n; i++) {
            long ts = T0.toEpochMilli() + i * spacingMillis;
            fake.events.add(new FakeInsights.Event(ts, ts + 5000, "event-" + i));
        }
    }

    @Test
    void startsEveryQueryBeforePollingAny() {
        addEvents(3, 1000);
        List<QueryOutcome> out = backend().run(batch(req("a", "fields @message"), req("b", "fields @message"),
                req("c", "fields @message"))).outcomes();
        assertThat(out).extracting(QueryOutcome::id).containsExactly("a", "b", "c");
        assertThat(out).allSatisfy(o -> assertThat(o.failed()).isFalse());
        assertThat(out.get(0).result().rows()).hasSize(3);
        // three starts happened at the first instants, before any poll (a poll is the 4th call)
        long lastStart = fake.starts.get(2).at();
        assertThat(fake.callTimes.subList(0, 3)).allSatisfy(t -> assertThat(t).isLessThanOrEqualTo(lastStart));
        assertThat(fake.queries.values()).allSatisfy(q -> assertThat(q.polls).isEqualTo(2));
    }

    @Test
    void timeRangeIsSentInEpochSecondsFlooredAndCeiled() {
        TimeWindow w = new TimeWindow(Instant.parse("2026-11-20T10:00:00.500Z"),
                Instant.parse("2026-11-20T10:05:00.001Z"));
        backend().run(Batch.of(List.of(req("r", "fields @message")), w, null));
        FakeInsights.Start s = fake.starts.get(0);
        assertThat(s.startSeconds()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z").getEpochSecond());
        assertThat(s.endSeconds()).isEqualTo(Instant.parse("2026-11-20T10:05:01Z").getEpochSecond());
        assertThat(s.logGroup()).isEqualTo("/aws/eks/prod/cluster");
        assertThat(s.limit()).isEqualTo(10_000);
        // the exact range in milliseconds keeps the extra seconds out (consecutive event-time runs share none)
        assertThat(s.text()).isEqualTo("filter @timestamp >= " + w.start().toEpochMilli() + " and @timestamp < "
                + w.end().toEpochMilli() + "\n| fields @message");
    }

    @Test
    void ingestionWindowBecomesAnExactMillisecondFilterBeforeTheRuleQuery() {
        TimeWindow ing = new TimeWindow(Instant.parse("2026-11-20T10:55:00Z"), Instant.parse("2026-11-20T11:00:00Z"));
        String text = InsightsBackend.queryText("# comment\nfilter verb = \"patch\"\n| fields @message", ing, null);
        assertThat(text).isEqualTo("# comment\nfilter @ingestionTime >= " + ing.start().toEpochMilli()
                + " and @ingestionTime < " + ing.end().toEpochMilli() + "\n| filter verb = \"patch\"\n| fields @message");
        // and only events ingested in the window come back
        fake.events.add(new FakeInsights.Event(T0.toEpochMilli(), ing.start().toEpochMilli() - 1, "before"));
        fake.events.add(new FakeInsights.Event(T0.toEpochMilli(), ing.start().toEpochMilli(), "first"));
        fake.events.add(new FakeInsights.Event(T0.toEpochMilli(), ing.end().toEpochMilli() - 1, "last"));
        fake.events.add(new FakeInsights.Event(T0.toEpochMilli(), ing.end().toEpochMilli(), "after"));
        QueryOutcome o = backend().run(Batch.of(List.of(req("r", "fields @message")), HOUR, ing)).outcomes().get(0);
        assertThat(o.result().rows()).extracting(r -> r.get("@message")).containsExactlyInAnyOrder("first", "last");
    }

    @Test
    void limitExceededBacksOffAndRetriesWithoutDroppingARule() {
        addEvents(2, 1000);
        fake.throttleStarts = 6;
        InsightsBackend b = backend();
        BatchResult r = b.run(batch(req("a", "fields @message"), req("b", "fields @message")));
        List<QueryOutcome> out = r.outcomes();
        assertThat(out).allSatisfy(o -> assertThat(o.error()).isNull());
        assertThat(out).allSatisfy(o -> assertThat(o.result().rows()).hasSize(2));
        assertThat(r.scan().throttled()).isEqualTo(6);
        assertThat(fake.starts).hasSize(2);
        assertThat(ticker.slept).as("backed off").isGreaterThan(6 * 500L);
    }

    @Test
    void throttledLongerThanTheLimitStopsTheBatchWithOneProblem() {
        addEvents(2, 1000);
        fake.throttleStarts = 1_000_000;
        InsightsBackend b = backend(InsightsBackend.Settings.defaults().withThrottleLimit(
                java.time.Duration.ofMinutes(2)));
        BatchResult r = b.run(batch(req("a", "fields @message"), req("b", "fields @message")));
        List<QueryOutcome> out = r.outcomes();
        assertThat(out).allSatisfy(o -> assertThat(o.error()).startsWith("CloudWatch Logs Insights throttled every"
                + " call for 120 s (").contains("retry later"));
        assertThat(r.halted().kind()).isEqualTo(AwsErrors.Kind.THROTTLED.name());
        assertThat(r.halted().configuration()).isFalse(); // a problem of the moment: exit 3
        assertThat(ticker.slept).as("gave up soon after the limit").isBetween(120_000L, 160_000L);

        // a throttled run that recovers within the limit is not stopped, and the next batch starts afresh
        fake.throttleStarts = 3;
        BatchResult again = b.run(batch(req("a", "fields @message")));
        assertThat(again.outcomes().get(0).error()).isNull();
        assertThat(again.halted()).isNull();
    }

    @Test
    void aProblemEveryCallWouldMeetStopsTheBatchAtTheFirstCall() {
        InsightsApi denied = new InsightsApi() {
            int calls;

            @Override
            public String startQuery(String logGroup, long s, long e, String q, int limit) {
                calls++;
                throw new ApiError(AwsErrors.Kind.ACCESS_DENIED, "access denied: logs:StartQuery (call " + calls + ")");
            }

            @Override
            public Poll getQueryResults(String queryId) {
                throw new AssertionError();
            }

            @Override
            public void stopQuery(String queryId) {
            }
        };
        InsightsBackend b = new InsightsBackend(denied, LogTarget.forCluster("prod"),
                InsightsBackend.Settings.defaults(), ticker, new Random(7));
        BatchResult r = b.run(batch(req("a", "fields a"), req("b", "fields b"), req("c", "fields c")));
        assertThat(r.outcomes()).allSatisfy(o -> assertThat(o.error())
                .isEqualTo("access denied: logs:StartQuery (call 1)"));
        assertThat(r.halted().kind()).isEqualTo(AwsErrors.Kind.ACCESS_DENIED.name());
        assertThat(r.halted().configuration()).isTrue();
    }

    @Test
    void pollThrottlingIsRetried() {
        addEvents(1, 1000);
        fake.throttlePolls = 4;
        QueryOutcome o = backend().run(batch(req("a", "fields @message"))).outcomes().get(0);
        assertThat(o.failed()).isFalse();
        assertThat(o.result().rows()).hasSize(1);
    }

    @Test
    void concurrencyCapIsRespectedAndEveryRuleRuns() {
        addEvents(5, 1000);
        fake.pollsBeforeComplete = 3;
        List<Batch.Entry> reqs = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            reqs.add(req("r" + i, "fields @message"));
        }
        List<QueryOutcome> out = backend(InsightsBackend.Settings.defaults().withMaxConcurrent(3))
                .run(Batch.of(reqs, HOUR, null)).outcomes();
        assertThat(fake.maxRunning).isEqualTo(3);
        assertThat(out).hasSize(25).allSatisfy(o -> assertThat(o.result().rows()).hasSize(5));
    }

    @Test
    void callsArePacedToAtMostFivePerSecond() {
        List<Batch.Entry> reqs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            reqs.add(req("r" + i, "fields @message"));
        }
        backend().run(Batch.of(reqs, HOUR, null));
        List<Long> t = fake.callTimes;
        assertThat(t.size()).isGreaterThanOrEqualTo(60);
        for (int i = 0; i + 6 < t.size(); i++) {
            // any 6 consecutive calls span at least one second
            assertThat(t.get(i + 6) - t.get(i)).as("calls %d..%d", i, i + 6).isGreaterThanOrEqualTo(1000);
        }
    }

    @Test
    void aResultAtTheRowCapIsSplitUntilEveryPartIsUnderItAndNothingIsLost() {
        addEvents(1000, 3000); // 1000 events over 50 minutes
        InsightsBackend b = backend(InsightsBackend.Settings.defaults().withRowLimit(100));
        BatchResult res = b.run(batch(req("busy", "fields @timestamp, @message")));
        QueryOutcome o = res.outcomes().get(0);
        assertThat(o.error()).isNull();
        List<String> messages = o.result().rows().stream().map(r -> r.get("@message")).toList();
        assertThat(messages).hasSize(1000);
        assertThat(new HashSet<>(messages)).hasSize(1000);
        assertThat(res.scan().splits()).isGreaterThanOrEqualTo(10);
        // every accepted part was under the cap; parts carry exact millisecond @timestamp filters
        assertThat(fake.starts.subList(1, fake.starts.size()))
                .allSatisfy(s -> assertThat(s.text()).startsWith("filter @timestamp >= "));
        // merged in time order of the parts: the first row comes from the earliest part
        List<Long> ts = o.result().rows().stream().map(r -> Long.parseLong(r.get("@timestamp"))).toList();
        assertThat(ts.subList(0, 50)).allSatisfy(t -> assertThat(t).isLessThan(ts.get(ts.size() - 1)));
        // stats add up over all parts
        assertThat(o.stats().recordsScanned()).isGreaterThan(1000);
        assertThat(res.scan().bytesScanned()).isEqualTo(o.stats().bytesScanned());
    }

    @Test
    void splittingGivesUpWithAClearErrorAfterTheMaximumParts() {
        for (int i = 0; i < 50; i++) {
            fake.events.add(new FakeInsights.Event(T0.toEpochMilli(), T0.toEpochMilli(), "same-ms-" + i));
        }
        QueryOutcome o = backend(InsightsBackend.Settings.defaults().withRowLimit(10))
                .run(batch(req("r", "fields @message"))).outcomes().get(0);
        assertThat(o.error()).contains("more than 10 matching events").contains("narrow the rule's filters");
    }

    @Test
    void aStatsResultAtTheCapIsNotSplitButWarned() {
        addEvents(50, 1000);
        InsightsBackend b = backend(InsightsBackend.Settings.defaults().withRowLimit(20));
        BatchResult r = b.run(batch(req("agg", "stats count() by @message")));
        QueryOutcome o = r.outcomes().get(0);
        assertThat(o.error()).isNull();
        assertThat(o.result().aggregate()).isTrue();
        assertThat(o.result().rows()).hasSize(20);
        assertThat(fake.starts).hasSize(1);
        assertThat(r.warnings()).singleElement().asString().startsWith("agg: the stats query returned 20 rows");
    }

    @Test
    void theDeadlineStopsUnfinishedQueriesAndReportsThemAsRuleErrors() {
        addEvents(2, 1000);
        fake.hangs = t -> t.contains("slow");
        InsightsBackend b = backend();
        List<QueryOutcome> out = b.run(new Batch(List.of(req("quick", "fields @message"), req("stuck", "fields slow")),
                HOUR, null, ticker.now().plusSeconds(60))).outcomes();
        assertThat(out.get(0).failed()).isFalse();
        assertThat(out.get(1).error()).startsWith("not finished before the deadline").contains("stopped");
        String stuckId = fake.queries.values().stream().filter(q -> q.start.text().contains("slow")).findFirst()
                .orElseThrow().id;
        assertThat(fake.stops).containsExactly(stuckId);
        assertThat(ticker.now()).isBetween(Instant.parse("2026-11-20T11:01:00Z"),
                Instant.parse("2026-11-20T11:01:02Z"));
    }

    @Test
    void queriesNotStartedBeforeTheDeadlineAreReportedToo() {
        fake.hangs = t -> true;
        InsightsBackend b = backend(InsightsBackend.Settings.defaults().withMaxConcurrent(1));
        List<QueryOutcome> out = b.run(new Batch(List.of(req("a", "fields a"), req("b", "fields b")), HOUR, null,
                ticker.now().plusSeconds(10))).outcomes();
        assertThat(out.get(0).error()).startsWith("not finished before the deadline");
        assertThat(out.get(1).error()).startsWith("not started before the deadline");
    }

    @Test
    void failedCancelledAndTimeoutFailOnlyTheirOwnRule() {
        addEvents(1, 1000);
        fake.statusByMarker.put("FAILME", "Failed");
        fake.statusByMarker.put("CANCELME", "Cancelled");
        fake.statusByMarker.put("SLOWME", "Timeout");
        fake.malformedMarker = "BROKEN";
        List<QueryOutcome> out = backend().run(batch(req("ok", "fields @message"), req("f", "fields FAILME"),
                req("c", "fields CANCELME"), req("t", "fields SLOWME"), req("m", "fields BROKEN"))).outcomes();
        assertThat(out.get(0).failed()).isFalse();
        assertThat(out.get(1).error()).contains("ended with status Failed");
        assertThat(out.get(2).error()).contains("ended with status Cancelled");
        assertThat(out.get(3).error()).contains("ended with status Timeout").contains("narrow");
        assertThat(out.get(4).error()).startsWith("StartQuery failed: MalformedQueryException");
    }

    @Test
    void aMissingLogGroupIsOneClearErrorForEveryRule() {
        fake.logGroupExists = false;
        List<QueryOutcome> out = backend().run(batch(req("a", "fields a"), req("b", "fields b"))).outcomes();
        assertThat(fake.callTimes).hasSize(1);
        assertThat(out).allSatisfy(o -> assertThat(o.error()).startsWith(
                "control-plane logging is not enabled for cluster prod (log group /aws/eks/prod/cluster not found)")
                .contains("aws eks update-cluster-config --name prod"));
    }

    @Test
    void perQueryStatsAreReported() {
        addEvents(10, 1000);
        fake.pollsBeforeComplete = 2;
        QueryOutcome o = backend().run(batch(req("a", "fields @message"))).outcomes().get(0);
        assertThat(o.stats().recordsScanned()).isEqualTo(10);
        assertThat(o.stats().bytesScanned()).isEqualTo(10 * "event-0".length());
        assertThat(o.stats().recordsMatched()).isEqualTo(10);
        assertThat(o.stats().duration().toMillis()).isGreaterThan(1000);
    }

    @Test
    void statsQueriesAreRecognisedFromTheParsedQuery() {
        assertThat(req("a", "filter a=1 | stats count() by b").query().aggregate()).isTrue();
        assertThat(req("a", "stats count(*)").query().aggregate()).isTrue();
        assertThat(req("a", "fields stats_value | filter x like /stats/").query().aggregate()).isFalse();
    }

    @Test
    void anEntryThatDidNotParseFailsAloneAndIsNeverSent() {
        addEvents(2, 1000);
        BatchResult r = backend().run(batch(req("ok", "fields @message"),
                Batch.Entry.parse("bad", "fields @message | stats nosuch(x)"), req("also", "fields @message")));
        assertThat(r.outcomes()).extracting(QueryOutcome::id).containsExactly("ok", "bad", "also");
        assertThat(r.outcomes().get(1).error()).startsWith("query does not parse: ");
        assertThat(r.outcomes().get(0).result().rows()).hasSize(2);
        assertThat(r.outcomes().get(2).result().rows()).hasSize(2);
        assertThat(fake.starts).hasSize(2).noneSatisfy(s -> assertThat(s.text()).contains("nosuch"));
    }
}
