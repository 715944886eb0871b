package io.ekslookout.state;

import io.ekslookout.detect.Finding;
import io.ekslookout.export.Fingerprint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** New, due and repeat findings across runs; health once per period; claims, releases and the state file. */
class AlertStateTest {
    static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    @TempDir
    Path dir;

    static Finding finding(String rule, String group, Instant windowEnd) {
        return new Finding(rule, "high", "T " + rule, windowEnd.minusSeconds(300), windowEnd, group, 1,
                List.of(Map.of("user.username", group == null ? "-" : group)), 0);
    }

    AlertState state(Path file) {
        return new AlertState(FileStateStore.open(file), Duration.ofHours(24), Map.of("quick", Duration.ofMinutes(30)));
    }

    @Test
    void theSameFindingInTwoClustersOfOneRunIsTwoAlerts() {
        Path f = dir.resolve("state.json");
        Finding inA = finding("read-secrets", "eve", T0).withCluster("a");
        Finding inB = finding("read-secrets", "eve", T0).withCluster("b");
        AlertState.Decision first = state(f).decide(List.of(inA, inB), Map.of(), "a-and-1-more", T0, T0);
        assertThat(first.due()).containsExactly(inA, inB);
        assertThat(Fingerprint.of(inA, "x")).isNotEqualTo(Fingerprint.of(inB, "x"))
                .isEqualTo(Fingerprint.of("read-secrets", "a", "eve"));
        // next window: each is a repeat of its own cluster's alert; a new cluster c is new
        Instant t1 = T0.plusSeconds(300);
        AlertState.Decision second = state(f).decide(List.of(finding("read-secrets", "eve", t1).withCluster("a"),
                finding("read-secrets", "eve", t1).withCluster("b"), finding("read-secrets", "eve", t1)
                        .withCluster("c")), Map.of(), "a-and-2-more", t1, t1);
        assertThat(second.due()).extracting(Finding::cluster).containsExactly("c");
        assertThat(second.repeats()).hasSize(2);
    }

    @Test
    void aFindingIsNotifiedOncePerPeriodAndCountedPerWindow() {
        Path f = dir.resolve("state.json");
        Finding a = finding("read-secrets", "eve", T0);
        AlertState.Decision first = state(f).decide(List.of(a), Map.of(), "prod", T0, T0);
        assertThat(first.due()).containsExactly(a);
        assertThat(first.repeats()).isEmpty();

        // five minutes later, next window, a new process reading the file: a repeat, counted
        Instant t1 = T0.plusSeconds(300);
        Finding a1 = finding("read-secrets", "eve", t1);
        AlertState.Decision second = state(f).decide(List.of(a1), Map.of(), "prod", t1, t1);
        assertThat(second.due()).isEmpty();
        assertThat(second.repeats()).singleElement().satisfies(r -> {
            assertThat(r.entry().count()).isEqualTo(2);
            assertThat(r.entry().firstSeen()).isEqualTo(T0);
            assertThat(r.entry().lastNotified()).isEqualTo(T0);
            assertThat(r.fingerprint()).isEqualTo(Fingerprint.of(a1, "prod"));
        });
        // the same window again does not count again
        AlertState.Decision same = state(f).decide(List.of(a1), Map.of(), "prod", t1, t1.plusSeconds(10));
        assertThat(same.repeats().get(0).entry().count()).isEqualTo(2);

        // another user, another cluster: new
        assertThat(state(f).decide(List.of(finding("read-secrets", "mallory", t1)), Map.of(), "prod", t1, t1).due())
                .hasSize(1);
        assertThat(state(f).decide(List.of(a1), Map.of(), "staging", t1, t1).due()).hasSize(1);

        // 24 h after the notification: due again
        Instant t2 = T0.plus(Duration.ofHours(24));
        assertThat(state(f).decide(List.of(finding("read-secrets", "eve", t2)), Map.of(), "prod", t2, t2).due())
                .hasSize(1);
    }

