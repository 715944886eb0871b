package io.ekslookout.aws;

/**
 * The log group the detector reads, and the EKS cluster it belongs to when known.
 *
 * @param logGroup the CloudWatch Logs group name
 * @param cluster  the EKS cluster name, or null when only a log group was given
 * @param arn      the log group's ARN when it was given as one (a cluster of a linked source account, read from a
 *                 CloudWatch cross-account observability monitoring account), else null
 */
public record LogTarget(String logGroup, String cluster, String arn) {
    public LogTarget {
        if (logGroup == null || logGroup.isBlank()) {
            throw new IllegalArgumentException("a log group name is required");
        }
    }

    public LogTarget(String logGroup, String cluster) {
        this(logGroup, cluster, null);
    }

    /** The target of a configured cluster (a name, or a log group ARN of another account). */
    public static LogTarget of(io.ekslookout.settings.ClusterSource c) {
        return new LogTarget(c.logGroup(), c.name(), c.arn());
    }

    /** What StartQuery ({@code logGroupIdentifiers}) and DescribeLogStreams take: the ARN when given, else the name. */
    public String identifier() {
        return arn != null ? arn : logGroup;
    }

    /** The account of an ARN target (12 digits), else null (the caller's own account). */
    public String account() {
        if (arn == null) {
            return null;
        }
        String[] parts = arn.split(":", 6);
        return parts.length > 4 ? parts[4] : null;
    }

    /** The control-plane log group EKS writes to: {@code /aws/eks/<cluster>/cluster}. */
    public static LogTarget forCluster(String cluster) {
        return new LogTarget("/aws/eks/" + cluster + "/cluster", cluster);
    }

    public static LogTarget forLogGroup(String logGroup) {
        String cluster = null;
        if (logGroup.startsWith("/aws/eks/") && logGroup.endsWith("/cluster")) {
            String mid = logGroup.substring("/aws/eks/".length(), logGroup.length() - "/cluster".length());
            if (!mid.isEmpty() && !mid.contains("/")) {
                cluster = mid;
            }
        }
        return new LogTarget(logGroup, cluster);
    }

    /** A short name for messages: the cluster, else the log group. */
    public String displayName() {
        return cluster != null ? cluster : logGroup;
    }

    /** The one clear error for a missing log group, with how to fix it. */
    public String missingLogGroupMessage() {
        if (cluster == null) {
            return "log group " + logGroup + " not found (check the name and the region)";
        }
        return "control-plane logging is not enabled for cluster " + cluster + " (log group " + logGroup
                + " not found). Enable it with: aws eks update-cluster-config --name " + cluster
                + " --logging '{\"clusterLogging\":[{\"types\":[\"api\",\"audit\",\"authenticator\","
                + "\"controllerManager\",\"scheduler\"],\"enabled\":true}]}' (or in the console: EKS > cluster > "
                + "Observability > Control plane logging), and check the detector runs in the cluster's region";
    }
}
