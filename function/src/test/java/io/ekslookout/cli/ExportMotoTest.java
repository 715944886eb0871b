package io.ekslookout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ekslookout.aws.AwsClients;
import io.ekslookout.aws.SignedJsonCall;
import io.ekslookout.testing.CliRun;
import io.ekslookout.testing.MotoCredentials;
import io.ekslookout.testing.MotoServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code scan --security-hub --event-bus} against moto: the findings are read back from Security Hub
 * ({@code GetFindings}) and from an SQS queue that an EventBridge rule on the bus targets.
 */
@ExtendWith({MotoServer.class, MotoCredentials.class})
class ExportMotoTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCOUNT = "123456789012"; // moto's
    MotoServer.Instance moto;
    AwsClients clients;
    Path samples = Path.of(System.getProperty("repo.root"), "samples");

    @BeforeEach
    void setUp(MotoServer.Instance moto) {
        this.moto = moto;
        moto.reset();
        clients = moto.clients();
    }

    static CliRun scan(String... args) {
        return CliRun.of(args);
    }

    List<JsonNode> jsonLines(String out) throws IOException {
        List<JsonNode> l = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                l.add(JSON.readTree(line));
            }
        }
        return l;
    }

    JsonNode securityHubFindings() throws IOException {
        SignedJsonCall.Response r = new SignedJsonCall(clients, "securityhub")
                .post("/findings", "{\"MaxResults\":100}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).get("Findings");
    }

    @Test
    void findingsGoIntoSecurityHubAndARepeatUpdatesInsteadOfDuplicating() throws IOException {
        CliRun r = scan("scan", "--logs", samples.toString(), "--region", "us-east-1", "--endpoint-url",
                moto.endpoint.toString(), "--security-hub", "--format", "json");
        List<JsonNode> printed = jsonLines(r.out());
        assertThat(printed).isNotEmpty();
        assertThat(r.err()).contains("imported " + printed.size() + " finding(s) into Security Hub (arn:aws:securityhub:"
                + "us-east-1:" + ACCOUNT + ":product/" + ACCOUNT + "/default)");
        assertThat(r.err()).doesNotContain("error:");
        assertThat(r.code()).isEqualTo(1); // findings, nothing failed

        JsonNode stored = securityHubFindings();
        assertThat(stored).hasSize(printed.size());
        Set<String> rules = new HashSet<>();
        for (JsonNode f : stored) {
            assertThat(f.get("SchemaVersion").asText()).isEqualTo("2018-10-08");
            assertThat(f.get("AwsAccountId").asText()).isEqualTo(ACCOUNT);
            assertThat(f.at("/Resources/0/Id").asText()).isEqualTo("arn:aws:eks:us-east-1:" + ACCOUNT + ":cluster/local");
            rules.add(f.get("GeneratorId").asText());
        }
        printed.forEach(p -> assertThat(rules).contains(p.get("ruleId").asText()));

        CliRun again = scan("scan", "--logs", samples.toString(), "--region", "us-east-1", "--endpoint-url",
                moto.endpoint.toString(), "--security-hub", "--format", "json");
        assertThat(again.err()).contains("imported " + printed.size() + " finding(s)");
        assertThat(securityHubFindings()).as("same Ids: updated, not added").hasSize(printed.size());
    }

    @Test
    void findingsGoToTheEventBusAndARuleDeliversThemToAQueue() throws IOException {
        SignedJsonCall events = new SignedJsonCall(clients, "events");
        assertThat(events.target("AWSEvents.CreateEventBus", "{\"Name\":\"sec\"}".getBytes()).status()).isEqualTo(200);
        SqsClient sqs = SqsClient.builder().region(software.amazon.awssdk.regions.Region.US_EAST_1)
                .endpointOverride(moto.endpoint).credentialsProvider(clients.credentialsProvider())
                .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create()).build();
        String url = sqs.createQueue(b -> b.queueName("findings")).queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        assertThat(events.target("AWSEvents.PutRule", ("{\"Name\":\"to-queue\",\"EventBusName\":\"sec\","
                + "\"EventPattern\":\"{\\\"source\\\":[\\\"eks-lookout\\\"],\\\"detail-type\\\":[\\\"EKS Lookout Finding\\\"]}\"}")
                .getBytes()).status()).isEqualTo(200);
        assertThat(events.target("AWSEvents.PutTargets", ("{\"Rule\":\"to-queue\",\"EventBusName\":\"sec\","
                + "\"Targets\":[{\"Id\":\"q\",\"Arn\":\"" + arn + "\"}]}").getBytes()).status()).isEqualTo(200);

        CliRun r = scan("scan", "--logs", samples.toString(), "--region", "us-east-1", "--endpoint-url",
                moto.endpoint.toString(), "--event-bus", "sec", "--format", "json");
        List<JsonNode> printed = jsonLines(r.out());
        assertThat(r.err()).contains("sent " + printed.size() + " event(s) to EventBridge bus sec")
                .doesNotContain("error:");

        List<JsonNode> delivered = new ArrayList<>();
        for (int i = 0; i < 10 && delivered.size() < printed.size(); i++) {
            for (Message m : sqs.receiveMessage(b -> b.queueUrl(url).maxNumberOfMessages(10)).messages()) {
                delivered.add(JSON.readTree(m.body()));
                sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(m.receiptHandle()));
            }
        }
        assertThat(delivered).hasSize(printed.size());
        Set<String> fingerprints = new HashSet<>();
        for (JsonNode e : delivered) {
            assertThat(e.get("source").asText()).isEqualTo("eks-lookout");
            assertThat(e.get("detail-type").asText()).isEqualTo("EKS Lookout Finding");
            JsonNode d = e.get("detail");
            assertThat(d.get("cluster").asText()).isEqualTo("local");
            assertThat(d.get("account").asText()).isEqualTo(ACCOUNT);
            assertThat(d.get("region").asText()).isEqualTo("us-east-1");
            fingerprints.add(d.get("fingerprint").asText());
            for (String k : FindingPrinter.JSON_KEYS) {
                assertThat(d.has(k)).as(k).isTrue();
            }
        }
        assertThat(fingerprints).hasSize(printed.size());
    }

    @Test
    void aMissingBusIsOneErrorPerFindingAndExit2() throws IOException {
        CliRun r = scan("scan", "--logs", samples.toString(), "--region", "us-east-1", "--endpoint-url",
                moto.endpoint.toString(), "--event-bus", "no-such-bus", "--format", "json");
        List<JsonNode> printed = jsonLines(r.out());
        assertThat(r.code()).isEqualTo(2);
        long errors = r.err().lines().filter(l -> l.startsWith("error: EventBridge: finding ")).count();
        assertThat(errors).isEqualTo(printed.size());
    }

    @Test
    void ocsfLinesCarryTheAccountAndRegionOfACloudContext() throws IOException {
        CliRun r = scan("scan", "--logs", samples.toString(), "--region", "us-east-1", "--endpoint-url",
                moto.endpoint.toString(), "--format", "ocsf");
        List<JsonNode> lines = jsonLines(r.out());
        assertThat(lines).isNotEmpty().allSatisfy(o -> {
            assertThat(o.get("class_uid").asInt()).isEqualTo(2004);
            assertThat(o.at("/cloud/account/uid").asText()).isEqualTo(ACCOUNT);
            assertThat(o.at("/cloud/region").asText()).isEqualTo("us-east-1");
        });
        assertThat(r.err()).contains("rules run");
    }
}
