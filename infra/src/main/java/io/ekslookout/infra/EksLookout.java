package io.ekslookout.infra;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Acknowledgment;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.customresources.AwsCustomResource;
import software.amazon.awscdk.customresources.AwsCustomResourcePolicy;
import software.amazon.awscdk.customresources.AwsSdkCall;
import software.amazon.awscdk.customresources.PhysicalResourceId;
import software.amazon.awscdk.services.chatbot.LoggingLevel;
import software.amazon.awscdk.services.chatbot.SlackChannelConfiguration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.ApplicationLogLevel;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.SystemLogLevel;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import io.ekslookout.settings.ClusterSource;
import software.constructs.Construct;

/**
 * eks-lookout as one construct, laid out like the architecture:
 *
 * <pre>
 *  EventBridge rule (every period) --async, retries--> Lambda alias "live" (SnapStart version, concurrency 1)
 *        |  failed deliveries                               |  Logs Insights: StartQuery on /aws/eks/&lt;cluster&gt;/cluster
 *        v                                                  v
 *   SQS dead-letter queue  &lt;--failed runs--           findings --&gt; SNS topic (KMS) --&gt; email, Slack (AWS Chatbot)
 *                                                                     ^
 *   CloudWatch alarms (errors, throttles, not running, DLQ, RuleErrors) --+
 * </pre>
 *
 * The rules in {@link EksLookoutProps#rulesDir()} are validated while the construct is built (a bad rule fails
 * synth with file:line:column) and travel inside the function's asset.
 */
public class EksLookout extends Construct {
    /** Lambda handler (see the function module). */
    public static final String HANDLER = EksLookoutProps.HANDLER_CLASS + "::handleRequest";
    /** Namespace of the detector's own EMF metrics. */
    public static final String METRICS_NAMESPACE = "EksLookout";
    /** Control-plane log types the detector reads. */
    public static final List<String> LOG_TYPES = List.of("api", "audit", "authenticator", "controllerManager", "scheduler");

    private final Key topicKey;
    private final Table stateTable;
    private final Topic topic;
    private final Queue deadLetterQueue;
    private final LogGroup functionLogs;
    private final Role functionRole;
    private final Function function;
    private final Alias alias;
    private final Rule schedule;
    private final List<Alarm> alarms = new ArrayList<>();
    private final SlackChannelConfiguration slack;
    private final int ruleCount;