    @Test
    void theRenotifyPeriodIsPerRule() {
        Path f = dir.resolve("s.json");
        AlertState s = state(f);
        assertThat(s.renotifyAfter("quick")).isEqualTo(Duration.ofMinutes(30));
        assertThat(s.renotifyAfter("other")).isEqualTo(Duration.ofHours(24));
        s.decide(List.of(finding("quick", null, T0), finding("other", null, T0)), Map.of(), "c", T0, T0);
        Instant t = T0.plus(Duration.ofMinutes(31));
        AlertState.Decision d = state(f).decide(List.of(finding("quick", null, t), finding("other", null, t)),
                Map.of(), "c", t, t);
        assertThat(d.due()).extracting(Finding::ruleId).containsExactly("quick");
        assertThat(d.repeats()).extracting(r -> r.finding().ruleId()).containsExactly("other");
    }

    @Test
    void aRuleFailingEveryRunHasItsHealthMessageOncePerPeriod() {
        Path f = dir.resolve("s.json");
        Map<String, String> errors = Map.of("broken", "query failed");
        assertThat(state(f).decide(List.of(), errors, "c", T0, T0).dueErrors()).containsOnlyKeys("broken");
        for (int i = 1; i <= 12; i++) {
            Instant t = T0.plusSeconds(300L * i);
            AlertState.Decision d = state(f).decide(List.of(), errors, "c", t, t);
            assertThat(d.dueErrors()).isEmpty();
            assertThat(d.quietErrors()).containsOnlyKeys("broken");
        }
        Instant day = T0.plus(Duration.ofHours(24));
        assertThat(state(f).decide(List.of(), errors, "c", day, day).dueErrors()).containsOnlyKeys("broken");
        // the health entry is not a finding's: a finding of a rule named like it is unaffected
        assertThat(AlertState.healthFingerprint("c", "broken")).isNotEqualTo(Fingerprint.of("broken", "c", null));
    }

    @Test
    void aReleasedClaimIsSentByTheNextRunButALaterClaimIsNotUndone() {
        Path f = dir.resolve("s.json");
        AlertState s = state(f);
        AlertState.Decision d = s.decide(List.of(finding("r", "u", T0)), Map.of(), "c", T0, T0);
        s.release(d); // nothing was delivered
        Instant t1 = T0.plusSeconds(300);
        AlertState.Decision again = state(f).decide(List.of(finding("r", "u", t1)), Map.of(), "c", t1, t1);
        assertThat(again.due()).hasSize(1);
        // releasing the older claim now must not undo the newer one
        s = state(f);
        FileStateStore store = FileStateStore.open(f);
        store.release(d.claims().get(0).fingerprint(), T0, null);
        assertThat(store.get(d.claims().get(0).fingerprint()).lastNotified()).isEqualTo(t1);
    }

    @Test
    void twoClaimsForOneFingerprintOnlyOneWins() {
        FileStateStore store = FileStateStore.open(dir.resolve("s.json"));
        store.observe("fp", "r", T0, T0, T0.plus(Duration.ofDays(7)));
        StateStore.Claim a = store.claim("fp", T0, T0.minus(Duration.ofHours(24)));
        StateStore.Claim b = store.claim("fp", T0.plusMillis(1), T0.minus(Duration.ofHours(24)));
        assertThat(a.won()).isTrue();
        assertThat(a.previous()).isNull();
        assertThat(b.won()).isFalse();
    }

