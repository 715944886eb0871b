package io.ekslookout.detect;

import io.ekslookout.logs.LogSource;
import io.ekslookout.logs.ReadReport;
import io.ekslookout.query.LogEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded-engine back end: one read for all queries, windows, isolation of failures. */
class LocalBackendTest {
    static final long T0 = Instant.parse("2026-11-20T10:00:00Z").toEpochMilli();

    /** Counts how often it is read. */
    static final class CountingSource implements LogSource {
        final List<LogEvent> events;
        int reads;

        CountingSource(List<LogEvent> events) {
            this.events = events;
        }

        @Override
        public ReadReport read(Consumer<LogEvent> sink) {
            reads++;
            return new InMemoryLogSource(events).read(sink);
        }
    }

    private static LogEvent ev(long offsetSeconds, long ingestDelaySeconds, String msg) {
        long ts = T0 + offsetSeconds * 1000;
        return new LogEvent(ts, ts + ingestDelaySeconds * 1000, msg, "kube-apiserver-audit-1", "g", "e" + ts);
    }

    private static List<LogEvent> events() {
        List<LogEvent> l = new ArrayList<>();
        l.add(ev(0, 1, "{\"verb\":\"get\",\"n\":1}"));
        l.add(ev(10, 1, "{\"verb\":\"delete\",\"n\":2}"));
        l.add(ev(20, 600, "{\"verb\":\"delete\",\"n\":3}")); // ingested 10 minutes late
        l.add(ev(30, 1, "{\"verb\":\"patch\",\"n\":4}"));
        return l;
    }

    /** An entry for ad-hoc text (a query that does not parse becomes an entry that fails alone). */
    private static Batch.Entry req(String id, String q) {
        return Batch.Entry.parse(id, q);
    }

    private static BatchResult run(LocalBackend b, TimeWindow w, TimeWindow ingest, Batch.Entry... entries) {
        return b.run(Batch.of(List.of(entries), w, ingest));
    }

