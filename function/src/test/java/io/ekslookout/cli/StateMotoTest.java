package io.ekslookout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ekslookout.aws.AwsClients;
import io.ekslookout.aws.DynamoStateStore;
import io.ekslookout.aws.SignedJsonCall;
import io.ekslookout.state.StateEntry;
import io.ekslookout.state.StateStore;
import io.ekslookout.testing.MotoCredentials;
import io.ekslookout.testing.MotoServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code scan --state-table} against moto's DynamoDB, with SNS: a repeat sends nothing; racing claims, one wins. */
@ExtendWith({MotoServer.class, MotoCredentials.class})
class StateMotoTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    MotoServer.Instance moto;
    AwsClients clients;
    Path samples = Path.of(System.getProperty("repo.root"), "samples");

    @BeforeEach
    void setUp(MotoServer.Instance moto) {
        this.moto = moto;
        moto.reset();
        clients = moto.clients();
    }

    String createTable(String name) {
        String body = "{\"TableName\":\"" + name + "\",\"BillingMode\":\"PAY_PER_REQUEST\","
                + "\"AttributeDefinitions\":[{\"AttributeName\":\"fingerprint\",\"AttributeType\":\"S\"}],"
                + "\"KeySchema\":[{\"AttributeName\":\"fingerprint\",\"KeyType\":\"HASH\"}]}";
        SignedJsonCall.Response r = new SignedJsonCall(clients, "dynamodb")
                .target10("DynamoDB_20120810.CreateTable", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return name;
    }

    JsonNode items(String table) throws Exception {
        SignedJsonCall.Response r = new SignedJsonCall(clients, "dynamodb").target10("DynamoDB_20120810.Scan",
                ("{\"TableName\":\"" + table + "\"}").getBytes(StandardCharsets.UTF_8));
        return JSON.readTree(r.body()).path("Items");
    }

    @Test
    void theSameWindowTwiceSendsNothingTheSecondTime() throws Exception {
        String table = createTable("eks-lookout-state");
        String topic = clients.sns().createTopic(b -> b.name("alerts")).topicArn();
        String[] args = {"scan", "--logs", samples.toString(), "--region", "us-east-1", "--endpoint-url",
                moto.endpoint.toString(), "--publish", topic, "--digest-threshold", "100", "--format", "json",
                "--state-table", table};
        ScanStateTest.Run first = ScanStateTest.scan(args);
        assertThat(first.code()).as(first.err()).isEqualTo(1);
        int findings = (int) first.out().lines().filter(l -> !l.isBlank()).count();
        assertThat(findings).isPositive();
        assertThat(moto.sentNotifications(topic)).hasSize(findings);
        JsonNode items = items(table);
        assertThat(items).hasSize(findings);
        for (JsonNode item : items) {
            assertThat(item.path("count").path("N").asText()).isEqualTo("1");
            assertThat(item.has("lastNotified")).isTrue();
            long expires = item.path("expiresAt").path("N").asLong();
            assertThat(expires).isGreaterThanOrEqualTo(Instant.now().plus(Duration.ofDays(7)).getEpochSecond() - 60);
        }

        ScanStateTest.Run second = ScanStateTest.scan(args);
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.out()).isEmpty();
        assertThat(second.err()).contains("0 new or due, " + findings + " repeat(s) not shown")
                .contains("published 0 message(s)");
        assertThat(moto.sentNotifications(topic)).hasSize(findings); // nothing new went out
    }

    @Test
    void ofEightClaimsForOneFingerprintOnlyTheFirstWins() throws Exception {
        String table = createTable("race");
        DynamoStateStore store = DynamoStateStore.of(clients, table);
        Instant exp = T0.plus(Duration.ofDays(7));
        StateEntry e = store.observe("fp1", "rule-a", T0, T0, exp);
        assertThat(e.count()).isEqualTo(1);
        assertThat(e.firstSeen()).isEqualTo(T0);
        // the same window again (a retried tick) is not counted again
        assertThat(store.observe("fp1", "rule-a", T0, T0.plusSeconds(5), exp).count()).isEqualTo(1);
        assertThat(store.observe("fp1", "rule-a", T0.plusSeconds(300), T0.plusSeconds(300), exp).count())
                .isEqualTo(2);

        Instant cutoff = T0.minus(Duration.ofHours(24));
        // Eight claims one after another (a retried tick, overlapping runs): the condition lets exactly the first
        // win. They are not sent at once: moto's in-memory DynamoDB does not make a conditional update atomic
        // under concurrent requests (real DynamoDB does), so a parallel race here would test moto, not the claim;
        // the file store's own race is AlertStateTest's.
        int won = 0;
        for (int i = 0; i < 8; i++) {
            won += store.claim("fp1", T0.plusMillis(i), cutoff).won() ? 1 : 0;
        }
        assertThat(won).isEqualTo(1);

        // a release undoes only its own claim; then the next claim wins again
        store.observe("fp2", "rule-b", T0, T0, exp);
        StateStore.Claim c = store.claim("fp2", T0, cutoff);
        assertThat(c.won()).isTrue();
        store.release("fp2", T0.plusSeconds(1), null); // not this run's claim: no effect
        assertThat(store.claim("fp2", T0.plusSeconds(2), cutoff).won()).isFalse();
        store.release("fp2", T0, c.previous());
        assertThat(store.claim("fp2", T0.plusSeconds(3), cutoff).won()).isTrue();
    }

    @Test
    void aMissingTableIsExit2NamingIt() {
        ScanStateTest.Run r = ScanStateTest.scan("scan", "--logs", samples.toString(), "--region", "us-east-1",
                "--endpoint-url", moto.endpoint.toString(), "--state-table", "nope");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("DynamoDB UpdateItem on table nope").contains("ResourceNotFound")
                .doesNotContain("at io.");
    }
}
