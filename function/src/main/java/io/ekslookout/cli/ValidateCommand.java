package io.ekslookout.cli;

import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleValidationException;
import io.ekslookout.rules.Overrides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code eks-lookout validate [DIR]}: checks every rule, hunt and test file and prints every located problem. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks the rule files and prints every problem as file:line:column: message.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all files are valid", "2:problems were found (each with its file:line:column), bad arguments",
                "3:internal error (one line; EKS_LOOKOUT_DEBUG=1 prints the stack trace)"})
public final class ValidateCommand extends CliCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = "rules",
            description = "Rules directory. Default: ${DEFAULT-VALUE}.")
    Path dir;

    @Option(names = "--overrides", paramLabel = "FILE", description = RulesOptions.OVERRIDES_HELP)
    Path overrides;

    @Override
    int run(PrintWriter out, PrintWriter err) {
        try {
            RuleSet set = RuleLoader.loadDirectory(dir, overrides);
            out.println(dir + ": " + set.rules().size() + " rules (" + set.enabledRules().size() + " enabled), "
                    + set.hunts().size() + " hunts, " + set.tests().size() + " test files: valid");
            Overrides o = set.overrides();
            if (o.source() != null) {
                // what the overlay changes, so a reviewer sees the effective rules without diffing YAML
                out.println(TerminalText.escape(o.source()) + ": overrides for " + o.byRule().size()
                        + (o.byRule().size() == 1 ? " rule" : " rules") + ": valid");
                for (Overrides.Change c : o.byRule().values()) {
                    out.println("  " + c.ruleId() + ": " + TerminalText.escape(c.describe()));
                }
            }
            return 0;
        } catch (RuleValidationException e) {
            // the problems are this command's output: stdout, one per line, ready for grep or an editor
            RulesOptions.printProblems(e, out);
            return 2;
        }
    }
}
