package io.ekslookout.cli;

import io.ekslookout.detect.RuleTestRunner;
import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleValidationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code eks-lookout test [DIR]}: runs every rule's and hunt's fixtures through the real detector. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = {"Runs the rule tests (DIR/tests/*.yaml, DIR/hunts/tests/*.yaml) through the detector.",
                "Every rule needs a test with a case that must fire and a near-miss that must stay quiet."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every case passed", "1:a case failed", "2:the rule files do not validate"})
public final class TestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = "rules",
            description = "Rules directory. Default: ${DEFAULT-VALUE}.")
    Path dir;

    @Option(names = "--only", paramLabel = "ID", split = ",",
            description = "Run only the tests of these rules or hunts (repeatable, or comma-separated).")
    List<String> only = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            RuleSet set = RuleLoader.loadDirectory(dir);
            for (String id : only) {
                if (set.rule(id).isEmpty() && set.hunt(id).isEmpty()) {
                    err.println("error: --only: no rule or hunt named '" + ResultPrinter.safe(id) + "'");
                    return 2;
                }
            }
            RuleTestRunner.Report report = RuleTestRunner.run(set, only);
            out.print(report.render());
            return report.ok() ? 0 : 1;
        } catch (RuleValidationException e) {
            RulesOptions.printProblems(e, err);
            return 2;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
