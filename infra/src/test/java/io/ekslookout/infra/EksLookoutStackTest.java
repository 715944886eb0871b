package io.ekslookout.infra;

import static io.ekslookout.infra.Fixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.PolicyValidationPluginReport;
import software.amazon.awscdk.PolicyViolation;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;

/** The synthesized template of the default deployment (-c clusterName=prod -c alertEmails=sec@example.com). */
@SuppressWarnings("unchecked")
class EksLookoutStackTest {
    static Fixture f;

    @BeforeAll
    static void synth() {
        f = Fixture.synth(Fixture.context());
    }

    /** CloudFormation for "arn:${Partition}:<service>:${Region}:${AccountId}:<rest>". */
    static String arn(String service, String rest) {
        return """
                {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":%s:", {"Ref": "AWS::Region"}, ":",
                  {"Ref": "AWS::AccountId"}, "%s"]]}""".formatted(service, rest);
    }

    static JsonNode policyOfRole(Fixture fx, String roleId) {
        for (JsonNode p : fx.resources("AWS::IAM::Policy")) {
            if (p.at("/Properties/Roles/0/Ref").asText().equals(roleId)) {
                return p.at("/Properties/PolicyDocument/Statement");
            }
        }
        throw new AssertionError("no policy attached to " + roleId);
    }

    @Test
    void functionRoleHasExactlyTheStatementsTheDetectorNeeds() {
        String role = f.template.getResourceId("AWS::IAM::Role",
                Map.of("Properties", Map.of("AssumeRolePolicyDocument", Map.of("Statement", List.of(
                        Map.of("Action", "sts:AssumeRole", "Effect", "Allow",
                                "Principal", Map.of("Service", "lambda.amazonaws.com")))))));
        String topic = f.id("AWS::SNS::Topic");
        String key = f.id("AWS::KMS::Key");
        String logs = f.id("AWS::Logs::LogGroup");
        String dlq = f.id("AWS::SQS::Queue");
        String table = f.id("AWS::DynamoDB::Table");
        JsonNode expected = json("""
                [
                 {"Sid": "QueryClusterLogs", "Effect": "Allow", "Action": ["logs:DescribeLogStreams", "logs:StartQuery"],
                  "Resource": [%s, %s]},
                 {"Sid": "ReadOwnQueries", "Effect": "Allow", "Action": ["logs:GetQueryResults", "logs:StopQuery"],
                  "Resource": "*"},
                 {"Sid": "PublishAlerts", "Effect": "Allow", "Action": "sns:Publish", "Resource": {"Ref": "%s"}},
                 {"Sid": "EncryptAlerts", "Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                  "Resource": {"Fn::GetAtt": ["%s", "Arn"]}},
                 {"Sid": "KeepAlertState", "Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:UpdateItem"],
                  "Resource": {"Fn::GetAtt": ["%s", "Arn"]}},
                 {"Sid": "WriteOwnLogs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                  "Resource": {"Fn::GetAtt": ["%s", "Arn"]}},
                 {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": {"Fn::GetAtt": ["%s", "Arn"]}}
                ]""".formatted(arn("logs", ":log-group:/aws/eks/prod/cluster"),
                arn("logs", ":log-group:/aws/eks/prod/cluster:*"), topic, key, table, logs, dlq));
        assertThat(policyOfRole(f, role)).isEqualTo(expected);
        // No managed policies: nothing beyond the statements above.
        assertThat(f.template.findResources("AWS::IAM::Role").get(role)).doesNotContainKey("ManagedPolicyArns");
        assertThat(f.resources("AWS::IAM::Role")).hasSize(1);
        assertThat(f.resources("AWS::IAM::Policy")).hasSize(1);
    }

