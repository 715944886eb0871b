package io.ekslookout.state;

import io.ekslookout.detect.Finding;
import io.ekslookout.export.Fingerprint;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides, across runs, which findings are news. Every finding is recorded (first/last seen, count) by its
 * {@link Fingerprint}; a finding is <em>due</em> (SNS, EventBridge, the CLI's output) when it was never notified or
 * was last notified at least {@link #renotifyAfter(String)} ago, and a <em>repeat</em> otherwise: counted, still
 * sent to Security Hub (which updates the same finding's LastObservedAt), but not sent again. A rule that fails
 * every run gets its health message once per period the same way, by the fingerprint of (health, cluster, rule).
 *
 * <p>Notifying is claimed <em>before</em> publishing, with the store's conditional write: of two runs racing on one
 * fingerprint (a retried tick, two scans) exactly one wins, so nothing is sent twice. When the run then reaches no
 * channel at all, the caller {@link #release releases} its claims (a conditional write that leaves a later run's
 * claim alone) and the next run or retry sends them again. When only part of a run's messages go out, the claims
 * stay: a retry does not repeat what was delivered, and what failed is named in the run's errors and health message
 * and is sent again after the period. At most once per period wins over at least once, because a retried tick that
 * re-mails a whole digest is the very noise this class exists to stop.
 */
public final class AlertState {
    /** The default re-notification period. */
    public static final Duration DEFAULT_RENOTIFY = Duration.ofHours(24);
    /** Entries live at least this long after they were last seen (DynamoDB TTL, file pruning). */
    public static final Duration MIN_RETENTION = Duration.ofDays(7);
    static final String HEALTH = "eks-lookout/health";

    private final StateStore store;
    private final Duration defaultRenotify;
    private final Map<String, Duration> perRule;

    /**
     * @param perRule re-notification periods of single rules (rule id → period); the others use {@code defaultPeriod}
     */
    public AlertState(StateStore store, Duration defaultPeriod, Map<String, Duration> perRule) {
        if (defaultPeriod.isNegative()) {
            throw new IllegalArgumentException("renotifyAfter must not be negative");
        }
        this.store = store;
        this.defaultRenotify = defaultPeriod;
        this.perRule = Map.copyOf(perRule);
    }

    public AlertState(StateStore store) {
        this(store, DEFAULT_RENOTIFY, Map.of());
    }

    /** The one place that says how long a rule's finding stays quiet after a notification. */
    public Duration renotifyAfter(String ruleId) {
        return perRule.getOrDefault(ruleId, defaultRenotify);
    }

    /** The per-rule periods the rules set (the tuning overlay's {@code renotifyAfter}), by rule id. */
    public static Map<String, Duration> periodsOf(java.util.Collection<io.ekslookout.rules.Rule> rules) {
        Map<String, Duration> out = new java.util.LinkedHashMap<>();
        for (io.ekslookout.rules.Rule r : rules) {
            if (r.renotifyAfter() != null) {
                out.put(r.id(), r.renotifyAfter());
            }
        }
        return out;
    }

    /** A finding seen again inside its period, with what the state knows about it. */
    public record Repeat(Finding finding, String fingerprint, StateEntry entry) {
    }

    /** A claim this run holds, to give back when nothing went out. */
    public record Held(String fingerprint, Instant claimedAt, Instant previous) {
    }

    /**
     * What to do with one run.
     *
     * @param due          findings to notify (SNS, EventBridge, printed)
     * @param repeats      findings inside their period: counted, not notified
     * @param dueErrors    failed rules whose health message is due
     * @param quietErrors  failed rules whose health message went out inside the period
     * @param claims       the claims this run holds
     */
    public record Decision(List<Finding> due, List<Repeat> repeats, Map<String, String> dueErrors,
                           Map<String, String> quietErrors, List<Held> claims) {
        public Decision {
            due = List.copyOf(due);
            repeats = List.copyOf(repeats);
            dueErrors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(dueErrors));
            quietErrors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(quietErrors));
            claims = List.copyOf(claims);
        }
    }

    /**
     * Records this run's findings and failed rules and claims those that are due.
     *
     * @param windowEnd the end of the scanned window (a window is counted once)
     */
    public Decision decide(List<Finding> findings, Map<String, String> ruleErrors, String cluster, Instant windowEnd,
                           Instant now) {
        List<Finding> due = new ArrayList<>();
        List<Repeat> repeats = new ArrayList<>();
        List<Held> claims = new ArrayList<>();
        for (Finding f : findings) {
            String fp = Fingerprint.of(f, cluster);
            Duration period = renotifyAfter(f.ruleId());
            StateEntry e = store.observe(fp, f.ruleId(), windowEnd, now, expiry(now, period));
            StateStore.Claim c = store.claim(fp, now, now.minus(period));
            if (c.won()) {
                due.add(f);
                claims.add(new Held(fp, now, c.previous()));
            } else {
                repeats.add(new Repeat(f, fp, e));
            }
        }
        Map<String, String> dueErrors = new LinkedHashMap<>();
        Map<String, String> quietErrors = new LinkedHashMap<>();
        ruleErrors.forEach((ruleId, error) -> {
            String fp = healthFingerprint(cluster, ruleId);
            Duration period = renotifyAfter(ruleId);
            store.observe(fp, "health:" + ruleId, windowEnd, now, expiry(now, period));
            StateStore.Claim c = store.claim(fp, now, now.minus(period));
            if (c.won()) {
                dueErrors.put(ruleId, error);
                claims.add(new Held(fp, now, c.previous()));
            } else {
                quietErrors.put(ruleId, error);
            }
        });
        store.flush();
        return new Decision(due, repeats, dueErrors, quietErrors, claims);
    }

    /** Gives back every claim of a run that reached no channel, so the next run or the retry sends them. */
    public void release(Decision d) {
        for (Held h : d.claims()) {
            store.release(h.fingerprint(), h.claimedAt(), h.previous());
        }
        store.flush();
    }

    /** The fingerprint of a rule's health message on a cluster. */
    public static String healthFingerprint(String cluster, String ruleId) {
        return Fingerprint.of(HEALTH, cluster, ruleId);
    }

    static Instant expiry(Instant now, Duration period) {
        return now.plus(period.compareTo(MIN_RETENTION) > 0 ? period : MIN_RETENTION);
    }
}
