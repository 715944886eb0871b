package io.ekslookout.aws;

import io.ekslookout.detect.Batch;
import io.ekslookout.detect.BatchResult;
import io.ekslookout.detect.QueryOutcome;
import io.ekslookout.detect.TimeWindow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** N log groups are read with ceil(N / 50) StartQuery calls per query: StartQuery takes at most 50. */
class LogGroupBatchesTest {
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final TimeWindow HOUR = new TimeWindow(T0, T0.plusSeconds(3600));
    final FakeTicker ticker = new FakeTicker(Instant.parse("2026-11-20T11:00:00Z"));
    final FakeInsights fake = new FakeInsights(ticker);

    static List<LogTarget> clusters(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> LogTarget.forCluster("c" + i)).toList();
    }

    BatchResult run(List<LogTarget> targets, String query) {
        InsightsBackend b = new InsightsBackend(fake, targets, InsightsBackend.Settings.defaults(), ticker,
                new Random(7));
        return b.run(Batch.of(List.of(new Batch.Entry("prefilter-1", io.ekslookout.query.Query.parse(query))),
                HOUR, null));
    }

    @ParameterizedTest(name = "{0} log groups: {1} queries")
    @CsvSource({"1, 1", "2, 1", "50, 1", "51, 2", "100, 2", "101, 3"})
    void aQueryOverNLogGroupsIsCeilNOver50StartQueryCalls(int groups, int queries) {
        fake.events.add(new FakeInsights.Event(T0.toEpochMilli() + 1000, T0.toEpochMilli() + 2000, "e"));
        BatchResult r = run(clusters(groups), "fields @timestamp, @message");
        assertThat(r.outcomes()).singleElement().satisfies(o -> assertThat(o.failed()).isFalse());
        assertThat(fake.starts).hasSize(queries);
        assertThat(r.scan().queriesStarted()).isEqualTo(queries);
        // every log group in exactly one query, in order; one group by name alone (logGroupName)
        List<String> asked = new ArrayList<>();
        fake.starts.forEach(st -> asked.addAll(List.of(st.logGroup().split(","))));
        assertThat(fake.starts).allSatisfy(st -> assertThat(st.logGroup().split(",").length).isBetween(1, 50));
        if (groups == 1) {
            assertThat(fake.groupsStarted).as("one group by name: logGroupName").isEmpty();
        }
        assertThat(asked).containsExactlyElementsOf(clusters(groups).stream().map(LogTarget::logGroup).toList());
        // the rows of every batch of groups come back together: one event per query here
        assertThat(r.outcomes().get(0).result().rows()).hasSize(queries);
    }

    @Test
    void batchesKeepOrderAndSizes() {
        assertThat(InsightsBackend.inBatches(clusters(51))).extracting(List::size).containsExactly(50, 1);
        assertThat(InsightsBackend.inBatches(clusters(50))).extracting(List::size).containsExactly(50);
        assertThat(InsightsBackend.inBatches(clusters(1))).extracting(List::size).containsExactly(1);
        assertThat(InsightsBackend.inBatches(clusters(120))).extracting(List::size).containsExactly(50, 50, 20);
    }

    @Test
    void aStatsQueryOverMoreThan50LogGroupsFailsWithTheReasonAndStartsNothing() {
        QueryOutcome o = run(clusters(51), "stats count(*) by verb").outcomes().get(0);
        assertThat(o.failed()).isTrue();
        assertThat(o.error()).contains("a stats query reads at most 50 log groups at once");
        assertThat(fake.starts).isEmpty();
        assertThat(run(clusters(50), "stats count(*) by verb").outcomes().get(0).failed()).isFalse();
    }

    @Test
    void anArnTargetGoesInTheListCallEvenAlone() {
        LogTarget pay = LogTarget.of(io.ekslookout.settings.ClusterSource.parse(
                "arn:aws:logs:eu-west-1:444455556666:log-group:/aws/eks/pay/cluster"));
        run(List.of(pay), "fields @message");
        assertThat(fake.groupsStarted).containsExactly(List.of(
                "arn:aws:logs:eu-west-1:444455556666:log-group:/aws/eks/pay/cluster"));
    }
}