    @Test
    void functionIsJava21Arm64WithSnapStartConcurrencyOneAndJsonLogs() {
        JsonNode fn = f.resource("AWS::Lambda::Function").get("Properties");
        assertThat(fn.get("Runtime").asText()).isEqualTo("java21");
        assertThat(fn.get("Architectures")).isEqualTo(json("[\"arm64\"]"));
        assertThat(fn.get("Handler").asText()).isEqualTo("io.ekslookout.lambda.Handler::handleRequest");
        assertThat(fn.get("SnapStart")).isEqualTo(json("{\"ApplyOn\": \"PublishedVersions\"}"));
        assertThat(fn.get("ReservedConcurrentExecutions").asInt()).isEqualTo(1);
        assertThat(fn.get("MemorySize").asInt()).isEqualTo(1024);
        assertThat(fn.get("Timeout").asInt()).isEqualTo(240); // 80% of the 5-minute period
        assertThat(fn.at("/LoggingConfig/LogFormat").asText()).isEqualTo("JSON");
        assertThat(fn.at("/LoggingConfig/LogGroup/Ref").asText()).isEqualTo(f.id("AWS::Logs::LogGroup"));
        assertThat(fn.at("/DeadLetterConfig/TargetArn/Fn::GetAtt/0").asText()).isEqualTo(f.id("AWS::SQS::Queue"));
        assertThat(fn.get("Tags")).contains(json("{\"Key\": \"eks-lookout:cluster\", \"Value\": \"prod\"}"));
        JsonNode logs = f.resource("AWS::Logs::LogGroup").get("Properties");
        assertThat(logs.get("RetentionInDays").asInt()).isEqualTo(90);
    }

    @Test
    void environmentIsExactlyTheHandlersVariables() {
        JsonNode env = f.resource("AWS::Lambda::Function").at("/Properties/Environment/Variables");
        assertThat(env).isEqualTo(json("""
                {"CLUSTER_NAME": "prod", "TOPIC_ARN": {"Ref": "%s"}, "RULES_DIR": "/var/task/rules",
                 "PERIOD": "PT5M", "SETTLE_DELAY": "PT2M", "LOOKBACK": "PT15M", "SCAN_MODE": "ingestion",
                 "SCAN_DELAY": "PT10M", "MIN_SEVERITY": "low",
                 "MAX_CONCURRENT_QUERIES": "10", "DIGEST_THRESHOLD": "10", "STATE_TABLE": {"Ref": "%s"}}"""
                .formatted(f.id("AWS::SNS::Topic"), f.id("AWS::DynamoDB::Table"))));
    }

    @Test
    void aliasPointsAtThePublishedVersionWithAsyncRetries() {
        String fn = f.id("AWS::Lambda::Function");
        String version = f.id("AWS::Lambda::Version");
        assertThat(f.resource("AWS::Lambda::Version").at("/Properties/FunctionName/Ref").asText()).isEqualTo(fn);
        JsonNode alias = f.resource("AWS::Lambda::Alias").get("Properties");
        assertThat(alias.get("Name").asText()).isEqualTo("live");
        assertThat(alias.get("FunctionVersion")).isEqualTo(json("{\"Fn::GetAtt\": [\"" + version + "\", \"Version\"]}"));
        JsonNode invoke = f.resource("AWS::Lambda::EventInvokeConfig").get("Properties");
        assertThat(invoke.get("MaximumRetryAttempts").asInt()).isEqualTo(2);
        assertThat(invoke.get("MaximumEventAgeInSeconds").asInt()).isEqualTo(3600);
        assertThat(invoke.toString()).contains(f.id("AWS::Lambda::Alias"));
    }

    @Test
    void scheduleInvokesTheAliasEveryPeriodWithRetriesAndDeadLetterQueue() {
        String alias = f.id("AWS::Lambda::Alias");
        String dlq = f.id("AWS::SQS::Queue");
        JsonNode rule = f.resource("AWS::Events::Rule").get("Properties");
        assertThat(rule.get("ScheduleExpression").asText()).isEqualTo("rate(5 minutes)");
        assertThat(rule.get("State").asText()).isEqualTo("ENABLED");
        assertThat(rule.get("Targets")).isEqualTo(json("""
                [{"Arn": {"Ref": "%s"}, "Id": "Target0",
                  "DeadLetterConfig": {"Arn": {"Fn::GetAtt": ["%s", "Arn"]}},
                  "RetryPolicy": {"MaximumEventAgeInSeconds": 3600, "MaximumRetryAttempts": 4}}]"""
                .formatted(alias, dlq)));
        JsonNode permission = f.resource("AWS::Lambda::Permission").get("Properties");
        assertThat(permission.get("Principal").asText()).isEqualTo("events.amazonaws.com");
        assertThat(permission.get("FunctionName")).isEqualTo(json("{\"Ref\": \"" + alias + "\"}"));
    }