    public EksLookout(Construct scope, String id, EksLookoutProps props) {
        super(scope, id);
        String cluster = props.clusterName();

        // Rules first: a bad rule stops synth before anything else is built.
        this.ruleCount = RuleCheck.validate(props.rulesDir());
        if (ruleCount == 0) {
            throw new ConfigException("rulesDir", "no rule files (*.yaml) in " + props.rulesDir()
                    + ": the detector would run and never find anything");
        }
        Path asset = LambdaBundle.stage(props.functionJar(), props.rulesDir());

        // --- Alerts: a KMS-encrypted topic, email and Slack subscribers.
        this.topicKey = Key.Builder.create(this, "TopicKey")
                .description("eks-lookout: encrypts the alert topic of EKS cluster " + cluster)
                .enableKeyRotation(true)
                .pendingWindow(Duration.days(7))
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        // CloudWatch alarms publish to the encrypted topic, so the alarm service must be able to use the key.
        topicKey.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowCloudWatchAlarmsToPublish")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
                .resources(List.of("*"))
                .build());
        this.topic = Topic.Builder.create(this, "Alerts")
                .displayName("eks-lookout " + cluster)
                .masterKey(topicKey)
                .enforceSsl(true)
                .build();
        for (String email : props.alertEmails()) {
            topic.addSubscription(new EmailSubscription(email));
        }
        if (props.slackEnabled()) {
            this.slack = SlackChannelConfiguration.Builder.create(this, "Slack")
                    .slackChannelConfigurationName("eks-lookout-" + cluster) // unique per account, <= 112 chars
                    .slackWorkspaceId(props.slackWorkspaceId())
                    .slackChannelId(props.slackChannelId())
                    .notificationTopics(List.of(topic))
                    // Channel members can never do more than read, whatever role they use.
                    .guardrailPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("ReadOnlyAccess")))
                    .loggingLevel(LoggingLevel.ERROR)
                    .build();
        } else {
            this.slack = null;
        }

        // --- The function: its log group, dead-letter queue and a least-privilege role.
        this.functionLogs = LogGroup.Builder.create(this, "FunctionLogs")
                .retention(RetentionDays.THREE_MONTHS)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        this.deadLetterQueue = Queue.Builder.create(this, "DeadLetters")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        this.functionRole = Role.Builder.create(this, "FunctionRole")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("eks-lookout detector for EKS cluster " + cluster + ": query its control-plane logs, publish alerts")
                .build();
        // StartQuery runs the rules; DescribeLogStreams is the free audit-health check (is audit logging still on?).
        // Exactly the clusters' log groups: this account's by name, a linked source account's by its ARN.
        grantClusterLogs(props.clusters());
        functionRole.addToPolicy(statement("ReadOwnQueries", List.of("logs:GetQueryResults", "logs:StopQuery"),
                List.of("*")));
        functionRole.addToPolicy(statement("PublishAlerts", List.of("sns:Publish"), List.of(topic.getTopicArn())));
        functionRole.addToPolicy(statement("EncryptAlerts", List.of("kms:Decrypt", "kms:GenerateDataKey"),
                List.of(topicKey.getKeyArn())));
        if (props.securityHub()) {
            // Only the account's own default product: findings about this account, nothing else.
            functionRole.addToPolicy(statement("ImportFindings", List.of("securityhub:BatchImportFindings"),
                    List.of(securityHubProductArn())));
        }
        if (props.eventBus() != null) {
            functionRole.addToPolicy(statement("SendFindingEvents", List.of("events:PutEvents"),
                    List.of(eventBusArn(props.eventBus()))));
        }
        // Alert state across runs: one item per finding fingerprint, read and conditionally updated, nothing else.
        this.stateTable = Table.Builder.create(this, "AlertState")
                .partitionKey(Attribute.builder().name(io.ekslookout.aws.DynamoStateStore.KEY)
                        .type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .timeToLiveAttribute("expiresAt")
                .encryption(TableEncryption.AWS_MANAGED)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        functionRole.addToPolicy(statement("KeepAlertState", List.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
                List.of(stateTable.getTableArn())));
        functionRole.addToPolicy(statement("WriteOwnLogs", List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                List.of(functionLogs.getLogGroupArn())));

        this.function = Function.Builder.create(this, "Function")
                .description("eks-lookout: detection rules (" + ruleCount + ") over the control-plane logs of EKS cluster " + cluster)
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .code(Code.fromAsset(asset.toString()))
                .handler(HANDLER)
                .memorySize(props.memorySize())
                .timeout(Duration.seconds(props.functionTimeout().toSeconds()))
                .role(functionRole)
                .reservedConcurrentExecutions(1)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .logGroup(functionLogs)
                .loggingFormat(LoggingFormat.JSON)
                .applicationLogLevelV2(ApplicationLogLevel.INFO)
                .systemLogLevelV2(SystemLogLevel.WARN)
                .deadLetterQueue(deadLetterQueue)
                .environment(environment(props, topic.getTopicArn(), stateTable.getTableName()))
                .build();
        this.alias = Alias.Builder.create(this, "Live")
                .aliasName("live")
                .version(function.getCurrentVersion())
                .retryAttempts(2)
                .maxEventAge(Duration.hours(1))
                .build();

        // --- The schedule: every period, retried, undeliverable events kept in the dead-letter queue.
        this.schedule = Rule.Builder.create(this, "Schedule")
                .description("eks-lookout: scan EKS cluster " + cluster + " every " + props.schedule().toMinutes() + " min")
                .schedule(Schedule.rate(Duration.minutes(props.schedule().toMinutes())))
                .targets(List.of(new LambdaFunction(alias, LambdaFunctionProps.builder()
                        .retryAttempts(4)
                        .maxEventAge(Duration.hours(1))
                        .deadLetterQueue(deadLetterQueue)
                        .build())))
                .build();

        // --- Alarms on the detector itself, to the same topic: a detector that silently stops is worse than none.
        Duration period = Duration.minutes(Math.max(5, props.schedule().toMinutes()));
        MetricOptions sum = MetricOptions.builder().period(period).statistic("Sum").build();
        alarm("FunctionErrors", function.metricErrors(sum), ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                TreatMissingData.NOT_BREACHING,
                "eks-lookout runs for cluster " + cluster + " are failing: detections are not happening. Check the"
                        + " function's log group.");
        alarm("FunctionThrottles", function.metricThrottles(sum), ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                TreatMissingData.NOT_BREACHING,
                "eks-lookout runs for cluster " + cluster + " are throttled: a run took longer than the schedule"
                        + " period. Runs are retried; consider a longer period or fewer/cheaper rules.");
        long silentMinutes = Math.min(24 * 60, props.schedule().toMinutes() * 3);
        alarm("NotRunning", function.metricInvocations(MetricOptions.builder()
                        .period(Duration.minutes(Math.max(5, silentMinutes))).statistic("Sum").build()),
                ComparisonOperator.LESS_THAN_THRESHOLD, TreatMissingData.BREACHING,
                "eks-lookout for cluster " + cluster + " has not run for " + silentMinutes + " minutes: check that the"
                        + " schedule rule is enabled.");
        alarm("DeadLetters", deadLetterQueue.metricApproximateNumberOfMessagesVisible(MetricOptions.builder()
                        .period(Duration.minutes(5)).statistic("Maximum").build()),
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, TreatMissingData.NOT_BREACHING,
                "eks-lookout for cluster " + cluster + " dropped a run after all retries (message in the dead-letter"
                        + " queue): that window was not scanned. The message holds the scheduled event; its time identifies the"
                        + " window. Invoke the alias 'live' with it to rescan, then purge the queue.");
        alarm("RuleErrors", Metric.Builder.create()
                        .namespace(METRICS_NAMESPACE)
                        .metricName("RuleErrors")
                        .dimensionsMap(Map.of("Cluster", cluster))
                        .statistic("Sum")
                        .period(period)
                        .build(),
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, TreatMissingData.NOT_BREACHING,
                "eks-lookout rules failed for cluster " + cluster + " (a query error or timeout): those rules did not"
                        + " run. The function's log names the rule and the error.");

        // The topic policy replaces SNS's default one, so the alarms (and only these alarms) are allowed explicitly.
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("AllowTheseAlarmsToPublish")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(Map.of("ArnEquals", Map.of("aws:SourceArn",
                        alarms.stream().map(Alarm::getAlarmArn).toList())))
                .build());

        if (props.enableControlPlaneLogging()) {
            // only this account's clusters: a linked source account turns its clusters' logs on itself
            List<ClusterSource> own = props.clusters().stream().filter(c -> c.arn() == null).toList();
            for (ClusterSource c : own) {
                enableControlPlaneLogging(c.name(), own.size() == 1 ? "" : c.name());
            }
        }
        acknowledgeFindings();
    }

    /** The account's default Security Hub product, the only one the function may import findings into. */
    static String securityHubProductArn() {
        return "arn:" + Aws.PARTITION + ":securityhub:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":product/"
                + Aws.ACCOUNT_ID + "/default";
    }

    /** The bus's ARN: as given when it is one, else the named bus ('default' included) of this account. */
    static String eventBusArn(String bus) {
        if (bus.startsWith("arn:")) {
            return bus;
        }
        return "arn:" + Aws.PARTITION + ":events:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":event-bus/" + bus;
    }

    private static PolicyStatement statement(String sid, List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().sid(sid).actions(actions).resources(resources).build();
    }

    /** The function's environment, exactly the variables the handler reads (see COMMON.md). */
    static Map<String, String> environment(EksLookoutProps props, String topicArn, String stateTable) {
        Map<String, String> env = new LinkedHashMap<>();
        List<ClusterSource> clusters = props.clusters();
        if (clusters.size() == 1 && clusters.get(0).arn() == null) {
            env.put("CLUSTER_NAME", clusters.get(0).name());
        } else {
            env.put("CLUSTERS", String.join(",", clusters.stream().map(ClusterSource::entry).toList()));
        }
        env.put("TOPIC_ARN", topicArn);
        env.put("RULES_DIR", LambdaBundle.RULES_IN_TASK);
        env.put("PERIOD", props.schedule().toString());
        env.put("SETTLE_DELAY", props.settleDelay().toString());
        env.put("LOOKBACK", props.lookback().toString());
        env.put("SCAN_MODE", props.scanMode().label());
        env.put("SCAN_DELAY", props.scanDelay().toString());
        env.put("MIN_SEVERITY", props.minSeverity());
        env.put("MAX_CONCURRENT_QUERIES", Integer.toString(props.maxConcurrentQueries()));
        env.put("DIGEST_THRESHOLD", Integer.toString(props.digestThreshold()));
        if (props.securityHub()) {
            env.put("SECURITY_HUB", "true");
        }
        if (props.eventBus() != null) {
            env.put("EVENT_BUS", props.eventBus());
        }
        env.put("STATE_TABLE", stateTable);
        return env;
    }

    private void alarm(String id, IMetric metric, ComparisonOperator op, TreatMissingData missing, String description) {
        Alarm a = Alarm.Builder.create(this, id + "Alarm")
                .metric(metric)
                .threshold(1)
                .evaluationPeriods(1)
                .comparisonOperator(op)
                .treatMissingData(missing)
                .alarmDescription(description)
                .build();
        a.addAlarmAction(new SnsAction(topic));
        alarms.add(a);
    }

    /** Turns on the cluster's control-plane logs (nothing to read without them), allowed on this cluster only. */
    private void enableControlPlaneLogging(String cluster, String idSuffix) {
        String clusterArn = "arn:" + Aws.PARTITION + ":eks:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":cluster/" + cluster;
        AwsSdkCall enable = AwsSdkCall.builder()
                .service("EKS")
                .action("updateClusterConfig")
                .parameters(Map.of(
                        "name", cluster,
                        "logging", Map.of("clusterLogging", List.of(Map.of("types", LOG_TYPES, "enabled", true)))))
                .physicalResourceId(PhysicalResourceId.of("eks-lookout-control-plane-logging-" + cluster))
                // EKS answers InvalidParameterException "No changes needed" when the logs are already on.
                .ignoreErrorCodesMatching("InvalidParameterException")
                .build();
        // The provider Lambda gets its own log group and a role that can write there and update this one cluster.
        LogGroup providerLogs = LogGroup.Builder.create(this, "ControlPlaneLoggingLogs" + idSuffix)
                .retention(RetentionDays.THREE_MONTHS)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        Role providerRole = Role.Builder.create(this, "ControlPlaneLoggingRole" + idSuffix)
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("eks-lookout: turns on the control-plane logs of EKS cluster " + cluster)
                .build();
        providerRole.addToPolicy(statement("WriteOwnLogs", List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                List.of(providerLogs.getLogGroupArn())));
        AwsCustomResource logging = AwsCustomResource.Builder.create(this, "ControlPlaneLogging" + idSuffix)
                .onCreate(enable)
                .onUpdate(enable)
                .installLatestAwsSdk(false)
                .role(providerRole)
                .logGroup(providerLogs)
                .policy(AwsCustomResourcePolicy.fromStatements(List.of(statement("EnableControlPlaneLogs",
                        List.of("eks:UpdateClusterConfig"), List.of(clusterArn)))))
                .build();
        logging.getNode().addDependency(function);
    }

    /** Clusters whose log group ARNs go in the function role's own policy; more go in managed policies of this many. */
    static final int CLUSTERS_PER_POLICY = 20;
    /** Each cluster's log group ARN (and its ':*' form), for the policy and its cdk-nag acknowledgement. */
    private final List<String> logGroupArns = new ArrayList<>();
    private final List<Construct> logPolicies = new ArrayList<>();

    /**
     * StartQuery and DescribeLogStreams on exactly the clusters' log groups (the ARN and its ':*' form each): in the
     * role's default policy for up to {@value #CLUSTERS_PER_POLICY} clusters, else in managed policies of that many
     * each (a role's inline policies share 10,240 characters; a managed policy has 6,144).
     */
    private void grantClusterLogs(List<ClusterSource> clusters) {
        List<String> actions = List.of("logs:StartQuery", "logs:DescribeLogStreams");
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < clusters.size(); i += CLUSTERS_PER_POLICY) {
            List<String> arns = new ArrayList<>();
            for (ClusterSource c : clusters.subList(i, Math.min(clusters.size(), i + CLUSTERS_PER_POLICY))) {
                String arn = logGroupArn(c);
                arns.add(arn);
                arns.add(arn + ":*");
                logGroupArns.add(arn);
            }
            chunks.add(arns);
        }
        if (chunks.size() == 1) {
            functionRole.addToPolicy(statement("QueryClusterLogs", actions, chunks.get(0)));
            logPolicies.add(functionRole);
            return;
        }
        for (int i = 0; i < chunks.size(); i++) {
            ManagedPolicy p = ManagedPolicy.Builder.create(this, "QueryClusterLogs" + (i + 1))
                    .description("eks-lookout: query the control-plane logs of clusters " + (i * CLUSTERS_PER_POLICY + 1)
                            + " to " + (i * CLUSTERS_PER_POLICY + chunks.get(i).size() / 2))
                    .statements(List.of(statement("QueryClusterLogs", actions, chunks.get(i))))
                    .roles(List.of(functionRole))
                    .build();
            logPolicies.add(p);
        }
    }

    /** A cluster's log group ARN: as given for a linked source account's, else this account's group by name. */
    static String logGroupArn(ClusterSource c) {
        return c.arn() != null ? c.arn()
                : "arn:" + Aws.PARTITION + ":logs:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":log-group:" + c.logGroup();
    }

    /** cdk-nag AwsSolutions findings that are deliberate, each with its reason. */
    private void acknowledgeFindings() {
        ack(functionRole, "AwsSolutions-IAM5[Resource::*]", "logs:GetQueryResults and logs:StopQuery support no"
                + " resource types (Service Authorization Reference), so they can only be granted on '*'; they act on"
                + " query ids returned by StartQuery, which is scoped to the cluster's log group.");
        for (Construct policy : logPolicies) {
            for (String arn : logGroupArns) {
                String shown = arn.replace(Aws.PARTITION, "<AWS::Partition>").replace(Aws.REGION, "<AWS::Region>")
                        .replace(Aws.ACCOUNT_ID, "<AWS::AccountId>");
                ack(policy, "AwsSolutions-IAM5[Resource::" + shown + ":*]", "CloudWatch Logs authorizes StartQuery"
                        + " and DescribeLogStreams against the log group ARN with the ':*' suffix; it matches this one"
                        + " log group (/aws/eks/<cluster>/cluster) and its streams, nothing else.");
            }
        }
        ack(function, "AwsSolutions-L1", "java21 is pinned deliberately: it is the runtime the function is built and"
                + " tested for, with SnapStart; a runtime change is a tested upgrade, not an automatic one.");
        ack(deadLetterQueue, "AwsSolutions-SQS3", "This queue is itself the dead-letter queue of the schedule and the"
                + " function; it has an alarm when not empty.");
        ack(stateTable, "AwsSolutions-DDB3", "The alert-state table holds only notification times per finding"
                + " fingerprint, expiring by TTL; losing it re-notifies open findings once, which point-in-time"
                + " recovery would cost more to prevent than it is worth.");
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "The schedule invokes the alias 'live' on the published currentVersion, where SnapStart applies.");
    }

    static void ack(Construct scope, String id, String reason) {
        Validations.of(scope).acknowledge(Acknowledgment.builder().id(id).reason(reason).build());
    }

    public Key getTopicKey() { return topicKey; }
    public Table getStateTable() { return stateTable; }
    public Topic getTopic() { return topic; }
    public Queue getDeadLetterQueue() { return deadLetterQueue; }
    public LogGroup getFunctionLogs() { return functionLogs; }
    public Role getFunctionRole() { return functionRole; }
    public Function getFunction() { return function; }
    public Alias getAlias() { return alias; }
    public Rule getSchedule() { return schedule; }
    public List<Alarm> getAlarms() { return List.copyOf(alarms); }
    /** The Slack channel configuration, or null when Slack is not configured. */
    public SlackChannelConfiguration getSlack() { return slack; }
    /** Number of rules validated and bundled. */
    public int getRuleCount() { return ruleCount; }
}
