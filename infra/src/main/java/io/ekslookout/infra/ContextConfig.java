package io.ekslookout.infra;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the app's settings from CDK context ({@code cdk.json} defaults, overridden with {@code -c key=value}) into
 * {@link EksLookoutProps}. Values from the command line arrive as strings, values from cdk.json as JSON (lists,
 * booleans, numbers); both are accepted. Every error names the key and what is expected.
 */
public final class ContextConfig {
    /** Every context key the app reads (cdk.json holds their defaults). */
    public static final List<String> KEYS = List.of("clusterName", "alertEmails", "slackWorkspaceId", "slackChannelId",
            "schedule", "settleDelay", "lookback", "minSeverity", "rulesDir", "functionJar",
            "enableControlPlaneLogging", "memorySize", "maxConcurrentQueries", "digestThreshold");

    private static final Pattern SHORT_DURATION = Pattern.compile(
            "(\\d+)\\s*(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?|d|days?)");

    private ContextConfig() {
    }

    /**
     * Builds props from a context lookup ({@code key -> value or null}); relative paths are resolved against
     * {@code baseDir} (the directory cdk runs the app from: the repository root).
     */
    public static EksLookoutProps read(Function<String, Object> context, Path baseDir) {
        EksLookoutProps.Builder b = EksLookoutProps.builder();
        b.clusterName(string(context, "clusterName"));
        b.alertEmails(list(context, "alertEmails"));
        b.slackWorkspaceId(string(context, "slackWorkspaceId"));
        b.slackChannelId(string(context, "slackChannelId"));
        Duration schedule = duration(context, "schedule");
        if (schedule != null) b.schedule(schedule);
        Duration settle = duration(context, "settleDelay");
        if (settle != null) b.settleDelay(settle);
        Duration lookback = duration(context, "lookback");
        if (lookback != null) b.lookback(lookback);
        String severity = string(context, "minSeverity");
        if (severity != null) b.minSeverity(severity.toLowerCase(Locale.ROOT));
        String rules = string(context, "rulesDir");
        b.rulesDir(shown(baseDir.resolve(rules == null ? "rules" : rules)));
        String jar = string(context, "functionJar");
        b.functionJar(shown(baseDir.resolve(jar == null ? "function/target/eks-lookout.jar" : jar)));
        Boolean logging = bool(context, "enableControlPlaneLogging");
        if (logging != null) b.enableControlPlaneLogging(logging);
        Integer memory = integer(context, "memorySize");
        if (memory != null) b.memorySize(memory);
        Integer queries = integer(context, "maxConcurrentQueries");
        if (queries != null) b.maxConcurrentQueries(queries);
        Integer digest = integer(context, "digestThreshold");
        if (digest != null) b.digestThreshold(digest);
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

    static Duration duration(Function<String, Object> context, String key) {
        Object v = context.apply(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw new ConfigException(key, "expected a duration such as 5m, 2 minutes or PT5M, got " + describe(v));
        }
        return parseDuration(key, s.trim());
    }

    /** ISO-8601 ({@code PT5M}) or a number and a unit ({@code 90s}, {@code 5m}, {@code 5 minutes}, {@code 1h}, {@code 1d}). */
    static Duration parseDuration(String key, String s) {
        if (s.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(s.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                // fall through to the error below
            }
        } else {
            Matcher m = SHORT_DURATION.matcher(s.toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2).charAt(0)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
        }
        throw new ConfigException(key, "expected a duration such as 5m, 2 minutes or PT5M, got \"" + s + "\"");
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
        Object v = context.apply(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new ConfigException(key, "expected a whole number, got " + describe(v));
    }

    private static String describe(Object v) {
        return v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
    }
}
