package io.ekslookout.settings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One cluster to watch, as given in the settings ({@code CLUSTERS}, the CDK context {@code clusters}, the CLI's
 * {@code --cluster}): a cluster name, read from its control-plane log group {@code /aws/eks/<name>/cluster} in this
 * account, or the ARN of such a log group,
 * {@code arn:aws:logs:<region>:<account>:log-group:/aws/eks/<name>/cluster}, for a cluster of another account
 * linked to this one (a CloudWatch cross-account observability monitoring account). Pure: no AWS calls.
 *
 * @param name     the EKS cluster name (what findings, messages and reports call it)
 * @param logGroup its control-plane log group name
 * @param arn      the log group ARN when given as one (StartQuery then takes it in {@code logGroupIdentifiers}),
 *                 else null
 * @param account  the account of an ARN, else null (this account)
 * @param region   the region of an ARN, else null (this region)
 */
public record ClusterSource(String name, String logGroup, String arn, String account, String region) {
    /** An EKS cluster name. */
    public static final Pattern NAME = Pattern.compile("[0-9A-Za-z][A-Za-z0-9\\-_]{0,99}");
    /** A control-plane log group ARN (an optional trailing {@code :*}, as the console copies it, is dropped). */
    private static final Pattern ARN = Pattern.compile(
            "arn:(aws[a-z-]*):logs:([a-z]{2}(?:-[a-z]+)+-\\d):(\\d{12}):log-group:/aws/eks/([^/:]+)/cluster(?::\\*)?");
    /** The most clusters one deployment watches (its IAM policy names each log group; see docs/deploying.md). */
    public static final int MAX = 100;

    /**
     * Parses one entry.
     *
     * @throws IllegalArgumentException saying what was expected (the caller adds where the entry was)
     */
    public static ClusterSource parse(String entry) {
        String e = entry == null ? "" : entry.trim();
        if (e.startsWith("arn:")) {
            Matcher m = ARN.matcher(e);
            if (!m.matches()) {
                throw new IllegalArgumentException("expected a control-plane log group ARN"
                        + " arn:aws:logs:<region>:<12-digit account>:log-group:/aws/eks/<cluster>/cluster, got '"
                        + shown(e) + "'");
            }
            String name = m.group(4);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("the cluster name in '" + shown(e) + "' is not an EKS cluster name"
                        + " (letters, digits, '-' and '_', starting with a letter or digit, at most 100 characters)");
            }
            String group = "/aws/eks/" + name + "/cluster";
            return new ClusterSource(name, group, "arn:" + m.group(1) + ":logs:" + m.group(2) + ":" + m.group(3)
                    + ":log-group:" + group, m.group(3), m.group(2));
        }
        if (!NAME.matcher(e).matches()) {
            throw new IllegalArgumentException("expected an EKS cluster name (letters, digits, '-' and '_', starting"
                    + " with a letter or digit, at most 100 characters) or a log group ARN"
                    + " arn:aws:logs:<region>:<account>:log-group:/aws/eks/<cluster>/cluster, got '" + shown(e) + "'");
        }
        return new ClusterSource(e, "/aws/eks/" + e + "/cluster", null, null, null);
    }

    /** The outcome of {@link #parseList}: the clusters, or every problem (each naming its entry). */
    public record Parsed(List<ClusterSource> clusters, List<String> problems) {
    }

    /**
     * Parses a list given as one text: entries separated by commas (and/or whitespace). Every bad entry is one
     * problem naming its position and text; so is a cluster named twice, an empty list and a list over {@link #MAX}.
     */
    public static Parsed parseList(String text) {
        List<String> entries = new ArrayList<>();
        for (String part : (text == null ? "" : text).split("[,\\s]+")) {
            if (!part.isBlank()) {
                entries.add(part.trim());
            }
        }
        return parseEntries(entries);
    }

    /** As {@link #parseList}, for entries already separated. */
    public static Parsed parseEntries(List<String> entries) {
        List<ClusterSource> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        if (entries.isEmpty()) {
            problems.add("expected at least one cluster name or log group ARN, got none");
        }
        if (entries.size() > MAX) {
            problems.add("at most " + MAX + " clusters per deployment (its IAM policy names each log group), got "
                    + entries.size() + "; deploy another stack for the rest");
        }
        for (int i = 0; i < entries.size(); i++) {
            String where = "entry " + (i + 1) + " of " + entries.size();
            try {
                ClusterSource c = ClusterSource.parse(entries.get(i));
                Integer before = seen.putIfAbsent(c.name(), i + 1);
                if (before != null) {
                    problems.add(where + ": cluster '" + c.name() + "' is already entry " + before + " (a cluster is"
                            + " watched once; two clusters of one name in two accounts need two deployments)");
                    continue;
                }
                out.add(c);
            } catch (IllegalArgumentException e) {
                problems.add(where + ": " + e.getMessage());
            }
        }
        return new Parsed(problems.isEmpty() ? List.copyOf(out) : List.of(), List.copyOf(problems));
    }

    /**
     * What a deployment of these clusters is called (its stack, alarms and the run's metrics dimension): the one
     * cluster's name, or the first's and how many more ({@code prod-and-2-more}).
     */
    public static String label(List<ClusterSource> clusters) {
        if (clusters.isEmpty()) {
            return "";
        }
        String first = clusters.get(0).name();
        return clusters.size() == 1 ? first : first + "-and-" + (clusters.size() - 1) + "-more";
    }

    /** What StartQuery and DescribeLogStreams take for it: the ARN when given, else the log group name. */
    public String identifier() {
        return arn != null ? arn : logGroup;
    }

    /** The entry as written in settings: the ARN when given, else the name. */
    public String entry() {
        return arn != null ? arn : name;
    }

    private static String shown(String s) {
        String t = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        StringBuilder sb = new StringBuilder();
        t.codePoints().forEach(c -> sb.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return sb.toString();
    }
}
