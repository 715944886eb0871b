package io.ekslookout.lambda;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTest {
    static final String TOPIC = "arn:aws:sns:eu-west-1:111122223333:eks-lookout";

    @Test
    void defaults() {
        Config c = Config.fromEnv(Map.of("CLUSTER_NAME", "prod", "TOPIC_ARN", TOPIC, "AWS_REGION", "eu-west-1"));
        assertThat(c.target().logGroup()).isEqualTo("/aws/eks/prod/cluster");
        assertThat(c.target().cluster()).isEqualTo("prod");
        assertThat(c.period()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.settleDelay()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.lookback()).isEqualTo(Duration.ofMinutes(15));
        assertThat(c.minSeverity()).isEqualTo("low");
        assertThat(c.maxConcurrentQueries()).isEqualTo(10);
        assertThat(c.digestThreshold()).isEqualTo(10);
        assertThat(c.rulesDir()).isNull();
        assertThat(c.redactBodies()).isTrue();
        assertThat(c.region()).isEqualTo("eu-west-1");
        assertThat(c.scanMode()).isEqualTo(io.ekslookout.schedule.ScanMode.INGESTION);
        assertThat(c.scanDelay()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void scanModeAndDelayFromTheEnvironmentAndTheirProblemsNamed() {
        Config c = Config.fromEnv(Map.of("CLUSTER_NAME", "prod", "TOPIC_ARN", TOPIC, "SCAN_MODE", "event-time",
                "SCAN_DELAY", "20m"));
        assertThat(c.scanMode()).isEqualTo(io.ekslookout.schedule.ScanMode.EVENT_TIME);
        assertThat(c.scanDelay()).isEqualTo(Duration.ofMinutes(20));
        assertThatThrownBy(() -> Config.fromEnv(Map.of("CLUSTER_NAME", "prod", "TOPIC_ARN", TOPIC, "SCAN_MODE",
                "eventtime", "SCAN_DELAY", "10s")))
                .hasMessageContaining("SCAN_MODE: expected ingestion")
                .hasMessageContaining("got 'eventtime'")
                .hasMessageContaining("SCAN_DELAY: expected a duration from 1m to 1d");
    }

    @Test
    void thePlannerIsOnUnlessPlanIsFalse() {
        assertThat(Config.fromEnv(Map.of("CLUSTER_NAME", "prod", "TOPIC_ARN", TOPIC)).plan()).isTrue();
        assertThat(Config.fromEnv(Map.of("CLUSTER_NAME", "prod", "TOPIC_ARN", TOPIC, "PLAN", "false")).plan())
                .isFalse();
        assertThatThrownBy(() -> Config.fromEnv(Map.of("CLUSTER_NAME", "prod", "TOPIC_ARN", TOPIC, "PLAN", "no")))
                .hasMessageContaining("PLAN: 'no' must be true or false");
    }

    @Test
    void aLogGroupNameGivesTheClusterWhenItIsAnEksGroup() {
        Config c = Config.fromEnv(Map.of("LOG_GROUP_NAME", "/aws/eks/stage/cluster", "TOPIC_ARN", TOPIC,
                "RULES_DIR", "/var/task/rules", "MIN_SEVERITY", "HIGH", "PERIOD", "PT10M"));
        assertThat(c.target().cluster()).isEqualTo("stage");
        assertThat(c.rulesDir()).isEqualTo("/var/task/rules");
        assertThat(c.minSeverity()).isEqualTo("high");
        assertThat(c.period()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void everyProblemIsReportedAtOnceNamingItsVariable() {
        assertThatThrownBy(() -> Config.fromEnv(Map.of("TOPIC_ARN", "my-topic", "PERIOD", "often",
                "LOOKBACK", "PT15M", "MIN_SEVERITY", "urgent", "MAX_CONCURRENT_QUERIES", "lots",
                "DIGEST_THRESHOLD", "0")))
                .isInstanceOf(Config.ConfigException.class)
                .hasMessageStartingWith("eks-lookout configuration is invalid (environment variables):")
                .hasMessageContaining("CLUSTERS, CLUSTER_NAME or LOG_GROUP_NAME: one is required")
                .hasMessageContaining("TOPIC_ARN: 'my-topic' is not an SNS topic ARN")
                .hasMessageContaining("PERIOD: expected a duration such as 5m or PT5M (ISO-8601), got 'often'")
                .hasMessageContaining("MIN_SEVERITY: expected one of info, low, medium, high, critical, got 'urgent'")
                .hasMessageContaining("MAX_CONCURRENT_QUERIES: expected a whole number from 1 to 100")
                .hasMessageContaining("DIGEST_THRESHOLD: expected a whole number from 1 to 1000")
                .hasMessageEndingWith("got '0'");
    }

    @Test
    void periodMustDivideADay() {
        assertThatThrownBy(() -> Config.fromEnv(Map.of("CLUSTER_NAME", "prod", "TOPIC_ARN", TOPIC, "PERIOD", "PT7M")))
                .hasMessageContaining("PERIOD: expected whole minutes that divide a day evenly")
                .hasMessageEndingWith("got 'PT7M'");
    }

    @Test
    void durationsMayBeWrittenShortAsInTheCdkContext() {
        Config c = Config.fromEnv(Map.of("CLUSTER_NAME", "prod", "TOPIC_ARN", TOPIC, "PERIOD", "10m",
                "SETTLE_DELAY", "90s", "LOOKBACK", "1h", "AUDIT_SILENCE", "2 hours"));
        assertThat(c.period()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.settleDelay()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.lookback()).isEqualTo(Duration.ofHours(1));
        assertThat(c.auditSilence()).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void aFifoTopicIsRefusedSayingWhy() {
        assertThatThrownBy(() -> Config.fromEnv(Map.of("CLUSTER_NAME", "prod",
                "TOPIC_ARN", "arn:aws:sns:eu-west-1:111122223333:eks-lookout.fifo")))
                .hasMessageContaining("TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:eks-lookout.fifo' is a FIFO"
                        + " topic: SNS FIFO topics deliver only to SQS queues, not to email, HTTPS or AWS Chatbot");
    }

    @Test
    void securityHubAndEventBusAreOffByDefaultAndCheckedWhenGiven() {
        Config off = Config.fromEnv(Map.of("CLUSTER_NAME", "prod", "TOPIC_ARN", TOPIC));
        org.assertj.core.api.Assertions.assertThat(off.securityHub()).isFalse();
        org.assertj.core.api.Assertions.assertThat(off.eventBus()).isNull();
        Config on = Config.fromEnv(Map.of("CLUSTER_NAME", "prod", "TOPIC_ARN", TOPIC, "SECURITY_HUB", "TRUE",
                "EVENT_BUS", "arn:aws:events:eu-west-1:111122223333:event-bus/security"));
        org.assertj.core.api.Assertions.assertThat(on.securityHub()).isTrue();
        org.assertj.core.api.Assertions.assertThat(on.eventBus())
                .isEqualTo("arn:aws:events:eu-west-1:111122223333:event-bus/security");
        assertThatThrownBy(() -> Config.fromEnv(Map.of("CLUSTER_NAME", "prod", "TOPIC_ARN", TOPIC,
                "SECURITY_HUB", "yes", "EVENT_BUS", "my bus!")))
                .hasMessageContaining("SECURITY_HUB: 'yes' must be true or false")
                .hasMessageContaining("EVENT_BUS: 'my bus!' is not an EventBridge bus name");
    }

    @Test
    void clustersAreOneRunOverEachNamedClusterOrLinkedAccountsLogGroup() {
        Config c = Config.fromEnv(Map.of("CLUSTERS", "prod, staging,arn:aws:logs:eu-west-1:444455556666:log-group:"
                + "/aws/eks/pay/cluster", "TOPIC_ARN", TOPIC));
        assertThat(c.targets()).extracting(io.ekslookout.aws.LogTarget::cluster).containsExactly("prod", "staging",
                "pay");
        assertThat(c.targets()).extracting(io.ekslookout.aws.LogTarget::identifier).containsExactly(
                "/aws/eks/prod/cluster", "/aws/eks/staging/cluster",
                "arn:aws:logs:eu-west-1:444455556666:log-group:/aws/eks/pay/cluster");
        assertThat(c.targets().get(2).account()).isEqualTo("444455556666");
        assertThat(c.label()).isEqualTo("prod-and-2-more");
        assertThat(Config.fromEnv(Map.of("CLUSTER_NAME", "prod", "TOPIC_ARN", TOPIC)).label()).isEqualTo("prod");
        // every problem at once, each entry named
        assertThatThrownBy(() -> Config.fromEnv(Map.of("CLUSTERS", "prod,bad/one,prod", "TOPIC_ARN", TOPIC,
                "PERIOD", "7m")))
                .hasMessageContaining("\n  - CLUSTERS: entry 2 of 3: expected an EKS cluster name")
                .hasMessageContaining("\n  - CLUSTERS: entry 3 of 3: cluster 'prod' is already entry 1")
                .hasMessageContaining("\n  - PERIOD: expected whole minutes");
        assertThatThrownBy(() -> Config.fromEnv(Map.of("CLUSTERS", "a", "CLUSTER_NAME", "b", "TOPIC_ARN", TOPIC)))
                .hasMessageContaining("CLUSTERS: give CLUSTERS or CLUSTER_NAME, not both");
    }

    @Test
    void stateTableAndRenotifyAfterFromTheEnvironment() {
        Map<String, String> env = new java.util.HashMap<>(Map.of("CLUSTER_NAME", "prod",
                "TOPIC_ARN", "arn:aws:sns:eu-west-1:123456789012:t"));
        Config none = Config.fromEnv(env);
        assertThat(none.stateTable()).isNull();
        assertThat(none.renotifyAfter()).isEqualTo(Duration.ofHours(24));
        env.put("STATE_TABLE", "eks-lookout-state");
        env.put("RENOTIFY_AFTER", "PT6H");
        Config c = Config.fromEnv(env);
        assertThat(c.stateTable()).isEqualTo("eks-lookout-state");
        assertThat(c.renotifyAfter()).isEqualTo(Duration.ofHours(6));
        env.put("STATE_TABLE", "no spaces");
        env.put("RENOTIFY_AFTER", "a day");
        assertThatThrownBy(() -> Config.fromEnv(env)).hasMessageContaining("STATE_TABLE: 'no spaces'")
                .hasMessageContaining("RENOTIFY_AFTER: 'a day' is not an ISO-8601 duration");
    }
}
