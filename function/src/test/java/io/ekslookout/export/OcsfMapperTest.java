package io.ekslookout.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.detect.Finding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.ekslookout.export.AsffMapperTest.CTX;
import static io.ekslookout.export.AsffMapperTest.END;
import static io.ekslookout.export.AsffMapperTest.NOW;
import static io.ekslookout.export.AsffMapperTest.ROWS;
import static io.ekslookout.export.AsffMapperTest.RULE;
import static io.ekslookout.export.AsffMapperTest.START;
import static io.ekslookout.export.AsffMapperTest.finding;
import static org.assertj.core.api.Assertions.assertThat;

/** One test per OCSF Detection Finding field the mapper writes. */
class OcsfMapperTest {
    static ObjectNode map(Finding f) {
        return OcsfMapper.map(f, RULE, CTX, NOW);
    }

    @Test
    void classCategoryActivityAndType() {
        ObjectNode o = map(finding("alice", ROWS));
        assertThat(o.get("class_uid").asInt()).isEqualTo(2004);
        assertThat(o.get("category_uid").asInt()).isEqualTo(2);
        assertThat(o.get("activity_id").asInt()).isEqualTo(1);
        assertThat(o.get("activity_name").asText()).isEqualTo("Create");
        assertThat(o.get("type_uid").asLong()).isEqualTo(200401);
    }

    @ParameterizedTest
    @CsvSource({"info, 1, Informational", "low, 2, Low", "medium, 3, Medium", "high, 4, High",
            "critical, 5, Critical", "bogus, 0, Unknown"})
    void severityId(String severity, int id, String name) {
        ObjectNode o = map(new Finding("r", severity, "t", START, END, null, 1, List.of(), 0));
        assertThat(o.get("severity_id").asInt()).isEqualTo(id);
        assertThat(o.get("severity").asText()).isEqualTo(name);
    }

    @Test
    void findingInfoUidIsTheFingerprintAndTitleDescTypesAsInAsff() {
        Finding f = finding("alice", ROWS);
        JsonNode fi = map(f).get("finding_info");
        ObjectNode asff = AsffMapper.map(f, RULE, CTX, NOW);
        assertThat(fi.get("uid").asText()).isEqualTo(Fingerprint.of("aws-auth-mutation", "prod", "alice"));
        assertThat(fi.get("title").asText()).isEqualTo(asff.get("Title").asText());
        assertThat(fi.get("desc").asText()).isEqualTo(asff.get("Description").asText());
        assertThat(fi.get("types")).isEqualTo(asff.get("Types"));
        assertThat(fi.at("/analytic/uid").asText()).isEqualTo("aws-auth-mutation");
        assertThat(fi.at("/attacks/0/technique/uid").asText()).isEqualTo("T1098.006");
        assertThat(fi.at("/attacks/0/tactic/name").asText()).isEqualTo("Persistence");
        assertThat(fi.get("src_url").asText()).isEqualTo(asff.get("SourceUrl").asText());
    }

    @Test
    void firstAndLastSeenTimeInMillisecondsFromTheRows() {
        JsonNode fi = map(finding("alice", ROWS)).get("finding_info");
        assertThat(fi.get("first_seen_time").asLong())
                .isEqualTo(java.time.Instant.parse("2026-11-20T08:10:00Z").toEpochMilli());
        assertThat(fi.get("last_seen_time").asLong())
                .isEqualTo(java.time.Instant.parse("2026-11-20T08:40:00Z").toEpochMilli());
    }

    @Test
    void resourcesAreTheClusterAndTheObject() {
        JsonNode rs = map(finding("alice", ROWS)).get("resources");
        assertThat(rs.get(0).get("uid").asText()).isEqualTo("arn:aws:eks:eu-west-1:111122223333:cluster/prod");
        assertThat(rs.get(0).get("type").asText()).isEqualTo("AWS::EKS::Cluster");
        assertThat(rs.get(1).get("uid").asText()).isEqualTo("k8s://prod/namespaces/kube-system/configmap/aws-auth");
        assertThat(rs.get(1).get("type").asText()).isEqualTo("Kubernetes configmap");
        assertThat(rs.get(1).at("/data/namespace").asText()).isEqualTo("kube-system");
        ObjectNode local = OcsfMapper.map(finding("alice", ROWS), RULE, new ExportContext("local", null, null, null),
                NOW);
        assertThat(local.at("/resources/0/uid").asText()).isEqualTo("local");
    }

    @Test
    void metadataNamesTheProductAndTheSchemaVersion() {
        JsonNode m = map(finding("alice", ROWS)).get("metadata");
        assertThat(m.at("/product/name").asText()).isEqualTo("eks-lookout");
        assertThat(m.at("/product/vendor_name").asText()).isEqualTo("eks-lookout");
        assertThat(m.at("/product/version").asText()).isEqualTo("0.1.0");
        assertThat(m.get("version").asText()).isEqualTo("1.1.0");
    }

    @Test
    void timeIsNowInMilliseconds() {
        assertThat(map(finding("alice", ROWS)).get("time").asLong()).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void cloudHasProviderRegionAndAccountWhenKnown() {
        JsonNode c = map(finding("alice", ROWS)).get("cloud");
        assertThat(c.get("provider").asText()).isEqualTo("AWS");
        assertThat(c.get("region").asText()).isEqualTo("eu-west-1");
        assertThat(c.at("/account/uid").asText()).isEqualTo("111122223333");
        JsonNode local = OcsfMapper.map(finding("alice", ROWS), RULE, new ExportContext("local", null, null, null),
                NOW).get("cloud");
        assertThat(local.has("region")).isFalse();
        assertThat(local.has("account")).isFalse();
    }

    @Test
    void unmappedCarriesTheRowsAndCountIsTheMatchCount() {
        ObjectNode o = map(finding("alice", ROWS));
        assertThat(o.get("count").asLong()).isEqualTo(2);
        assertThat(o.at("/unmapped/rows")).hasSize(2);
        assertThat(o.at("/unmapped/rows/0/objectRef.name").asText()).isEqualTo("aws-auth");
        assertThat(o.at("/unmapped/groupKey").asText()).isEqualTo("alice");
    }
}
