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
        assertThat(sent).extracting(Notification::kind).containsExactly("finding", "finding", "health");
        assertThat(r.failures()).singleElement().asString().contains("throttled");
    }

    @Test
    void aPublisherFailingOnTheSecondOfFiveStillSendsTheOtherFourAndAHealthMessageNamingIt() {
        int[] calls = {0};
        Notifier.Report r = new Notifier(builder, n -> {
            if (++calls[0] == 2) {
                throw new IllegalStateException("Rate exceeded");
            }
            sent.add(n);
            return "id";
        }, 10).send(findings(5), Map.of(), Map.of(), List.of(), 5, window);
        assertThat(sent).extracting(Notification::subject).containsExactly("[MEDIUM] T0 on prod",
                "[MEDIUM] T2 on prod", "[MEDIUM] T3 on prod", "[MEDIUM] T4 on prod",
                "[HEALTH] eks-lookout: warnings on prod");
        assertThat(r.sent()).isEqualTo(5);
        assertThat(r.failures()).containsExactly("finding '[MEDIUM] T1 on prod': Rate exceeded");
        assertThat(sent.get(4).text()).contains("not sent: finding '[MEDIUM] T1 on prod': Rate exceeded");
    }

    @Test
    void aFindingWhoseMessageCannotBeBuiltIsSentInShortFormAndTheOthersInFull() {
        java.util.HashMap<String, String> broken = new java.util.HashMap<>();
        broken.put(null, "a row with no field name makes the redactor throw");
        List<Finding> fs = new ArrayList<>(findings(3));
        fs.set(1, new Finding("r1", "high", "T1", Instant.EPOCH, Instant.EPOCH.plusSeconds(300), null, 2,
                List.of(broken), 0));
        Notifier.Report r = new Notifier(builder, n -> { sent.add(n); return "id"; }, 10)
                .send(fs, Map.of(), Map.of(), List.of(), 3, window);
        assertThat(sent).extracting(Notification::kind).containsExactly("finding", "finding", "finding", "health");
        assertThat(sent.get(0).text()).contains("Who:");
        assertThat(sent.get(1).text()).contains("This is a short form of the message: the full message could not "
                + "be built (").contains("Events:   2 matching events");
        assertThat(sent.get(3).text()).contains("sent in short form: finding r1: the full message could not be built");
        assertThat(r.failures()).isEmpty();
        assertThat(r.degraded()).singleElement().asString().startsWith("finding r1: the full message could not be built");
    }

    @Test
    void aShortenedMessageIsReportedButNeedsNoHealthMessage() {
        RuleInfo rule = new RuleInfo("r0", "T0", "medium", "", null, "fields " + "x".repeat(300 * 1024), List.of());
        Notifier.Report r = new Notifier(builder, n -> { sent.add(n); return "id"; }, 10)
                .send(findings(1), Map.of("r0", rule), Map.of(), List.of(), 1, window);
        assertThat(sent).extracting(Notification::kind).containsExactly("finding");
        assertThat(r.degraded()).singleElement().asString().contains("finding r0: shortened to fit (the console "
                + "link left out");
    }
}
