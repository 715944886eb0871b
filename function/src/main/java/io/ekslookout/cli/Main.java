package io.ekslookout.cli;

import io.ekslookout.aws.AwsErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.function.Function;

/**
 * The command line: {@code java -jar eks-lookout.jar <command>}. Thin: it wires parts and holds no logic.
 *
 * <p>Exit codes mean one thing each, for every command: {@value #CLEAN} clean, {@value #FINDINGS} findings (scan;
 * a failing case for test), {@value #BAD_INPUT} bad input, configuration or rules (including AWS settings a person
 * must fix), {@value #INTERNAL} an internal error or an AWS problem of the moment (unreachable, throttled too long).
 */
@Command(name = "eks-lookout", mixinStandardHelpOptions = true, version = "eks-lookout 0.1.0",
        description = "Security detector for Amazon EKS control-plane logs.",
        subcommands = {CommandLine.HelpCommand.class, QueryCommand.class, ScanCommand.class, HuntCommand.class,
                TestCommand.class, ValidateCommand.class, PlanCommand.class, SigmaCommand.class},
        exitCodeListHeading = "%nExit codes (every command):%n",
        exitCodeList = {"0:clean (query/hunt: the query ran, whatever its rows)",
                "1:findings (scan, at or above --fail-on); a failing case (test)",
                "2:bad input, configuration or rules; AWS settings to fix (region, credentials, profile, access)",
                "3:internal error, or AWS unreachable / throttled too long (retry later);"
                        + " EKS_LOOKOUT_DEBUG=1 prints the stack trace"})
public final class Main implements Runnable {
    public static final int CLEAN = 0;
    public static final int FINDINGS = 1;
    public static final int BAD_INPUT = 2;
    public static final int INTERNAL = 3;
    /** Set (to anything but "" or "0") to get the stack trace of an internal error on stderr. */
    public static final String DEBUG_VARIABLE = "EKS_LOOKOUT_DEBUG";

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this). */
    public static int run(String... args) {
        return commandLine(System::getenv).execute(args);
    }

    /** Runs the CLI writing to the given streams and returns its exit code (tests capture out and err). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = commandLine(System::getenv);
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The exit code for an AWS problem: 2 when a setting must change, 3 when retrying later may help. */
    static int exitCode(AwsErrors.Problem problem) {
        return problem.kind().configuration() ? BAD_INPUT : INTERNAL;
    }

    /** The command line; {@code env} is the environment (tests pass their own to check EKS_LOOKOUT_DEBUG). */
    static CommandLine commandLine(Function<String, String> env) {
        CommandLine cl = new CommandLine(new Main());
        // An unexpected failure is one line on stderr, never a stack trace (unless EKS_LOOKOUT_DEBUG is set): an AWS
        // SDK failure is the line naming its fix (exit 2 or 3), anything else is an internal error (exit 3).
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            int code;
            if (AwsErrors.find(e) != null) {
                AwsErrors.Problem p = AwsErrors.describe(e, "AWS");
                err.println("error: " + TerminalText.escape(p.message()));
                code = exitCode(p);
            } else {
                err.println("internal error: " + TerminalText.escape(e.getMessage() == null ? e.toString()
                        : e.getClass().getSimpleName() + ": " + e.getMessage()) + " (a bug: please report it; "
                        + DEBUG_VARIABLE + "=1 prints the stack trace)");
                code = INTERNAL;
            }
            String debug = env.apply(DEBUG_VARIABLE);
            if (debug != null && !debug.isEmpty() && !debug.equals("0")) {
                e.printStackTrace(err);
            }
            err.flush();
            return code;
        });
        // A bad command line is one "error:" line (with picocli's suggestions) and exit code 2, not the full usage.
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine where = e.getCommandLine();
            PrintWriter err = where.getErr();
            err.println("error: " + TerminalText.escape(e.getMessage()));
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("See '" + where.getCommandSpec().qualifiedName() + " --help'.");
            err.flush();
            return BAD_INPUT;
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
