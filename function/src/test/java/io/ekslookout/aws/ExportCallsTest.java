package io.ekslookout.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.export.EventEntries;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Batching, retries and per-item failure reports of the Security Hub and EventBridge calls, on fake transports. */
class ExportCallsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static List<ObjectNode> asff(int n) {
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(JSON.createObjectNode().put("Id", "f-" + i));
        }
        return out;
    }

    static JsonNode read(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void securityHubGetsBatchesOfAHundredAndEveryFailedFindingIsReported() {
        List<Integer> sizes = new ArrayList<>();
        SecurityHubImporter hub = new SecurityHubImporter((path, body) -> {
            assertThat(path).isEqualTo("/findings/import");
            JsonNode fs = read(body).get("Findings");
            sizes.add(fs.size());
            boolean failOne = fs.get(0).get("Id").asText().equals("f-100");
            String failed = failOne ? "[{\"Id\":\"f-101\",\"ErrorCode\":\"InvalidInput\",\"ErrorMessage\":\"bad\"}]"
                    : "[]";
            return new SignedJsonCall.Response(200, "{\"FailedCount\":" + (failOne ? 1 : 0) + ",\"SuccessCount\":"
                    + (fs.size() - (failOne ? 1 : 0)) + ",\"FailedFindings\":" + failed + "}", null);
        }, ms -> { });
        SecurityHubImporter.Result r = hub.importFindings(asff(250));
        assertThat(sizes).containsExactly(100, 100, 50);
        assertThat(r.imported()).isEqualTo(249);
        assertThat(r.failures()).containsExactly("f-101: InvalidInput: bad");
    }

    @Test
    void securityHubRetriesAThrottledCallThenReportsEachFindingOfARefusedOne() {
        List<Long> sleeps = new ArrayList<>();
        int[] calls = {0};
        SecurityHubImporter hub = new SecurityHubImporter((path, body) -> {
            calls[0]++;
            return calls[0] == 1 ? new SignedJsonCall.Response(429, "{\"Message\":\"slow down\"}", "TooManyRequestsException")
                    : new SignedJsonCall.Response(403, "{\"Message\":\"not allowed\"}", "AccessDeniedException");
        }, sleeps::add);
        SecurityHubImporter.Result r = hub.importFindings(asff(2));
        assertThat(calls[0]).isEqualTo(2);
        assertThat(sleeps).containsExactly(200L);
        assertThat(r.imported()).isZero();
        assertThat(r.failures()).containsExactly("f-0: not imported: HTTP 403 AccessDeniedException: not allowed",
                "f-1: not imported: HTTP 403 AccessDeniedException: not allowed");
    }

    @Test
    void aFindingOverTheSizeLimitIsReportedNotSent() {
        ObjectNode big = JSON.createObjectNode().put("Id", "big").put("Description", "x".repeat(300_000));
        List<ObjectNode> sent = new ArrayList<>();
        SecurityHubImporter hub = new SecurityHubImporter((path, body) -> {
            read(body).get("Findings").forEach(f -> sent.add((ObjectNode) f));
            return new SignedJsonCall.Response(200, "{\"SuccessCount\":1,\"FailedFindings\":[]}", null);
        }, ms -> { });
        SecurityHubImporter.Result r = hub.importFindings(List.of(big, asff(1).get(0)));
        assertThat(sent).hasSize(1);
        assertThat(r.failures()).singleElement().asString().startsWith("big: not sent");
    }

    static List<EventEntries.Entry> events(int n) {
        List<EventEntries.Entry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new EventEntries.Entry("rule-" + i, "fp" + i, "{\"i\":" + i + "}", List.of(), null));
        }
        return out;
    }

    @Test
    void eventBridgeRetriesOnlyTheThrottledEntriesAndReportsTheRefusedOnes() {
        List<List<Integer>> calls = new ArrayList<>();
        EventBridgeSender s = new EventBridgeSender(body -> {
            JsonNode entries = read(body).get("Entries");
            List<Integer> ids = new ArrayList<>();
            StringBuilder res = new StringBuilder("{\"FailedEntryCount\":0,\"Entries\":[");
            for (int i = 0; i < entries.size(); i++) {
                JsonNode e = entries.get(i);
                assertThat(e.get("Source").asText()).isEqualTo("eks-lookout");
                assertThat(e.get("DetailType").asText()).isEqualTo("EKS Lookout Finding");
                assertThat(e.get("EventBusName").asText()).isEqualTo("sec");
                int id = read(e.get("Detail").asText().getBytes()).get("i").asInt();
                ids.add(id);
                res.append(i > 0 ? "," : "");
                if (id == 3 && calls.size() == 0) {
                    res.append("{\"ErrorCode\":\"ThrottlingException\",\"ErrorMessage\":\"slow\"}");
                } else if (id == 7) {
                    res.append("{\"ErrorCode\":\"MalformedDetail\",\"ErrorMessage\":\"bad detail\"}");
                } else {
                    res.append("{\"EventId\":\"e").append(id).append("\"}");
                }
            }
            calls.add(ids);
            return new SignedJsonCall.Response(200, res.append("]}").toString(), null);
        }, "sec", ms -> { });
        EventBridgeSender.Result r = s.send(events(12));
        assertThat(calls).containsExactly(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), List.of(3), List.of(10, 11));
        assertThat(r.sent()).isEqualTo(11);
        assertThat(r.failures()).containsExactly("finding rule-7 (fp7): not sent: MalformedDetail: bad detail");
    }

    @Test
    void aWholeCallThatFailsFailsItsEntriesAndTheNextBatchStillGoes() {
        int[] calls = {0};
        EventBridgeSender s = new EventBridgeSender(body -> {
            calls[0]++;
            if (calls[0] == 1) {
                return new SignedJsonCall.Response(400, "{\"message\":\"no such bus\"}", "ResourceNotFoundException");
            }
            return new SignedJsonCall.Response(200, "{\"Entries\":[{\"EventId\":\"a\"},{\"EventId\":\"b\"}]}", null);
        }, null, ms -> { });
        EventBridgeSender.Result r = s.send(events(12));
        assertThat(r.sent()).isEqualTo(2);
        assertThat(r.failures()).hasSize(10).allSatisfy(f -> assertThat(f)
                .endsWith("not sent: HTTP 400 ResourceNotFoundException: no such bus"));
    }
}
