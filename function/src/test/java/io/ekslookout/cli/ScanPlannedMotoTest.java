package io.ekslookout.cli;

import io.ekslookout.aws.AwsClients;
import io.ekslookout.detect.DetectionReport;
import io.ekslookout.detect.Detector;
import io.ekslookout.detect.InMemoryLogSource;
import io.ekslookout.detect.LocalBackend;
import io.ekslookout.detect.TimeWindow;
import io.ekslookout.logs.LocalLogs;
import io.ekslookout.query.LogEvent;
import io.ekslookout.query.QueryLimits;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.testing.CliRun;
import io.ekslookout.testing.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The planned scan end to end against moto, which ignores query filters and returns every event of the time range:
 * the sample corpus split between the log groups of two clusters, then {@code scan --cluster a} gives exactly the
 * findings of one query per rule through the embedded engine over cluster a's events (and none of b's), with one
 * Logs Insights query. Before the planner every rule "fired" against moto: {@code --no-plan} shows it.
 */
@ExtendWith(MotoServer.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScanPlannedMotoTest {
    static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
    MotoServer.Instance moto;
    RuleSet rules;
    /** Each cluster's events as put into moto (time-shifted to the last hours: moto keeps recent events). */
    final Map<String, List<LogEvent>> clusters = new LinkedHashMap<>();

    @BeforeAll
    void setUp(MotoServer.Instance moto) throws Exception {
        this.moto = moto;
        moto.reset();
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        rules = RuleLoader.loadDirectory(ROOT.resolve("rules"));
        List<LogEvent> sample = new ArrayList<>();
        LocalLogs.open(ROOT.resolve("samples").resolve("eks-demo.jsonl.gz")).read(sample::add);
        sample.sort(Comparator.comparingLong(LogEvent::timestamp));
        long first = sample.get(0).timestamp();
        long last = sample.get(sample.size() - 1).timestamp();
        // whole hours, so 5-minute bins of the rules stay aligned; the corpus ends at least an hour ago
        long shift = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(6)).toEpochMilli()
                - (first - Math.floorMod(first, 3_600_000L));
        long middle = first + (last - first) / 2; // two halves of about 6,000 events: each under the 10,000-row cap
        AwsClients clients = moto.clients();
        CloudWatchLogsClient logs = clients.logs();
        for (String c : List.of("a", "b")) {
            String group = "/aws/eks/" + c + "/cluster";
            logs.createLogGroup(b -> b.logGroupName(group));
            List<LogEvent> mine = sample.stream().filter(e -> c.equals("a") == e.timestamp() < middle)
                    .map(e -> new LogEvent(e.timestamp() + shift, e.ingestionTime() + shift, e.message(),
                            e.logStream(), group, null)).toList();
            clusters.put(c, mine);
            Map<String, List<InputLogEvent>> byStream = new LinkedHashMap<>();
            for (LogEvent e : mine) {
                byStream.computeIfAbsent(e.logStream(), k -> new ArrayList<>()).add(InputLogEvent.builder()
                        .timestamp(e.timestamp()).message(e.message()).build());
            }
            byStream.forEach((stream, events) -> {
                logs.createLogStream(b -> b.logGroupName(group).logStreamName(stream));
                for (int i = 0; i < events.size(); i += 500) {
                    List<InputLogEvent> batch = events.subList(i, Math.min(events.size(), i + 500));
                    logs.putLogEvents(b -> b.logGroupName(group).logStreamName(stream).logEvents(batch));
                }
            });
        }
    }

    @AfterAll
    void tearDown() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    static CliRun scan(String... args) {
        return CliRun.of(args);
    }

    TimeWindow window() {
        long from = Long.MAX_VALUE;
        long to = Long.MIN_VALUE;
        for (List<LogEvent> events : clusters.values()) {
            for (LogEvent e : events) {
                from = Math.min(from, e.timestamp());
                to = Math.max(to, e.timestamp());
            }
        }
        // whole seconds: StartQuery takes seconds, and --since/--until are exact instants
        return new TimeWindow(Instant.ofEpochMilli(from).truncatedTo(ChronoUnit.SECONDS),
                Instant.ofEpochMilli(to).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1));
    }

    /** The findings one query per rule gives over the cluster's own events, as the CLI prints them (json). */
    List<String> expected(String cluster, TimeWindow w) {
        DetectionReport direct = new Detector(new LocalBackend(new InMemoryLogSource(clusters.get(cluster)),
                Clock.systemUTC(), QueryLimits.DEFAULT)).run(rules.enabledRules(), w, null);
        assertThat(direct.ruleErrors()).isEmpty();
        return direct.findings().stream().map(f -> FindingPrinter.json(f.withCluster(cluster))).toList();
    }

    CliRun scanCluster(String cluster, TimeWindow w, String... more) {
        List<String> args = new ArrayList<>(List.of("scan", "--cluster", cluster, "--region", "us-east-1",
                "--endpoint-url", moto.endpoint.toString(), "--rules", ROOT.resolve("rules").toString(),
                "--since", w.start().toString(), "--until", w.end().toString(), "--format", "json"));
        args.addAll(Arrays.asList(more));
        return scan(args.toArray(String[]::new));
    }

    @Test
    void eachClusterGetsExactlyItsOwnFindingsFromOnePlannedQuery() {
        TimeWindow w = window();
        for (String c : clusters.keySet()) {
            List<String> expected = expected(c, w);
            CliRun r = scanCluster(c, w);
            assertThat(r.err()).as(c).contains("rule errors: 0").doesNotContain("error:").doesNotContain("warning");
            assertThat(r.out().lines().toList()).as(c).containsExactlyElementsOf(expected);
            // one prefilter for every bundled rule (they all plan), the window scanned once
            assertThat(r.err()).as(c).contains("Logs Insights: 1 queries")
                    .contains("planned: 1 queries for " + rules.enabledRules().size() + " rules");
            assertThat(r.code()).as(c).isEqualTo(expected.isEmpty() ? 0 : 1);
        }
        assertThat(expected("a", w)).isNotEmpty().doesNotContainAnyElementsOf(expected("b", w));
    }

    @Test
    void oneScanOfTwoClustersGivesEachClustersExactFindingsNamingTheirCluster() {
        TimeWindow w = window();
        List<String> expected = new ArrayList<>(expected("a", w));
        expected.addAll(expected("b", w));
        for (String[] clusterArgs : List.of(new String[] {"--cluster", "a", "--cluster", "b"},
                new String[] {"--cluster", "a,b"})) {
            List<String> args = new ArrayList<>(List.of("scan", "--region", "us-east-1",
                    "--endpoint-url", moto.endpoint.toString(), "--rules", ROOT.resolve("rules").toString(),
                    "--since", w.start().toString(), "--until", w.end().toString(), "--format", "json"));
            args.addAll(List.of(clusterArgs));
            CliRun r = scan(args.toArray(String[]::new));
            assertThat(r.err()).contains("rule errors: 0").doesNotContain("error:").doesNotContain("warning");
            // every finding of both clusters, each naming its own (the order: most severe first, then rule, cluster)
            assertThat(r.out().lines().toList()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(r.out().lines().filter(l -> l.contains("\"cluster\":\"a\"")).count())
                    .isEqualTo(expected("a", w).size());
            assertThat(r.out().lines().filter(l -> l.contains("\"cluster\":\"b\"")).count())
                    .isEqualTo(expected("b", w).size());
            assertThat(r.code()).isEqualTo(1);
            // one pass over the window: ONE planned prefilter over both clusters' log groups (logGroupNames),
            // its events split by @log into clusters, every rule evaluated on each cluster's events alone; the
            // two clusters' 12,598 events pass the 10,000-row cap, so its time range is split in halves once
            // (3 StartQuery calls: the capped whole and its two halves)
            assertThat(r.err()).contains("Logs Insights: 3 queries").contains("2 clusters")
                    .contains("planned: 1 queries for " + rules.enabledRules().size() + " rules, the window scanned"
                            + " 1.0 times");
        }
    }

    @Test
    void oneQueryPerRuleAgainstMotoFiresRulesTheEventsDoNotMatch() {
        TimeWindow w = window();
        List<String> expected = expected("a", w);
        CliRun r = scanCluster("a", w, "--no-plan");
        assertThat(r.err()).contains("Logs Insights: " + rules.enabledRules().size() + " queries")
                .contains("one query per rule (--no-plan)");
        // moto ignores the filters, so the rules' own queries return events they do not match
        assertThat(r.out().lines().count()).isGreaterThan(expected.size());
    }
}