    @Test
    void topicIsKmsEncryptedWithRotationAndRejectsPlainHttp() {
        String key = f.id("AWS::KMS::Key");
        JsonNode topic = f.resource("AWS::SNS::Topic").get("Properties");
        assertThat(topic.get("KmsMasterKeyId")).isEqualTo(json("{\"Fn::GetAtt\": [\"" + key + "\", \"Arn\"]}"));
        assertThat(f.resource("AWS::KMS::Key").at("/Properties/EnableKeyRotation").asBoolean()).isTrue();
        JsonNode policy = f.resource("AWS::SNS::TopicPolicy").at("/Properties/PolicyDocument/Statement/0");
        assertThat(policy.get("Effect").asText()).isEqualTo("Deny");
        assertThat(policy.get("Condition")).isEqualTo(json("{\"Bool\": {\"aws:SecureTransport\": \"false\"}}"));
        // The alarms (exactly these five) may publish; the topic policy replaces SNS's default one.
        JsonNode allow = f.resource("AWS::SNS::TopicPolicy").at("/Properties/PolicyDocument/Statement/1");
        assertThat(allow.get("Principal")).isEqualTo(json("{\"Service\": \"cloudwatch.amazonaws.com\"}"));
        assertThat(allow.get("Action").asText()).isEqualTo("sns:Publish");
        List<String> alarmArns = new ArrayList<>();
        allow.at("/Condition/ArnEquals/aws:SourceArn").forEach(a -> alarmArns.add(a.at("/Fn::GetAtt/0").asText()));
        assertThat(alarmArns).containsExactlyInAnyOrderElementsOf(f.template.findResources("AWS::CloudWatch::Alarm").keySet());
        // CloudWatch alarms must be able to publish to the encrypted topic.
        assertThat(f.resource("AWS::KMS::Key").at("/Properties/KeyPolicy/Statement").toString())
                .contains("cloudwatch.amazonaws.com");
    }

    @Test
    void deadLetterQueueIsEncryptedAndRejectsPlainHttp() {
        JsonNode q = f.resource("AWS::SQS::Queue").get("Properties");
        assertThat(q.get("SqsManagedSseEnabled").asBoolean()).isTrue();
        JsonNode deny = f.resource("AWS::SQS::QueuePolicy").at("/Properties/PolicyDocument/Statement/0");
        assertThat(deny.get("Effect").asText()).isEqualTo("Deny");
        assertThat(deny.get("Condition")).isEqualTo(json("{\"Bool\": {\"aws:SecureTransport\": \"false\"}}"));
    }

    @Test
    void oneEmailSubscriptionAndNoSlackByDefault() {
        List<JsonNode> subs = f.resources("AWS::SNS::Subscription");
        assertThat(subs).hasSize(1);
        assertThat(subs.get(0).at("/Properties/Protocol").asText()).isEqualTo("email");
        assertThat(subs.get(0).at("/Properties/Endpoint").asText()).isEqualTo("sec@example.com");
        f.template.resourceCountIs("AWS::Chatbot::SlackChannelConfiguration", 0);
        f.template.resourceCountIs("Custom::AWS", 0);
    }

