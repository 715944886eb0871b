package io.ekslookout.cli;

import io.ekslookout.rules.RuleValidationException;
import io.ekslookout.sigma.SigmaImport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** {@code eks-lookout sigma import PATH... --out DIR}: Sigma kubernetes/audit rules into rule files. */
@Command(name = "sigma", mixinStandardHelpOptions = true,
        description = "Sigma rules (logsource product kubernetes, service audit).",
        subcommands = {SigmaCommand.Import.class})
public final class SigmaCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Converts Sigma rules into rule files DIR/<id>.yaml that `validate DIR` accepts.",
                    "Each file is converted whole or refused with file:line:column and the reason; the others are"
                            + " still converted."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every file was converted", "2:a file was refused (each reason located), bad arguments",
                    "3:internal error (one line; EKS_LOOKOUT_DEBUG=1 prints the stack trace)"})
    static final class Import extends CliCommand {
        @Parameters(arity = "1..*", paramLabel = "PATH",
                description = "Sigma rule files, or directories searched for .yml/.yaml files.")
        List<Path> paths;

        @Option(names = "--out", required = true, paramLabel = "DIR",
                description = "Directory to write the rule files to (created if missing).")
        Path out;

        @Option(names = "--force", description = "Overwrite rule files that already exist in DIR.")
        boolean force;

        @Override
        int run(PrintWriter stdout, PrintWriter err) throws RuleValidationException {
            SigmaImport.Report report = SigmaImport.run(paths, out, force);
            for (SigmaImport.Written w : report.written()) {
                stdout.println(TerminalText.escape(w.source() + " -> " + w.file()));
            }
            if (!report.problems().isEmpty()) {
                RulesOptions.printLocated(report.problems(), err);
            }
            String summary = report.written().size() + " converted, " + report.refusedFiles() + " refused";
            (report.ok() ? stdout : err).println(summary);
            return report.ok() ? Main.CLEAN : Main.BAD_INPUT;
        }
    }
}
