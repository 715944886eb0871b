package io.ekslookout.detect;

import io.ekslookout.query.Query;
import io.ekslookout.query.QueryResult;
import io.ekslookout.query.ResultRow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A planned run over several clusters: one prefilter for all of them, its rows split by {@code @log} (the service's
 * {@code account:group}, moto's bare group) into clusters, every rule evaluated on each cluster's events alone (a
 * stats threshold counts one cluster's events), each outcome and finding naming its cluster; rules the planner
 * leaves separate run on each cluster's own back end.
 */
class PlannedClustersTest {
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    static final TimeWindow HOUR = new TimeWindow(T0, T0.plusSeconds(3600));

    /** A fetch back end answering every entry with these rows (as Logs Insights returns the prefilter's). */
    static final class Rows implements QueryBackend {
        final List<ResultRow> rows;
        final List<Batch> seen = new ArrayList<>();

        Rows(List<ResultRow> rows) {
            this.rows = rows;
        }

        @Override
        public BatchResult run(Batch batch) {
            seen.add(batch);
            List<QueryOutcome> out = new ArrayList<>();
            for (Batch.Entry e : batch.entries()) {
                out.add(QueryOutcome.success(e.id(), new QueryResult(List.of("@timestamp", "@message", "@log"), rows,
                        false, rows.size(), rows.size()), QueryStats.NONE));
            }
            return BatchResult.of(out, batch);
        }
    }

    static ResultRow row(long secondsIn, String log, String user) {
        String msg = "{\"verb\":\"delete\",\"user\":{\"username\":\"" + user + "\"}}";
        return new ResultRow(List.of(new ResultRow.Field("@timestamp", Long.toString(T0.toEpochMilli()
                + secondsIn * 1000)), new ResultRow.Field("@message", msg), new ResultRow.Field("@log", log),
                new ResultRow.Field("@logStream", "kube-apiserver-audit-1")));
    }

    static PlannedBackend.Cluster cluster(String name, QueryBackend alone) {
        return new PlannedBackend.Cluster(name, "/aws/eks/" + name + "/cluster", alone);
    }

    @Test
    void eachClustersEventsAreItsOwnAndAStatsThresholdCountsOneCluster() {
        // a: 2 deletes by eve (service form account:group); b: 1 by eve (moto form, bare group) and 1 by bob
        Rows fetch = new Rows(List.of(row(1, "111122223333:/aws/eks/a/cluster", "eve"),
                row(2, "/aws/eks/b/cluster", "eve"), row(3, "111122223333:/aws/eks/a/cluster", "eve"),
                row(4, "/aws/eks/b/cluster", "bob")));
        Rows nothing = new Rows(List.of());
        PlannedBackend planned = new PlannedBackend(fetch, List.of(cluster("a", nothing), cluster("b", nothing)));
        Batch batch = Batch.of(List.of(
                new Batch.Entry("deletes", Query.parse("filter verb = \"delete\" | fields user.username")),
                new Batch.Entry("twice", Query.parse("filter verb = \"delete\" | stats count(*) as n by user.username"
                        + " | filter n >= 2"))), HOUR, null);
        BatchResult r = planned.run(batch);
        assertThat(fetch.seen).hasSize(1).first().satisfies(b -> assertThat(b.entries()).hasSize(1));
        assertThat(r.planned().queries()).isEqualTo(1);
        // one outcome per entry and cluster, entries in order, clusters in order
        assertThat(r.outcomes()).extracting(QueryOutcome::id).containsExactly("deletes", "deletes", "twice", "twice");
        assertThat(r.outcomes()).extracting(QueryOutcome::cluster).containsExactly("a", "b", "a", "b");
        assertThat(r.outcomes().get(0).result().rows()).hasSize(2);
        assertThat(r.outcomes().get(1).result().rows()).extracting(x -> x.asMap().get("user.username"))
                .containsExactlyInAnyOrder("eve", "bob");
        // eve deleted twice in a, once in b: only a's stats cross the threshold
        assertThat(r.outcomes().get(2).result().rows()).singleElement()
                .satisfies(x -> assertThat(x.asMap()).containsEntry("user.username", "eve").containsEntry("n", "2"));
        assertThat(r.outcomes().get(3).result().rows()).isEmpty();
        assertThat(r.outcomes()).allSatisfy(o -> assertThat(o.result().warnings()).isEmpty());
    }

    @Test
    void anEventOfAnUnknownLogGroupIsCountedNeverSilentlyDropped() {
        Rows fetch = new Rows(List.of(row(1, "111122223333:/aws/eks/a/cluster", "eve"),
                row(2, "111122223333:/aws/eks/zzz/cluster", "mallory")));
        PlannedBackend planned = new PlannedBackend(fetch, List.of(cluster("a", new Rows(List.of()))));
        BatchResult r = planned.run(Batch.of(List.of(new Batch.Entry("deletes",
                Query.parse("filter verb = \"delete\" | fields user.username"))), HOUR, null));
        QueryOutcome a = r.outcomes().get(0);
        assertThat(a.cluster()).isEqualTo("a");
        assertThat(a.result().rows()).hasSize(1);
        assertThat(a.result().eventErrors()).isEqualTo(1);
        assertThat(a.result().firstEventError()).contains("/aws/eks/zzz/cluster").contains("no cluster of this run");
    }
}
