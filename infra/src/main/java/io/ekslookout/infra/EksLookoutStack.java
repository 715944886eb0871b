package io.ekslookout.infra;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.constructs.Construct;

/** One detector per cluster: the {@link EksLookout} construct and the outputs an operator needs. */
public class EksLookoutStack extends Stack {
    private final EksLookout lookout;

    public EksLookoutStack(Construct scope, String id, StackProps stackProps, EksLookoutProps props) {
        super(scope, id, stackProps);
        this.lookout = new EksLookout(this, "Lookout", props);
        // For cost allocation and inventory: every taggable resource says what it is and which cluster it watches.
        Tags.of(this).add("eks-lookout:cluster", props.clusterName());
        CfnOutput.Builder.create(this, "AlertTopicArn").value(lookout.getTopic().getTopicArn())
                .description("SNS topic the findings and alarms go to").build();
        CfnOutput.Builder.create(this, "FunctionName").value(lookout.getFunction().getFunctionName())
                .description("The detector Lambda (logs in its own log group)").build();
        CfnOutput.Builder.create(this, "DeadLetterQueueUrl").value(lookout.getDeadLetterQueue().getQueueUrl())
                .description("Runs that failed after all retries").build();
    }

    public EksLookout getLookout() {
        return lookout;
    }
}