    @Test
    void theFileIsWrittenAtomicallyAndKeepsNoLogContent() throws Exception {
        Path f = dir.resolve("s.json");
        state(f).decide(List.of(finding("r", "secret-user-name", T0)), Map.of(), "c", T0, T0);
        String text = Files.readString(f);
        assertThat(text).contains("\"version\" : 1").contains("\"ruleId\" : \"r\"").doesNotContain("secret-user-name");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("s.json"); // no temp file left
        }
        // expired entries are dropped when written
        Instant later = T0.plus(Duration.ofDays(8));
        state(f).decide(List.of(finding("other", null, later)), Map.of(), "c", later, later);
        assertThat(Files.readString(f)).doesNotContain("\"ruleId\" : \"r\"").contains("\"other\"");
    }

    /** Corrupt state is a located error, never a silent reset. */
    @Test
    void aCorruptFileIsALocatedErrorAndIsLeftAlone() throws Exception {
        String[][] cases = {
                {"{\"version\":1,\n \"entries\": {", ":2:"},
                {"[]", "expected a JSON object"},
                {"{\"version\":2,\"entries\":{}}", "\"version\" must be 1"},
                {"{\"version\":1,\"entries\":[]}", "\"entries\" must be an object"},
                {"{\"version\":1,\"entries\":{\"x\":{\"ruleId\":\"r\",\"count\":1,\"lastSeen\":\"2026-01-01T00:00:00Z\","
                        + "\"expiresAt\":\"2026-01-01T00:00:00Z\"}}}", "\"firstSeen\" is missing"},
                {"{\"version\":1,\"entries\":{\"x\":{\"ruleId\":\"r\",\"count\":-1}}}", "\"count\" must be"},
                {"{\"version\":1,\"entries\":{\"x\":{\"ruleId\":\"r\",\"count\":1,\"firstSeen\":\"yesterday\"}}}",
                        "\"firstSeen\" is not an ISO-8601 time"},
        };
        for (String[] c : cases) {
            Path f = dir.resolve("bad.json");
            Files.writeString(f, c[0]);
            assertThatThrownBy(() -> FileStateStore.open(f)).as(c[0]).isInstanceOf(StateException.class)
                    .hasMessageContaining(f.toString()).hasMessageContaining(c[1])
                    .hasMessageContaining("fix or remove it");
            assertThat(Files.readString(f)).isEqualTo(c[0]);
        }
    }

    @Test
    void theOverlaysRenotifyAfterIsThePeriodOfItsRuleAndOneRepeatOfItIsDueAfterIt() throws Exception {
        Path overrides = dir.resolve("overrides.yaml");
        Files.writeString(overrides, "secret-read-by-user:\n  renotifyAfter: 30m\n");
        io.ekslookout.rules.RuleSet set = io.ekslookout.rules.RuleLoader.loadDirectory(
                Path.of(System.getProperty("repo.root", "..")).resolve("rules"), overrides);
        Map<String, Duration> periods = AlertState.periodsOf(set.rules());
        assertThat(periods).containsExactly(Map.entry("secret-read-by-user", Duration.ofMinutes(30)));

        Path f = dir.resolve("overlay-state.json");
        AlertState state = new AlertState(FileStateStore.open(f), Duration.ofHours(24), periods);
        assertThat(state.renotifyAfter("secret-read-by-user")).isEqualTo(Duration.ofMinutes(30));
        assertThat(state.renotifyAfter("aws-auth-mutation")).isEqualTo(Duration.ofHours(24));
        Finding secrets = finding("secret-read-by-user", "eve", T0);
        Finding auth = finding("aws-auth-mutation", "eve", T0);
        assertThat(state.decide(List.of(secrets, auth), Map.of(), "prod", T0, T0).due()).hasSize(2);
        // 35 minutes later: the overlay's 30m period has passed for one rule, the default 24h not for the other
        Instant later = T0.plusSeconds(35 * 60);
        AlertState again = new AlertState(FileStateStore.open(f), Duration.ofHours(24), periods);
        AlertState.Decision d = again.decide(List.of(finding("secret-read-by-user", "eve", later),
                finding("aws-auth-mutation", "eve", later)), Map.of(), "prod", later, later);
        assertThat(d.due()).extracting(Finding::ruleId).containsExactly("secret-read-by-user");
        assertThat(d.repeats()).hasSize(1);
    }
}
