package io.ekslookout.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code java -jar eks-lookout.jar <command>}. Thin: it wires parts and holds no logic. */
@Command(name = "eks-lookout", mixinStandardHelpOptions = true, version = "eks-lookout 0.1.0",
        description = "Security detector for Amazon EKS control-plane logs.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this). */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
