package io.ekslookout.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Validations;

/**
 * The CDK app that {@code cdk.json} runs: settings from CDK context, rules validated, cdk-nag AwsSolutions checks
 * on every synth. Bad settings or rules end the run with a located message and exit status 1, not a stack trace.
 */
public final class EksLookoutApp {
    private EksLookoutApp() {
    }

    public static void main(String[] args) {
        try {
            App app = new App();
            build(app, Path.of("").toAbsolutePath());
            app.synth();
        } catch (ConfigException e) {
            fail("bad setting " + e.getMessage() + (ContextConfig.KEYS.contains(e.key())
                    ? " (set it with -c " + e.key() + "=... or in cdk.json)" : ""));
        } catch (RulesInvalidException e) {
            fail(e.getMessage());
        }
    }

    /** Adds the stack (named EksLookout-&lt;cluster&gt;, env-agnostic: no account lookups) and cdk-nag to {@code app}. */
    public static EksLookoutStack build(App app, Path baseDir) {
        Object all = app.getNode().getAllContext();
        if (all instanceof Map<?, ?> m) {
            ContextConfig.checkKeys(m.keySet().stream().map(String::valueOf).toList());
        }
        EksLookoutProps props = ContextConfig.read(key -> app.getNode().tryGetContext(key), baseDir);
        // Acknowledged findings are also written into the template (Metadata cdk_nag), for reviewers of the stack.
        Validations.of(app).addPlugins(new AwsSolutionsChecks(app,
                NagPackProps.builder().writeSuppressionsToCloudFormation(true).build()));
        return new EksLookoutStack(app, "EksLookout-" + props.clusterName(), StackProps.builder()
                .description("eks-lookout: security detector for the control-plane logs of EKS cluster "
                        + props.clusterName())
                .build(), props);
    }

    private static void fail(String message) {
        System.err.println("eks-lookout: " + message);
        System.exit(1);
    }
}
