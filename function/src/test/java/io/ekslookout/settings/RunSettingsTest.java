package io.ekslookout.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The shared settings check on its own; SettingsParityTest (infra) runs it through the Lambda and CDK paths. */
class RunSettingsTest {

    private static RunSettings.Checked check(Setting s, String value) {
        Map<Setting, String> raw = new EnumMap<>(Setting.class);
        raw.put(s, value);
        return RunSettings.check(raw);
    }

    @Test
    void defaultsAreValid() {
        RunSettings s = RunSettings.check(Map.of()).settings();
        assertThat(s.period()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.settleDelay()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.lookback()).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.auditSilence()).isEqualTo(Duration.ofHours(3));
        assertThat(s.minSeverity()).isEqualTo("low");
        assertThat(s.maxConcurrentQueries()).isEqualTo(10);
        assertThat(s.digestThreshold()).isEqualTo(10);
        assertThat(s.scanMode()).isEqualTo(io.ekslookout.schedule.ScanMode.INGESTION);
        assertThat(s.scanDelay()).isEqualTo(Duration.ofMinutes(10));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "PERIOD        | 10m                  | ",
            "PERIOD        | 1m                   | SETTLE_DELAY: expected less than PERIOD (1m)",
            "PERIOD        | PT1440M              | ",
            "PERIOD        | 7m                   | PERIOD: expected whole minutes that divide a day evenly",
            "PERIOD        | 0m                   | PERIOD: expected whole minutes",
            "PERIOD        | 90s                  | PERIOD: expected whole minutes",
            "PERIOD        | PT5M0.5S             | PERIOD: expected whole minutes",
            "PERIOD        | 2d                   | PERIOD: expected whole minutes",
            "PERIOD        | PT-5M                | PERIOD: expected whole minutes",
            "PERIOD        | 99999999999999999999m | PERIOD: expected whole minutes",
            "LOOKBACK      | 1d                   | ",
            "LOOKBACK      | 0s                   | ",
            "LOOKBACK      | PT24H1S              | LOOKBACK: expected a duration from 0s to 1d",
            "LOOKBACK      | PT-5M                | LOOKBACK: expected a duration from 0s to 1d",
            "LOOKBACK      | PT9999999999H        | LOOKBACK: expected a duration from 0s to 1d",
            "LOOKBACK      | PT2562047788015216H  | LOOKBACK: expected a duration from 0s to 1d",
            "LOOKBACK      | PT9999999999999999999H | (too large)",
            "LOOKBACK      | P999999999999D       | (too large)",
            "LOOKBACK      | 9999999999999999999999d | (too large)",
            "SCAN_MODE     | event-time           | ",
            "SCAN_MODE     | EVENT_TIME           | ",
            "SCAN_MODE     | ingestion            | ",
            "SCAN_MODE     | event                | SCAN_MODE: expected ingestion (tile ingestion time, scan LOOKBACK",
            "SCAN_MODE     | timestamp            | or event-time (tile event time SCAN_DELAY behind each run",
            "SCAN_DELAY    | 1m                   | ",
            "SCAN_DELAY    | 1d                   | ",
            "SCAN_DELAY    | 59s                  | SCAN_DELAY: expected a duration from 1m to 1d (event-time mode",
            "SCAN_DELAY    | 0s                   | SCAN_DELAY: expected a duration from 1m to 1d",
            "SCAN_DELAY    | PT24H1S              | SCAN_DELAY: expected a duration from 1m to 1d",
            "SCAN_DELAY    | PT-10M               | SCAN_DELAY: expected a duration from 1m to 1d",
            "SCAN_DELAY    | soon                 | SCAN_DELAY: expected a duration such as 10m or PT10M",
            "SCAN_DELAY    | PT9999999999999999999H | (too large)",
            "AUDIT_SILENCE | 30m                  | AUDIT_SILENCE: expected a duration from 1h to 7d",
            "AUDIT_SILENCE | P8D                  | AUDIT_SILENCE: expected a duration from 1h to 7d",
            "SETTLE_DELAY  | 299s                 | ",
            "SETTLE_DELAY  | 5m                   | SETTLE_DELAY: expected less than PERIOD (5m)",
            "SETTLE_DELAY  | PT-1S                | SETTLE_DELAY: expected at least 0s",
            "MIN_SEVERITY  | CRITICAL             | ",
            "MIN_SEVERITY  | urgent               | MIN_SEVERITY: expected one of info, low, medium, high, critical",
            "MAX_CONCURRENT_QUERIES | 100         | ",
            "MAX_CONCURRENT_QUERIES | 101         | MAX_CONCURRENT_QUERIES: expected a whole number from 1 to 100",
            "MAX_CONCURRENT_QUERIES | 99999999999 | MAX_CONCURRENT_QUERIES: expected a whole number from 1 to 100",
            "TOPIC_ARN     | arn:aws:sns:eu-west-1:111122223333:t.fifo | is a FIFO topic",
            "CLUSTER_NAME  | prod/eu              | CLUSTER_NAME: expected an EKS cluster name",
            "CLUSTERS      | prod                 | ",
            "CLUSTERS      | 'prod, staging,dev'  | ",
            "CLUSTERS      | arn:aws:logs:eu-west-1:444455556666:log-group:/aws/eks/pay/cluster:* | ",
            "CLUSTERS      | 'prod,prod/eu'       | CLUSTERS: entry 2 of 2: expected an EKS cluster name",
            "CLUSTERS      | 'prod,prod'          | CLUSTERS: entry 2 of 2: cluster 'prod' is already entry 1",
            "CLUSTERS      | arn:aws:logs:eu-west-1:4444:log-group:/aws/eks/pay/cluster | CLUSTERS: entry 1 of 1: expected a control-plane log group ARN",
            "CLUSTERS      | arn:aws:logs:eu-west-1:444455556666:log-group:/other/group | CLUSTERS: entry 1 of 1: expected a control-plane log group ARN",
            "CLUSTERS      | ' , '                | CLUSTERS: expected at least one cluster",
    })
    void eachRule(Setting setting, String value, String problem) {
        RunSettings.Checked c = check(setting, value);
        if (problem == null) {
            assertThat(c.problems()).isEmpty();
        } else {
            assertThat(c.problems()).singleElement().satisfies(p -> {
                assertThat(p.text()).contains(problem).startsWith(p.setting().name() + ": ");
                assertThat(p.name()).isEqualTo(p.setting().name());
            });
        }
    }

    @Test
    void clustersAreNamesOrLogGroupArnsAndEveryBadEntryIsNamed() {
        RunSettings s = check(Setting.CLUSTERS, "prod,  staging arn:aws:logs:eu-west-1:444455556666:log-group:"
                + "/aws/eks/payments/cluster").settings();
        assertThat(s.clusters()).extracting(ClusterSource::name).containsExactly("prod", "staging", "payments");
        assertThat(s.clusters()).extracting(ClusterSource::identifier).containsExactly("/aws/eks/prod/cluster",
                "/aws/eks/staging/cluster", "arn:aws:logs:eu-west-1:444455556666:log-group:/aws/eks/payments/cluster");
        assertThat(s.clusters().get(2).account()).isEqualTo("444455556666");
        assertThat(s.clusters().get(2).region()).isEqualTo("eu-west-1");
        assertThat(ClusterSource.label(s.clusters())).isEqualTo("prod-and-2-more");
        // CLUSTER_NAME is the one-cluster form
        assertThat(check(Setting.CLUSTER_NAME, "prod").settings().clusters()).extracting(ClusterSource::name)
                .containsExactly("prod");
        assertThat(ClusterSource.label(check(Setting.CLUSTER_NAME, "prod").settings().clusters())).isEqualTo("prod");

        RunSettings.Checked bad = check(Setting.CLUSTERS, "ok,bad name!,arn:aws:s3:::bucket,ok");
        assertThat(bad.problems()).extracting(RunSettings.Problem::text).containsExactly(
                "CLUSTERS: entry 3 of 5: expected an EKS cluster name (letters, digits, '-' and '_', starting with a"
                        + " letter or digit, at most 100 characters) or a log group ARN"
                        + " arn:aws:logs:<region>:<account>:log-group:/aws/eks/<cluster>/cluster, got 'name!'",
                "CLUSTERS: entry 4 of 5: expected a control-plane log group ARN arn:aws:logs:<region>:<12-digit"
                        + " account>:log-group:/aws/eks/<cluster>/cluster, got 'arn:aws:s3:::bucket'",
                "CLUSTERS: entry 5 of 5: cluster 'ok' is already entry 1 (a cluster is watched once; two clusters of"
                        + " one name in two accounts need two deployments)");

        Map<Setting, String> both = new EnumMap<>(Setting.class);
        both.put(Setting.CLUSTER_NAME, "prod");
        both.put(Setting.CLUSTERS, "prod,staging");
        assertThat(RunSettings.check(both, s2 -> s2.name().toLowerCase()).problems())
                .extracting(RunSettings.Problem::text).containsExactly("clusters: give clusters or cluster_name, not"
                        + " both (cluster_name is the one-cluster form of clusters)");
        assertThat(check(Setting.CLUSTERS, String.join(",", java.util.Collections.nCopies(101, "c"))
                .replaceAll("c", "c")).problems()).isNotEmpty();
    }

    @Test
    void settleIsCappedAtAnHourWhenThePeriodIsLonger() {
        Map<Setting, String> raw = new EnumMap<>(Setting.class);
        raw.put(Setting.PERIOD, "2h");
        raw.put(Setting.SETTLE_DELAY, "61m");
        assertThat(RunSettings.check(raw).problems()).extracting(RunSettings.Problem::text)
                .singleElement().asString().startsWith("SETTLE_DELAY: expected at most 1h");
        raw.put(Setting.SETTLE_DELAY, "1h");
        assertThat(RunSettings.check(raw).ok()).isTrue();
    }

    @Test
    void everyProblemAtOnceInTheCallersNames() {
        Map<Setting, String> raw = new EnumMap<>(Setting.class);
        raw.put(Setting.PERIOD, "1m");
        raw.put(Setting.LOOKBACK, "2d");
        raw.put(Setting.MIN_SEVERITY, "urgent");
        RunSettings.Checked c = RunSettings.check(raw, s -> s.name().toLowerCase());
        assertThat(c.settings()).isNull();
        assertThat(c.problems()).extracting(RunSettings.Problem::text).containsExactly(
                "settle_delay: expected less than period (1m): a window closes settle_delay after its tick, before"
                        + " the next tick; got 'PT2M'",
                "lookback: expected a duration from 0s to 1d (how late an event may be delivered and still be seen;"
                        + " every run scans period + lookback of logs, and Logs Insights bills per byte scanned),"
                        + " got '2d'",
                "min_severity: expected one of info, low, medium, high, critical, got 'urgent'");
    }

    /** Whatever the text, the check answers with problems, never an exception (fixed seed). */
    @Test
    void noValueThrows() {
        Random r = new Random(8);
        String alphabet = "0123456789PTDHMSdhms.-+ ,eE";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder v = new StringBuilder();
            for (int n = r.nextInt(30); n > 0; n--) {
                v.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            Setting s = Setting.values()[r.nextInt(Setting.values().length)];
            String value = v.toString();
            assertThatCode(() -> {
                RunSettings.Checked c = check(s, value);
                if (c.ok()) { // and what passes is safe to compute with
                    RunSettings ok = c.settings();
                    ok.period().toMillis();
                    ok.lookback().toMillis();
                    ok.auditSilence().toMillis();
                    java.time.Instant.now().minus(ok.period()).minus(ok.lookback()).minus(ok.auditSilence());
                }
            }).as("%s=%s", s, value).doesNotThrowAnyException();
        }
    }

    @ParameterizedTest
    @CsvSource({"PT5M, 5m", "PT1H30M, 1h30m", "P1D, 1d", "PT0S, 0s", "PT1.5S, PT1.5S"})
    void durationsAreShownAsPeopleWriteThem(String iso, String shown) {
        assertThat(SettingsDuration.show(Duration.parse(iso))).isEqualTo(shown);
    }
}
