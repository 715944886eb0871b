package io.ekslookout.notify;

import io.ekslookout.detect.Finding;
import io.ekslookout.detect.TimeWindow;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NotifierTest {
    final List<Notification> sent = new ArrayList<>();
    final MessageBuilder builder = new MessageBuilder(new MessageBuilder.Context("prod", "/aws/eks/prod/cluster",
            "us-east-1"));
    final TimeWindow window = new TimeWindow(MessageBuilderTest.W0, MessageBuilderTest.W1);

    static List<Finding> findings(int n) {
        List<Finding> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fs.add(new Finding("r" + i, "medium", "T" + i, Instant.EPOCH, Instant.EPOCH.plusSeconds(300), null, 1,
                    List.of(), 0));
        }
        return fs;
    }

    @Test
    void oneMessagePerFindingUpToTheThreshold() {
        Notifier.Report r = new Notifier(builder, n -> { sent.add(n); return "id"; }, 3)
                .send(findings(3), Map.of(), Map.of(), List.of(), 5, window);
        assertThat(sent).extracting(Notification::kind).containsExactly("finding", "finding", "finding");
        assertThat(r.sent()).isEqualTo(3);
        assertThat(r.digest()).isFalse();
    }

    @Test
    void aDigestAboveTheThresholdAndAHealthMessageWhenRulesFailed() {
        Notifier.Report r = new Notifier(builder, n -> { sent.add(n); return "id"; }, 3)
                .send(findings(4), Map.of(), Map.of("bad", "boom"), List.of(), 5, window);
        assertThat(sent).extracting(Notification::kind).containsExactly("digest", "health");
        assertThat(r.digest()).isTrue();
        assertThat(r.health()).isTrue();
    }

    @Test
    void aFailedPublishIsReportedAndTheOthersAreStillSent() {
        Notifier.Report r = new Notifier(builder, n -> {
            if (n.subject().contains("T0")) {
                throw new IllegalStateException("throttled");
            }
            sent.add(n);
            return "id";
        }, 10).send(findings(3), Map.of(), Map.of(), List.of(), 3, window);
        assertThat(sent).hasSize(2);
        assertThat(r.failures()).singleElement().asString().contains("throttled");
    }
}