    @Test
    void readsTheSourceOnceForAllQueriesAndIsolatesABrokenOne() {
        CountingSource src = new CountingSource(events());
        LocalBackend b = new LocalBackend(src);
        BatchResult r = run(b, LocalBackend.WHOLE_INPUT, null,
                req("deletes", "filter verb = \"delete\" | stats count(*) as n"),
                req("broken", "filter verb = | stats"),
                req("all", "stats count(*) as n"));
        List<QueryOutcome> out = r.outcomes();
        assertThat(src.reads).isEqualTo(1);
        assertThat(out).extracting(QueryOutcome::id).containsExactly("deletes", "broken", "all");
        assertThat(out.get(0).result().rows().get(0).get("n")).isEqualTo("2");
        assertThat(out.get(1).failed()).isTrue();
        assertThat(out.get(1).error()).startsWith("query does not parse: 1:");
        assertThat(out.get(2).result().rows().get(0).get("n")).isEqualTo("4");
        assertThat(out.get(2).stats().recordsScanned()).isEqualTo(4);
        assertThat(out.get(2).stats().bytesScanned()).isEqualTo(events().stream()
                .mapToLong(e -> e.message().length()).sum());
        assertThat(r.readReport().events()).isEqualTo(4);
        assertThat(r.coveredWindow())
                .isEqualTo(new TimeWindow(Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 30_001)));
    }

    @Test
    void timeRangeIsHalfOpenAndEachBatchIsOneRead() {
        CountingSource src = new CountingSource(events());
        LocalBackend b = new LocalBackend(src);
        TimeWindow first20s = new TimeWindow(Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 20_000));
        BatchResult first = run(b, first20s, null, req("a", "stats count(*) as n"));
        BatchResult whole = run(b, LocalBackend.WHOLE_INPUT, null, req("b", "stats count(*) as n"));
        assertThat(src.reads).isEqualTo(2); // a batch has one window: one read each
        assertThat(first.outcomes().get(0).result().rows().get(0).get("n")).isEqualTo("2");
        assertThat(whole.outcomes().get(0).result().rows().get(0).get("n")).isEqualTo("4");
        assertThat(first.coveredWindow()).isEqualTo(first20s);
    }

    /**
     * An in-memory event may carry any long as its timestamp (µs or ns by mistake, the long's limits): it is in no
     * whole-input window, is not counted by the queries, and neither stretches nor overflows the window shown (it
     * used to make "end before start" and an IllegalArgumentException that stopped the run; found by the fuzz
     * harness, extreme-timestamps).
     */
    @Test
    void eventsOutsideTheSupportedRangeNeitherCountNorBreakTheWindowShown() {
        long nanos = 1_795_168_859_000_000_000L; // 2026-11-20 in ns, read as ms: year ~56 million
        TimeWindow normal = new TimeWindow(Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 1));
        record Row(List<Long> timestamps, TimeWindow shown, long counted) {
        }
        for (Row row : List.of(
                new Row(List.of(Long.MAX_VALUE), LocalBackend.WHOLE_INPUT, 0),
                new Row(List.of(Long.MIN_VALUE), LocalBackend.WHOLE_INPUT, 0),
                new Row(List.of(nanos, -1L, Long.MAX_VALUE - 1), LocalBackend.WHOLE_INPUT, 0),
                new Row(List.of(T0, nanos), normal, 1),
                new Row(List.of(Long.MIN_VALUE, T0, Long.MAX_VALUE), normal, 1),
                new Row(List.of(0L, 253_402_300_799_999L), LocalBackend.WHOLE_INPUT, 2))) {
            List<LogEvent> events = new ArrayList<>();
            for (long ts : row.timestamps()) {
                events.add(new LogEvent(ts, ts, "{\"verb\":\"get\"}", "kube-apiserver-audit-1", "g", "e" + ts));
            }
            LocalBackend b = new LocalBackend(new InMemoryLogSource(events));
            BatchResult r = run(b, LocalBackend.WHOLE_INPUT, null, req("all", "stats count(*) as n"));
            List<QueryOutcome> out = r.outcomes();
            assertThat(out.get(0).failed()).as("%s", row.timestamps()).isFalse();
            assertThat(out.get(0).stats().recordsScanned()).as("%s", row.timestamps()).isEqualTo(row.counted());
            assertThat(r.coveredWindow()).as("%s", row.timestamps())
                    .isEqualTo(row.shown());
        }
    }

    @Test
    void ingestionWindowKeepsOnlyEventsIngestedInIt() {
        LocalBackend b = new LocalBackend(new InMemoryLogSource(events()));
        // the scheduled path: this run owns events ingested in [T0, T0 + 5 min)
        TimeWindow ingest = new TimeWindow(Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 300_000));
        List<QueryOutcome> out = run(b, LocalBackend.WHOLE_INPUT, ingest,
                req("deletes", "filter verb = \"delete\" | fields n")).outcomes();
        assertThat(out.get(0).result().rows()).extracting(r -> r.get("n")).containsExactly("2");
        // the next run picks up the late one
        TimeWindow next = new TimeWindow(Instant.ofEpochMilli(T0 + 300_000), Instant.ofEpochMilli(T0 + 900_000));
        out = run(b, LocalBackend.WHOLE_INPUT, next, req("deletes", "filter verb = \"delete\" | fields n")).outcomes();
        assertThat(out.get(0).result().rows()).extracting(r -> r.get("n")).containsExactly("3");
    }

    @Test
    void anUnreadableSourceFailsEveryQueryWithTheReason() {
        LogSource broken = sink -> {
            throw new IOException("disk on fire");
        };
        List<QueryOutcome> out = run(new LocalBackend(broken), LocalBackend.WHOLE_INPUT, null,
                req("a", "stats count(*)"), req("b", "fields x")).outcomes();
        assertThat(out).allSatisfy(o -> assertThat(o.error()).isEqualTo("cannot read the logs: disk on fire"));
    }
}
