package io.ekslookout.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ekslookout.detect.DetectionReport;
import io.ekslookout.detect.Detector;
import io.ekslookout.detect.Finding;
import io.ekslookout.detect.InMemoryLogSource;
import io.ekslookout.detect.LocalBackend;
import io.ekslookout.run.Wiring;
import io.ekslookout.query.LogEvent;
import io.ekslookout.rules.Rule;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product's face, checked in: for every bundled rule, the email text and the Slack (AWS Chatbot) JSON rendered
 * from the first fire case of its fixture, and the digest of all of them, compared with the files under
 * {@code src/test/resources/golden/}. A reviewer reads those files as what an on-call engineer will see.
 *
 * <p>After an intended change, regenerate with {@code mvn -o -pl function test -Dtest=GoldenMessagesTest
 * -Dgolden.update=true} (or {@code GOLDEN_UPDATE=1}) and review the diff.
 */
class GoldenMessagesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
    static final Path GOLDEN = ROOT.resolve("function/src/test/resources/golden");
    static final boolean UPDATE = Boolean.getBoolean("golden.update") || "1".equals(System.getenv("GOLDEN_UPDATE"));
    static final MessageBuilder BUILDER = new MessageBuilder(
            new MessageBuilder.Context("prod", "/aws/eks/prod/cluster", "us-east-1"));

    /** One rendered finding per bundled rule, in the rule set's order. */
    record Rendered(Rule rule, Finding finding) {
    }

    static List<Rendered> fireFindings() throws Exception {
        RuleSet set = RuleLoader.loadDirectory(ROOT.resolve("rules"));
        List<Rendered> out = new ArrayList<>();
        for (Rule rule : set.rules()) {
            RuleTest.Case fire = set.tests().stream().filter(t -> !t.hunt() && t.target().equals(rule.id()))
                    .flatMap(t -> t.cases().stream()).filter(c -> c.expect() == RuleTest.Expect.FIRE).findFirst()
                    .orElseThrow(() -> new AssertionError(rule.id() + " has no fire case"));
            List<LogEvent> events = new ArrayList<>();
            int n = 0;
            for (RuleTest.Event e : fire.events()) {
                long ts = e.timestamp().toEpochMilli();
                events.add(new LogEvent(ts, ts + 500, e.message(), e.logStream(), "/aws/eks/prod/cluster",
                        "case-" + n++));
            }
            DetectionReport r = new Detector(new LocalBackend(new InMemoryLogSource(events)))
                    .run(List.of(rule), LocalBackend.WHOLE_INPUT, null);
            assertThat(r.findings()).as(rule.id() + ": " + fire.name()).isNotEmpty();
            out.add(new Rendered(rule, r.findings().get(0)));
        }
        return out;
    }

    static void compare(String file, String actual) throws Exception {
        Path p = GOLDEN.resolve(file);
        if (UPDATE) {
            Files.createDirectories(GOLDEN);
            Files.writeString(p, actual, StandardCharsets.UTF_8);
            return;
        }
        assertThat(p).as(file + " is missing: run with -Dgolden.update=true to create it").exists();
        assertThat(actual).as(file + " differs from the checked-in golden file (regenerate with "
                + "-Dgolden.update=true if the change is intended)").isEqualTo(Files.readString(p, StandardCharsets.UTF_8));
    }

    static String pretty(String json) throws Exception {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(json)) + "\n";
    }

    @Test
    void everyBundledRulesFireCaseRendersAsTheCheckedInEmailAndSlackCard() throws Exception {
        List<Rendered> all = fireFindings();
        assertThat(all).hasSize(RuleLoader.loadDirectory(ROOT.resolve("rules")).enabledRules().size());
        for (Rendered r : all) {
            Notification n = BUILDER.finding(r.finding(), Wiring.ruleInfo(r.rule()));
            compare(r.rule().id() + ".email.txt", n.text());
            compare(r.rule().id() + ".slack.json", pretty(n.chatbot()));
        }
    }

    @Test
    void theDigestOfAllFourteenIsCheckedInAndUnderEightKb() throws Exception {
        List<Rendered> all = fireFindings();
        List<Finding> findings = all.stream().map(Rendered::finding).toList();
        Map<String, RuleInfo> rules = Wiring.ruleInfo(all.stream().map(Rendered::rule).toList());
        Notification d = BUILDER.digest(findings, rules, Instant.parse("2026-11-20T09:55:00Z"),
                Instant.parse("2026-11-20T10:05:00Z"));
        compare("digest.email.txt", d.text());
        compare("digest.slack.json", pretty(d.chatbot()));
        // SNS carries the email text twice (default and email): beyond those two copies (Chatbot JSON, subject,
        // attributes) the message stays under 8 KB whatever the number of rules
        int textBytes = d.text().getBytes(StandardCharsets.UTF_8).length;
        assertThat(d.sizeBytes()).as("the whole SNS message (email, default and Chatbot JSON)")
                .isLessThan(8 * 1024 + 2 * textBytes);
        assertThat(d.text().getBytes(StandardCharsets.UTF_8).length).isLessThan(8 * 1024);
        assertThat(d.text().split("console.aws.amazon.com", -1)).as("one console link").hasSize(2);
    }

    @Test
    void everyCardLeadsWithTheHeadlineAndKeepsWithinChatbotsLimits() throws Exception {
        for (Rendered r : fireFindings()) {
            RuleInfo info = Wiring.ruleInfo(r.rule());
            Notification n = BUILDER.finding(r.finding(), info);
            JsonNode card = JSON.readTree(n.chatbot());
            String headline = n.text().lines().findFirst().orElseThrow();
            assertThat(headline).as(r.rule().id()).endsWith("cluster prod").doesNotContain("?/");
            assertThat(card.at("/content/description").asText()).as(r.rule().id())
                    .contains(r.rule().summary()).doesNotContain("\uFF20")
                    .hasSizeLessThan(4000);
            assertThat(n.text()).as(r.rule().id()).contains(r.rule().summary())
                    .contains(r.rule().description().strip());
            assertThat(card.at("/content/nextSteps/0").asText()).startsWith("<https://us-east-1.console.aws");
            assertThat(n.chatbot().getBytes(StandardCharsets.UTF_8).length).as(r.rule().id()).isLessThan(8 * 1024);
        }
    }
}
