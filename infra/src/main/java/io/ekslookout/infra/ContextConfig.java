package io.ekslookout.infra;

import io.ekslookout.settings.RunSettings;
import io.ekslookout.settings.Setting;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the app's settings from CDK context ({@code cdk.json} defaults, overridden with {@code -c key=value}) into
 * {@link EksLookoutProps}. Values from the command line arrive as strings, values from cdk.json as JSON (lists,
 * booleans, numbers); both are accepted. Every error names the key and what is expected.
 */
public final class ContextConfig {
    /** Every context key the app reads (cdk.json holds their defaults). */
    public static final List<String> KEYS = List.of("clusterName", "clusters", "alertEmails", "slackWorkspaceId",
            "slackChannelId", "schedule", "settleDelay", "lookback", "scanMode", "scanDelay", "minSeverity", "rulesDir",
            "functionJar",
            "enableControlPlaneLogging", "memorySize", "maxConcurrentQueries", "digestThreshold", "securityHub",
            "eventBus");

    /**
     * The context key of each setting of the shared check ({@link RunSettings}) that the app sets; the others
     * (the topic, which the stack creates, and the audit silence window) keep the function's defaults.
     */
    static final Map<Setting, String> KEY_OF = Collections.unmodifiableMap(new EnumMap<>(Map.of(
            Setting.CLUSTER_NAME, "clusterName",
            Setting.CLUSTERS, "clusters",
            Setting.PERIOD, "schedule",
            Setting.SETTLE_DELAY, "settleDelay",
            Setting.LOOKBACK, "lookback",
            Setting.SCAN_MODE, "scanMode",
            Setting.SCAN_DELAY, "scanDelay",
            Setting.MIN_SEVERITY, "minSeverity",
            Setting.MAX_CONCURRENT_QUERIES, "maxConcurrentQueries",
            Setting.DIGEST_THRESHOLD, "digestThreshold")));

    /** A setting's name in messages: its context key, or the function's variable when it has none. */
    static String key(Setting s) {
        return KEY_OF.getOrDefault(s, s.name());
    }

    private ContextConfig() {
    }

    /**
     * Builds props from a context lookup ({@code key -> value or null}); relative paths are resolved against
     * {@code baseDir} (the directory cdk runs the app from: the repository root).
     */
    public static EksLookoutProps read(Function<String, Object> context, Path baseDir) {
        EksLookoutProps.Builder b = EksLookoutProps.builder();
        b.clusterName(string(context, "clusterName"));
        // clusters: a list in cdk.json, or "a,b" on the command line; names and/or control-plane log group ARNs
        List<String> clusters = list(context, "clusters");
        b.clusters(clusters);
        b.alertEmails(list(context, "alertEmails"));
        b.slackWorkspaceId(string(context, "slackWorkspaceId"));
        b.slackChannelId(string(context, "slackChannelId"));
        // The run settings go through the check the Lambda applies to its environment: what it would refuse on
        // every run, synth refuses now, with every problem at once.
        Map<Setting, String> raw = new EnumMap<>(Setting.class);
        for (Map.Entry<Setting, String> e : KEY_OF.entrySet()) {
            if (e.getKey() == Setting.CLUSTERS) {
                if (!clusters.isEmpty()) raw.put(Setting.CLUSTERS, String.join(",", clusters));
                continue;
            }
            String v = text(context, e.getValue());
            if (v != null) raw.put(e.getKey(), v);
        }
        RunSettings.Checked checked = RunSettings.check(raw, ContextConfig::key);
        if (!checked.ok()) {
            throw ConfigException.of(checked.problems());
        }
        RunSettings run = checked.settings();
        b.schedule(run.period());
        b.settleDelay(run.settleDelay());
        b.lookback(run.lookback());
        b.scanMode(run.scanMode());
        b.scanDelay(run.scanDelay());
        b.minSeverity(run.minSeverity());
        b.maxConcurrentQueries(run.maxConcurrentQueries());
        b.digestThreshold(run.digestThreshold());
        String rules = string(context, "rulesDir");
        b.rulesDir(shown(baseDir.resolve(rules == null ? "rules" : rules)));
        String jar = string(context, "functionJar");
        b.functionJar(shown(baseDir.resolve(jar == null ? "function/target/eks-lookout.jar" : jar)));
        Boolean logging = bool(context, "enableControlPlaneLogging");
        if (logging != null) b.enableControlPlaneLogging(logging);
        Boolean hub = bool(context, "securityHub");
        if (hub != null) b.securityHub(hub);
        b.eventBus(string(context, "eventBus"));
        Integer memory = integer(context, "memorySize");
        if (memory != null) b.memorySize(memory);
        return b.build();
    }

