package io.ekslookout.cli;

import io.ekslookout.detect.TimeWindow;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Instant;

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
