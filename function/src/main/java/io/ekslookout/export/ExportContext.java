package io.ekslookout.export;

/**
 * Where exported findings come from: what Security Hub, OCSF and EventBridge need beyond the finding itself.
 *
 * @param cluster  the cluster's name (for a --log-group target without a cluster, the log group)
 * @param logGroup the log group the rules ran on (for the console link)
 * @param region   the AWS region, or null when not known (a local scan without --region)
 * @param account  the AWS account id, or null when not known (OCSF output of a local scan): the account that
 *                 imports into Security Hub ({@code AwsAccountId}, the product ARN)
 * @param clusterAccounts cluster name → the account it runs in, for clusters of other accounts (read through
 *                 CloudWatch cross-account observability); a cluster not in it runs in {@code account}
 */
public record ExportContext(String cluster, String logGroup, String region, String account,
                            java.util.Map<String, String> clusterAccounts) {
    public ExportContext {
        clusterAccounts = clusterAccounts == null ? java.util.Map.of() : java.util.Map.copyOf(clusterAccounts);
    }

    public ExportContext(String cluster, String logGroup, String region, String account) {
        this(cluster, logGroup, region, account, java.util.Map.of());
    }

    /**
     * Where one finding comes from: its own cluster ({@link io.ekslookout.detect.Finding#cluster()}) and that
     * cluster's control-plane log group, or this context when the finding names no other cluster.
     */
    public ExportContext forFinding(io.ekslookout.detect.Finding f) {
        String c = f.cluster();
        if (c == null || c.equals(cluster)) {
            return this;
        }
        return new ExportContext(c, "/aws/eks/" + c + "/cluster", region, account, clusterAccounts);
    }

    /** The account the cluster runs in: its own for a cluster of a linked source account, else {@link #account}. */
    public String clusterAccount() {
        return clusterAccounts.getOrDefault(cluster, account);
    }

    /** The product name written into every export. */
    public static final String PRODUCT = "eks-lookout";
    /** The product version written into every export (the CLI's version). */
    public static final String VERSION = "0.1.0";

    /** The ARN partition of the region: aws, aws-cn or aws-us-gov. */
    public String partition() {
        if (region == null) {
            return "aws";
        }
        if (region.startsWith("cn-")) {
            return "aws-cn";
        }
        if (region.startsWith("us-gov-")) {
            return "aws-us-gov";
        }
        return "aws";
    }

    /** The cluster's ARN when region and account are known; else null. */
    public String clusterArn() {
        String owner = clusterAccount();
        if (region == null || owner == null) {
            return null;
        }
        return "arn:" + partition() + ":eks:" + region + ":" + owner + ":cluster/" + cluster;
    }

    /**
     * The account's default Security Hub product ARN: findings imported with it must carry this account as
     * AwsAccountId, and the IAM policy grants {@code securityhub:BatchImportFindings} on exactly this ARN.
     */
    public String productArn() {
        return "arn:" + partition() + ":securityhub:" + region + ":" + account + ":product/" + account + "/default";
    }
}