    /**
     * Catches misspelt settings ({@code -c alertEmail=...}, {@code -c clustername=...}): a context key that is not
     * one of {@link #KEYS} but is within two edits of one fails with a suggestion, instead of being ignored.
     */
    public static void checkKeys(Iterable<String> contextKeys) {
        for (String given : contextKeys) {
            if (KEYS.contains(given) || given.startsWith("@") || given.startsWith("aws:") || given.contains(":")) {
                continue;
            }
            for (String known : KEYS) {
                if (distance(given.toLowerCase(Locale.ROOT), known.toLowerCase(Locale.ROOT)) <= 2) {
                    throw new ConfigException(given, "unknown setting; did you mean " + known + "?");
                }
            }
        }
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    /** A path as messages should show it: relative to the working directory when inside it (rules/x.yaml:3:1). */
    static Path shown(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        return abs.startsWith(cwd) && !abs.equals(cwd) ? cwd.relativize(abs) : abs;
    }

    static String string(Function<String, Object> context, String key) {
        Object v = context.apply(key);
        if (v == null) {
            return null;
        }
        if (v instanceof String || v instanceof Number) {
            String s = v.toString().trim();
            return s.isEmpty() ? null : s;
        }
        throw new ConfigException(key, "expected a string, got " + describe(v));
    }

    static List<String> list(Function<String, Object> context, String key) {
        Object v = context.apply(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (v instanceof List<?> l) {
            for (Object o : l) {
                if (!(o instanceof String s)) {
                    throw new ConfigException(key, "expected a list of strings, got an element " + describe(o));
                }
                if (!s.isBlank()) out.add(s.trim());
            }
            return out;
        }
        if (v instanceof String s) {
            String t = s.trim();
            if (t.startsWith("[")) {
                throw new ConfigException(key, "expected comma-separated values on the command line"
                        + " (-c " + key + "=a@example.com,b@example.com), got " + describe(v));
            }
            for (String part : t.split("[,;]")) {
                if (!part.isBlank()) out.add(part.trim());
            }
            return out;
        }
        throw new ConfigException(key, "expected a list of strings or a comma-separated string, got " + describe(v));
    }

    /**
     * A value as text for the settings check: strings trimmed, whole JSON numbers without a fraction (cdk.json's
     * {@code "digestThreshold": 10} or {@code 10.0}); null when absent or blank.
     */
    static String text(Function<String, Object> context, String key) {
        Object v = context.apply(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) < 1e15) {
            return Long.toString(n.longValue());
        }
        if (v instanceof String || v instanceof Number) {
            String s = v.toString().trim();
            return s.isEmpty() ? null : s;
        }
        throw new ConfigException(key, "expected a single value, got " + describe(v));
    }

    static Boolean bool(Function<String, Object> context, String key) {
        Object v = context.apply(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true": return true;
                case "false": return false;
                default: break;
            }
        }
        throw new ConfigException(key, "expected true or false, got " + describe(v));
    }

    static Integer integer(Function<String, Object> context, String key) {
        String v = text(context, key);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "expected a whole number, got " + describe(context.apply(key)));
        }
    }

    private static String describe(Object v) {
        return v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
    }
}