    @Test
    void alarmsWatchErrorsThrottlesSilenceDeadLettersAndRuleErrorsAndGoToTheTopic() {
        String topic = f.id("AWS::SNS::Topic");
        List<String> watched = new ArrayList<>();
        for (JsonNode a : f.resources("AWS::CloudWatch::Alarm")) {
            JsonNode p = a.get("Properties");
            assertThat(p.get("AlarmActions")).isEqualTo(json("[{\"Ref\": \"" + topic + "\"}]"));
            watched.add(p.get("Namespace").asText() + "/" + p.get("MetricName").asText());
        }
        assertThat(watched).containsExactlyInAnyOrder("AWS/Lambda/Errors", "AWS/Lambda/Throttles",
                "AWS/Lambda/Invocations", "AWS/SQS/ApproximateNumberOfMessagesVisible", "EksLookout/RuleErrors");
        f.template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "Namespace", "EksLookout", "MetricName", "RuleErrors", "Statistic", "Sum", "Threshold", 1,
                "ComparisonOperator", "GreaterThanOrEqualToThreshold", "TreatMissingData", "notBreaching",
                "Dimensions", List.of(Map.of("Name", "Cluster", "Value", "prod"))));
        // Silence is an alarm: no invocations in 3 periods, missing data counts.
        f.template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "Invocations", "ComparisonOperator", "LessThanThreshold", "Threshold", 1,
                "Period", 900, "TreatMissingData", "breaching"));
        f.template.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "ApproximateNumberOfMessagesVisible", "Statistic", "Maximum",
                "ComparisonOperator", "GreaterThanOrEqualToThreshold", "Threshold", 1,
                "Dimensions", List.of(Map.of("Name", "QueueName",
                        "Value", Map.of("Fn::GetAtt", List.of(f.id("AWS::SQS::Queue"), "QueueName"))))));
    }

    @Test
    void assetHoldsTheJarAndTheValidatedRules() throws Exception {
        String key = f.resource("AWS::Lambda::Function").at("/Properties/Code/S3Key").asText();
        assertThat(key).endsWith(".zip");
        java.nio.file.Path dir = java.nio.file.Path.of(f.app.getOutdir())
                .resolve("asset." + key.substring(0, key.length() - ".zip".length()));
        assertThat(dir.resolve("lib/eks-lookout.jar")).hasSameBinaryContentAs(f.base.resolve("function/target/eks-lookout.jar"));
        assertThat(dir.resolve("rules/aws-auth-mutation.yaml")).hasContent(Fixture.VALID_RULE.stripTrailing());
    }

    @Test
    void cdkNagAwsSolutionsFindsNothingUnacknowledged() {
        PolicyValidationPluginReport report = new AwsSolutionsChecks(f.app).validateScope(f.stack);
        assertThat(describe(report.getViolations())).isEmpty();
        assertThat(report.getSuccess()).isTrue();
    }

    @Test
    void theAcknowledgedFindingsAreFewEachWithAReasonAndRecordedInTheTemplate() {
        Map<String, String> acknowledged = new java.util.TreeMap<>();
        for (Map<String, Object> r : f.template.toJSON().entrySet().stream()
                .filter(e -> e.getKey().equals("Resources")).map(e -> (Map<String, Map<String, Object>>) e.getValue())
                .findFirst().orElseThrow().values()) {
            JsonNode nag = Fixture.JSON.valueToTree(r).at("/Metadata/cdk_nag/rules_to_suppress");
            nag.forEach(a -> acknowledged.put(a.get("id").asText(), a.get("reason").asText()));
        }
        assertThat(acknowledged.keySet()).containsExactly(
                "AwsSolutions-DDB3",
                "AwsSolutions-IAM5[Resource::*]",
                "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:"
                        + "/aws/eks/prod/cluster:*]",
                "AwsSolutions-L1",
                "AwsSolutions-SQS3");
        assertThat(acknowledged.values()).allMatch(reason -> reason.length() > 60);
    }

    @Test
    void cdkNagStillCatchesAnUnacknowledgedFinding() {
        Fixture fx = Fixture.synth(Fixture.context("clusterName", "nag-check"));
        // A queue without TLS enforcement, DLQ or acknowledgement: AwsSolutions must report it.
        Queue.Builder.create(fx.stack, "Careless").encryption(QueueEncryption.UNENCRYPTED).build();
        PolicyValidationPluginReport report = new AwsSolutionsChecks(fx.app).validateScope(fx.stack);
        assertThat(report.getSuccess()).isFalse();
        // Exactly the careless queue's findings: the detector's own resources stay clean.
        assertThat(report.getViolations()).extracting(PolicyViolation::getRuleName)
                .containsExactlyInAnyOrder("AwsSolutions-SQS2", "AwsSolutions-SQS3", "AwsSolutions-SQS4");
    }

    static List<String> describe(List<PolicyViolation> violations) {
        return violations.stream().map(v -> v.getRuleName() + " " + v.getDescription() + " at "
                + v.getViolatingResources().stream().map(r -> r.getResourceLogicalId() + r.getLocations()).toList()).toList();
    }
}
