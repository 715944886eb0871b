package io.ekslookout.cli;

import io.ekslookout.aws.LogTarget;

import io.ekslookout.detect.TimeWindow;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CloudOptionsTest {
    @Command(name = "t")
    static final class Host {
        @Mixin
        CloudOptions cloud;
    }

    static CloudOptions parse(String... args) {
        Host h = new Host();
        new CommandLine(h).parseArgs(args);
        return h.cloud;
    }

    @Test
    void clusterOrLogGroupSelectsTheCloudPath() {
        CloudOptions c = parse("--cluster", "prod", "--publish", "arn:aws:sns:eu-west-1:111122223333:t",
                "--endpoint-url", "http://127.0.0.1:5000", "--region", "eu-west-1");
        assertThat(c.cloud()).isTrue();
        assertThat(c.check(false)).isNull();
        assertThat(c.target().logGroup()).isEqualTo("/aws/eks/prod/cluster");
        assertThat(c.publishTopic()).isEqualTo("arn:aws:sns:eu-west-1:111122223333:t");
        assertThat(parse("--log-group", "/aws/eks/stage/cluster").target().cluster()).isEqualTo("stage");
    }

    @Test
    void clusterRepeatsOrTakesCommasAndAcceptsALinkedAccountsLogGroupArn() {
        String arn = "arn:aws:logs:eu-west-1:444455556666:log-group:/aws/eks/pay/cluster";
        for (CloudOptions c : List.of(parse("--cluster", "a", "--cluster", "b", "--cluster", arn),
                parse("--cluster", "a,b," + arn), parse("--cluster", "a,b", "--cluster", arn))) {
            assertThat(c.check(false)).isNull();
            assertThat(c.targets()).extracting(LogTarget::cluster).containsExactly("a", "b", "pay");
            assertThat(c.targets()).extracting(LogTarget::identifier).containsExactly("/aws/eks/a/cluster",
                    "/aws/eks/b/cluster", arn);
            assertThat(c.label()).isEqualTo("a-and-2-more");
        }
        assertThat(parse("--cluster", "a,a").check(false)).isEqualTo("--cluster: entry 2 of 2: cluster 'a' is"
                + " already entry 1 (a cluster is watched once; two clusters of one name in two accounts need two"
                + " deployments)");
        assertThat(parse("--cluster", "a", "--cluster", "x/y").check(false)).startsWith("--cluster: entry 2 of 2:"
                + " expected an EKS cluster name");
    }

    @Test
    void conflictingOrMissingSourcesAreClearErrors() {
        assertThat(parse("--cluster", "a", "--log-group", "b").check(false)).contains("not both");
        assertThat(parse("--cluster", "a").check(true)).isEqualTo("give --logs or --cluster/--log-group, not both");
        assertThat(parse().check(false)).isEqualTo("give --logs PATH, --cluster NAME or --log-group NAME");
        assertThat(parse().check(true)).as("local logs only").isNull();
    }

    @Test
    void withoutSinceTheCloudScanCoversTheLastHour() {
        Instant now = Instant.parse("2026-11-20T10:00:00Z");
        assertThat(parse("--cluster", "a").window(null, null, now))
                .isEqualTo(new TimeWindow(Instant.parse("2026-11-20T09:00:00Z"), now));
        Instant since = Instant.parse("2026-11-20T07:00:00Z");
        assertThat(parse("--cluster", "a").window(since, null, now)).isEqualTo(new TimeWindow(since, now));
    }
}
