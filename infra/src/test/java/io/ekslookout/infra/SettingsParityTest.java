package io.ekslookout.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.ekslookout.lambda.Config;
import io.ekslookout.settings.Setting;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code cdk synth} refuses whatever the deployed function would refuse on every run, and accepts what it accepts:
 * each case goes through BOTH paths, the CDK app from context (named by context key) and the Lambda's
 * {@link Config#fromEnv} (named by environment variable), which share {@link io.ekslookout.settings.RunSettings}.
 */
class SettingsParityTest {
    static final String TOPIC = "arn:aws:sns:eu-west-1:111122223333:eks-lookout";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // case                           | setting                | value                   | refused setting
            "valid defaults                   | -                      | -                       | -",
            "10m schedule                     | PERIOD                 | 10m                     | -",
            "1d schedule                      | PERIOD                 | PT24H                   | -",
            "1m schedule, default settle 2m   | PERIOD                 | 1m                      | SETTLE_DELAY",
            "7m schedule: does not divide a day | PERIOD               | 7m                      | PERIOD",
            "0m schedule                      | PERIOD                 | 0m                      | PERIOD",
            "sub-minute schedule              | PERIOD                 | 90s                     | PERIOD",
            "settle equal to the period       | SETTLE_DELAY           | 5m                      | SETTLE_DELAY",
            "negative settle                  | SETTLE_DELAY           | PT-1S                   | SETTLE_DELAY",
            "1d lookback                      | LOOKBACK               | 1d                      | -",
            "negative lookback                | LOOKBACK               | PT-5M                   | LOOKBACK",
            "lookback over a day              | LOOKBACK               | PT9999999999H           | LOOKBACK",
            "lookback overflowing toMillis    | LOOKBACK               | PT2562047788015216H     | LOOKBACK",
            "lookback overflowing Duration    | LOOKBACK               | PT9999999999999999999H  | LOOKBACK",
            "lookback overflowing a long      | LOOKBACK               | 99999999999999999999m   | LOOKBACK",
            "event-time scan mode             | SCAN_MODE              | event-time              | -",
            "unknown scan mode                | SCAN_MODE              | timestamp               | SCAN_MODE",
            "1d scan delay                    | SCAN_DELAY             | 1d                      | -",
            "sub-minute scan delay            | SCAN_DELAY             | 30s                     | SCAN_DELAY",
            "scan delay overflowing Duration  | SCAN_DELAY             | PT9999999999999999999H  | SCAN_DELAY",
            "unknown severity                 | MIN_SEVERITY           | urgent                  | MIN_SEVERITY",
            "severity in capitals             | MIN_SEVERITY           | HIGH                    | -",
            "100 queries at once              | MAX_CONCURRENT_QUERIES | 100                     | -",
            "101 queries at once              | MAX_CONCURRENT_QUERIES | 101                     | MAX_CONCURRENT_QUERIES",
            "digest threshold 0               | DIGEST_THRESHOLD       | 0                       | DIGEST_THRESHOLD",
            "cluster name with a slash        | CLUSTER_NAME           | prod/eu                 | CLUSTER_NAME",
    })
    void bothPathsRefuseAndAcceptTheSameNamingTheirOwnKey(String name, Setting setting, String value,
                                                           Setting refused) {
        // the CDK app, from context
        Map<String, Object> context = setting == null ? Fixture.context()
                : Fixture.context(ContextConfig.key(setting), value);
        Throwable cdk = catchThrowable(() -> Fixture.synth(context));
        // the Lambda, from its environment
        Map<String, String> env = new HashMap<>(Map.of("CLUSTER_NAME", "prod", "TOPIC_ARN", TOPIC));
        if (setting != null) {
            env.put(setting.name(), value);
        }
        Throwable lambda = catchThrowable(() -> Config.fromEnv(env));

        if (refused == null) {
            assertThat(cdk).as("cdk synth").isNull();
            assertThat(lambda).as("Lambda").isNull();
        } else {
            String key = ContextConfig.key(refused);
            assertThat(cdk).as("cdk synth").isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(key + ": expected");
            assertThat(((ConfigException) cdk).key()).isEqualTo(key);
            assertThat(lambda).as("Lambda").isInstanceOf(Config.ConfigException.class)
                    .hasMessageContaining("\n  - " + refused.name() + ": expected");
            // the same rule explains both, each in its own names (up to the value shown: cdk.json writes the
            // default settle delay as 2m, the function's default is PT2M)
            String cdkWhy = cdk.getMessage().substring(key.length());
            String lambdaWhy = lambda.getMessage().substring(lambda.getMessage().indexOf("\n  - " + refused.name())
                    + 5 + refused.name().length());
            assertThat(upToTheValue(rename(lambdaWhy))).isEqualTo(upToTheValue(cdkWhy));
        }
    }

    private static String upToTheValue(String message) {
        return message.substring(0, message.lastIndexOf("got '"));
    }

    /** The Lambda's message in context keys, to compare it with synth's. */
    private static String rename(String s) {
        for (Setting t : Setting.values()) {
            s = s.replace(t.name(), ContextConfig.key(t));
        }
        return s;
    }

    /** What synth accepts, the deployed function accepts: the synthesized environment passes Config.fromEnv. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "schedule | 1m    | settleDelay | 30s",
            "schedule | 1d    | settleDelay | 1h",
            "schedule | PT15M | lookback    | PT24H",
            "schedule | 10 minutes | settleDelay | 599s",
            "scanMode | event-time | scanDelay | 25 minutes",
            "scanMode | EVENT-TIME | scanDelay | PT1M",
    })
    void theEnvironmentSynthWritesIsOneTheFunctionAccepts(String k1, String v1, String k2, String v2) {
        Map<String, Object> context = Fixture.context(k1, v1, k2, v2);
        Fixture f = Fixture.synth(context);
        JsonNode vars = f.resource("AWS::Lambda::Function").at("/Properties/Environment/Variables");
        Map<String, String> env = new LinkedHashMap<>();
        vars.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText()
                : e.getKey().equals("STATE_TABLE") ? "EksLookout-prod-AlertState1A2B3C" // a Ref to the stack's table
                : TOPIC)); // TOPIC_ARN is a Ref to the stack's topic
        Config c = Config.fromEnv(env);
        assertThat(c.period().toString()).isEqualTo(env.get("PERIOD"));
        assertThat(c.settleDelay().toString()).isEqualTo(env.get("SETTLE_DELAY"));
        assertThat(c.scanMode().label()).isEqualTo(env.get("SCAN_MODE"));
        assertThat(c.scanDelay().toString()).isEqualTo(env.get("SCAN_DELAY"));
    }

    /**
     * The FIFO rule has no context key: the stack creates its topic, a standard one (email and Chatbot can
     * subscribe); the function refuses a FIFO topic given to it by hand.
     */
    @Test
    void theStackMakesAStandardTopicAndTheFunctionRefusesAFifoOne() {
        JsonNode topic = Fixture.synth(Fixture.context()).resource("AWS::SNS::Topic").get("Properties");
        assertThat(topic.has("FifoTopic")).isFalse();
        assertThat(catchThrowable(() -> Config.fromEnv(Map.of("CLUSTER_NAME", "prod",
                "TOPIC_ARN", TOPIC + ".fifo")))).hasMessageContaining("TOPIC_ARN: '" + TOPIC + ".fifo' is a FIFO topic");
    }
}
