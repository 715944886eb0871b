package io.ekslookout.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The command line: {@code java -jar eks-lookout.jar <command>}. Thin: it wires parts and holds no logic. */
@Command(name = "eks-lookout", mixinStandardHelpOptions = true, version = "eks-lookout 0.1.0",
        description = "Security detector for Amazon EKS control-plane logs.",
        subcommands = {CommandLine.HelpCommand.class, QueryCommand.class, ScanCommand.class, HuntCommand.class,
                TestCommand.class, ValidateCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** Runs the CLI writing to the given streams and returns its exit code (tests capture out and err). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // An unexpected failure is one line on stderr and exit code 1, never a stack trace.
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            commandLine.getErr().flush();
            return 1;
        });
        // A bad command line is one "error:" line (with picocli's suggestions) and exit code 2, not the full usage.
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine where = e.getCommandLine();
            PrintWriter err = where.getErr();
            err.println("error: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("See '" + where.getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return where.getCommandSpec().exitCodeOnInvalidInput();
        });
        return cl;
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
