package io.ekslookout.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ekslookout.cli.FindingPrinter;
import io.ekslookout.detect.Finding;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ekslookout.export.AsffMapperTest.CTX;
import static io.ekslookout.export.AsffMapperTest.END;
import static io.ekslookout.export.AsffMapperTest.ROWS;
import static io.ekslookout.export.AsffMapperTest.START;
import static io.ekslookout.export.AsffMapperTest.finding;
import static org.assertj.core.api.Assertions.assertThat;

class EventEntriesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theDetailIsTheDocumentedFindingJsonPlusClusterAccountRegionAndFingerprint() throws Exception {
        Finding f = finding("alice", ROWS);
        JsonNode d = JSON.readTree(EventEntries.entry(f, CTX, null).detail());
        List<String> keys = new ArrayList<>();
        d.fieldNames().forEachRemaining(keys::add);
        List<String> expected = new ArrayList<>(FindingPrinter.JSON_KEYS);
        expected.addAll(List.of("account", "region", "fingerprint"));
        assertThat(keys).isEqualTo(expected);
        JsonNode printed = JSON.readTree(FindingPrinter.json(f));
        for (String k : FindingPrinter.JSON_KEYS) {
            if (!k.equals("cluster")) { // a finding of no known cluster (local files) gets the context's
                assertThat(d.get(k)).as(k).isEqualTo(printed.get(k));
            }
        }
        assertThat(d.get("cluster").asText()).isEqualTo("prod");
        assertThat(d.get("account").asText()).isEqualTo("111122223333");
        assertThat(d.get("region").asText()).isEqualTo("eu-west-1");
        assertThat(d.get("fingerprint").asText()).isEqualTo(Fingerprint.of(f, "prod"));
        assertThat(EventEntries.entry(f, CTX, null).resources())
                .containsExactly("arn:aws:eks:eu-west-1:111122223333:cluster/prod");
    }

    @Test
    void aFindingOfAnotherClusterIsThatClustersEventWithItsOwnArnAndFingerprint() throws Exception {
        Finding f = finding("alice", ROWS).withCluster("staging");
        ExportContext ctx = new ExportContext("prod", "/aws/eks/prod/cluster", "eu-west-1", "111122223333",
                java.util.Map.of("staging", "444455556666"));
        JsonNode d = JSON.readTree(EventEntries.entry(f, ctx, null).detail());
        assertThat(d.get("cluster").asText()).isEqualTo("staging");
        assertThat(d.get("account").asText()).as("the account that sends").isEqualTo("111122223333");
        assertThat(d.get("fingerprint").asText()).isEqualTo(Fingerprint.of(f.ruleId(), "staging", f.groupKey()))
                .isNotEqualTo(Fingerprint.of(finding("alice", ROWS).withCluster("prod"), "prod"));
        assertThat(EventEntries.entry(f, ctx, null).resources())
                .containsExactly("arn:aws:eks:eu-west-1:444455556666:cluster/staging");
        JsonNode printed = JSON.readTree(FindingPrinter.json(f));
        assertThat(printed.get("cluster").asText()).isEqualTo("staging");
    }

    static EventEntries.Entry sized(int detailBytes) {
        return new EventEntries.Entry("r", "fp", "{\"x\":\"" + "a".repeat(detailBytes - 8) + "\"}", List.of(), null);
    }

    @Test
    void batchesHoldAtMostTenEntries() {
        List<EventEntries.Entry> es = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            es.add(sized(100));
        }
        EventEntries.Batches b = EventEntries.batches(es, "bus");
        assertThat(b.batches()).extracting(List::size).containsExactly(10, 10, 3);
        assertThat(b.tooLarge()).isEmpty();
    }

    @Test
    void batchesStayWithin256KbCountedTheWayAwsDoes() {
        List<EventEntries.Entry> es = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            es.add(sized(100_000));
        }
        EventEntries.Batches b = EventEntries.batches(es, "bus");
        assertThat(b.batches()).extracting(List::size).containsExactly(2, 2, 1);
        for (List<EventEntries.Entry> batch : b.batches()) {
            assertThat(batch.stream().mapToInt(e -> e.size("bus")).sum()).isLessThanOrEqualTo(256 * 1024);
        }
    }

    @Test
    void anEntryTooLargeAloneIsSetAsideNotSent() {
        EventEntries.Batches b = EventEntries.batches(List.of(sized(100), sized(300_000), sized(100)), null);
        assertThat(b.tooLarge()).hasSize(1);
        assertThat(b.batches()).hasSize(1);
        assertThat(b.batches().get(0)).hasSize(2);
    }

    @Test
    void aFindingWithHugeRowsKeepsFewerRowsAndCountsTheOthers() throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(Map.of("@message", "m".repeat(10_000)));
        }
        Finding f = new Finding("r", "high", "t", START, END, null, 100, rows, 5);
        EventEntries.Entry e = EventEntries.entry(f, CTX, "bus");
        assertThat(e.size("bus")).isLessThanOrEqualTo(EventEntries.MAX_REQUEST_BYTES);
        JsonNode d = JSON.readTree(e.detail());
        int kept = d.get("rows").size();
        assertThat(kept).isBetween(1, 25);
        assertThat(d.get("rowsOmitted").asLong()).isEqualTo(5 + 100 - kept);
        assertThat(e.shortened()).contains("rows left out");
        assertThat(EventEntries.entry(finding("a", ROWS), CTX, "bus").shortened()).isNull();
    }

    @Test
    void fingerprintPartsCannotCollide() {
        assertThat(Fingerprint.of("a-b", "c", null)).isNotEqualTo(Fingerprint.of("a", "b-c", null));
        assertThat(Fingerprint.of("r", "c", "")).isNotEqualTo(Fingerprint.of("r", "c", null));
        assertThat(Fingerprint.of("r", "c", "k")).isEqualTo(Fingerprint.of("r", "c", "k")).hasSize(32);
    }
}
