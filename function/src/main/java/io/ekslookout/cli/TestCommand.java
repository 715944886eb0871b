package io.ekslookout.cli;

import io.ekslookout.detect.RuleTestRunner;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleValidationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code eks-lookout test [DIR]}: runs every rule's and hunt's fixtures through the real detector. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Runs the rule tests (DIR/tests/*.yaml, DIR/hunts/tests/*.yaml) through the detector.",
                "Every rule needs a test with a case that must fire and a near-miss that must stay quiet."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every case passed",
                "1:a case failed (like findings: the check ran and reports what it found)",
                "2:the rule files do not validate, unknown --only id, bad arguments",
                "3:internal error (one line; EKS_LOOKOUT_DEBUG=1 prints the stack trace)"})
public final class TestCommand extends CliCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = "rules",
            description = "Rules directory. Default: ${DEFAULT-VALUE}.")
    Path dir;

    @Option(names = "--only", paramLabel = "ID", split = ",",
            description = "Run only the tests of these rules or hunts (repeatable, or comma-separated).")
    List<String> only = new ArrayList<>();

    @Option(names = "--overrides", paramLabel = "FILE",
            description = "Tuning overlay to validate (and with --with-overrides, apply). Default: overrides.yaml in"
                    + " DIR, when present.")
    Path overrides;

    @Option(names = "--with-overrides",
            description = "Run the tests against the rules with the overlay applied. Default: the rules as bundled,"
                    + " since the fixtures are written for them (the overlay is still validated).")
    boolean withOverrides;

    @Override
    int run(PrintWriter out, PrintWriter err) throws RuleValidationException {
        RuleSet loaded = RuleLoader.loadDirectory(dir, overrides);
        RuleSet set = withOverrides ? loaded : loaded.withoutOverrides();
        for (String id : only) {
            if (set.rule(id).isEmpty() && set.hunt(id).isEmpty()) {
                throw new Failure("--only: no rule or hunt named '" + id + "'");
            }
        }
        RuleTestRunner.Report report = RuleTestRunner.run(set, only);
        out.print(report.render());
        return report.ok() ? 0 : 1;
    }
}
