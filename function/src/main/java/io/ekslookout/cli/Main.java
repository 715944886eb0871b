package io.ekslookout.cli;

import io.ekslookout.aws.AwsErrors;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * The subcommands by name, in the order the usage lists them. Picocli builds the model of each one it is given
     * by reflection (every option, mixin and type it names): {@link #forArgs} gives it only the one the command
     * line names, and all of them when the command line may need more (measured: a {@code query} on a small file
     * starts 0.035 s sooner and takes 0.05 CPU s less than with all eight).
     */
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands(
            "help", CommandLine.HelpCommand.class, "query", QueryCommand.class, "scan", ScanCommand.class,
            "hunt", HuntCommand.class, "test", TestCommand.class, "validate", ValidateCommand.class,
            "plan", PlanCommand.class, "sigma", SigmaCommand.class);

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this). */
    public static int run(String... args) {
        return forArgs(System::getenv, args).execute(args);
    }

    /** Runs the CLI writing to the given streams and returns its exit code (tests capture out and err). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = forArgs(System::getenv, args);
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

    /**
     * The command line for {@code args}, with the subcommands it needs: only the one {@code args[0]} names when it
     * names one (its options, usage, errors and exit codes are the same as in the full tree), none for a lone
     * {@code --version}, else all of them (no arguments, {@code --help}, {@code help CMD}, an unknown command and
     * its suggestions).
     */
    static CommandLine forArgs(Function<String, String> env, String... args) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return commandLine(env, List.of());
        }
        Class<?> only = args.length == 0 || args[0].equals("help") ? null : SUBCOMMANDS.get(args[0]);
        return only == null ? commandLine(env) : commandLine(env, List.of(only));
    }

    /** The full command line; {@code env} is the environment (tests pass their own to check EKS_LOOKOUT_DEBUG). */
    static CommandLine commandLine(Function<String, String> env) {
        return commandLine(env, SUBCOMMANDS.values());
    }

    private static CommandLine commandLine(Function<String, String> env, Collection<Class<?>> subcommands) {
        CommandLine cl = new CommandLine(new Main());
        for (Class<?> subcommand : subcommands) {
            cl.addSubcommand(subcommand);
        }
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

    /** The subcommands by name, in the order of the usage (a test checks each is its class's {@code @Command} name). */
    static Map<String, Class<?>> subcommands() {
        return SUBCOMMANDS;
    }

    private static Map<String, Class<?>> subcommands(Object... nameThenClass) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (int i = 0; i < nameThenClass.length; i += 2) {
            byName.put((String) nameThenClass[i], (Class<?>) nameThenClass[i + 1]);
        }
        return Collections.unmodifiableMap(byName);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
