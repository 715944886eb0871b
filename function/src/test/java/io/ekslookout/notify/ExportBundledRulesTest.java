package io.ekslookout.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.export.AsffMapper;
import io.ekslookout.export.EventEntries;
import io.ekslookout.export.ExportContext;
import io.ekslookout.export.OcsfMapper;
import io.ekslookout.run.Wiring;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every bundled rule's firing finding exports within the limits of ASFF, OCSF and EventBridge. */
class ExportBundledRulesTest {
    static final ExportContext CTX = new ExportContext("prod", "/aws/eks/prod/cluster", "us-east-1", "111122223333");
    static final List<String> NAMESPACES = List.of("Software and Configuration Checks/", "TTPs/", "Effects/",
            "Unusual Behaviors/", "Sensitive Data Identifications/");

    @Test
    void everyBundledRulesFindingFitsAsffOcsfAndEventBridge() throws Exception {
        Instant now = Instant.parse("2026-11-20T12:00:00Z");
        List<GoldenMessagesTest.Rendered> all = GoldenMessagesTest.fireFindings();
        assertThat(all).hasSizeGreaterThanOrEqualTo(14);
        for (GoldenMessagesTest.Rendered r : all) {
            RuleInfo rule = Wiring.ruleInfo(r.rule());
            ObjectNode a = AsffMapper.map(r.finding(), rule, CTX, now);
            String id = r.rule().id();
            assertThat(a.get("Title").asText().length()).as(id).isBetween(1, 256);
            assertThat(a.get("Description").asText().length()).as(id).isBetween(1, 1024);
            assertThat(a.at("/Remediation/Recommendation/Text").asText().length()).as(id).isBetween(1, 512);
            assertThat(a.get("Types")).as(id).isNotEmpty();
            for (JsonNode t : a.get("Types")) {
                assertThat(NAMESPACES).as(id + " " + t).anyMatch(t.asText()::startsWith);
                assertThat(t.asText().split("/")).as(id + " " + t).hasSize(3);
            }
            assertThat(a.get("Types").toString()).as(id + ": ATT&CK tags map to TTPs or Effects")
                    .containsAnyOf("TTPs/", "Effects/");
            assertThat(a.get("Resources").get(0).get("Id").asText()).isEqualTo("arn:aws:eks:us-east-1:111122223333:cluster/prod");
            assertThat(a.get("SourceUrl").asText()).as(id).startsWith("https://us-east-1.console.aws.amazon.com/");
            assertThat(a.toString().length()).as(id).isLessThan(240 * 1024);
            ObjectNode o = OcsfMapper.map(r.finding(), rule, CTX, now);
            assertThat(o.at("/finding_info/first_seen_time").asLong())
                    .isLessThanOrEqualTo(o.at("/finding_info/last_seen_time").asLong());
            EventEntries.Entry e = EventEntries.entry(r.finding(), CTX, null);
            assertThat(e.size(null)).isLessThanOrEqualTo(EventEntries.MAX_REQUEST_BYTES);
            assertThat(e.shortened()).isNull();
        }
    }
}
