package io.ekslookout.testing;

import io.ekslookout.cli.Main;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the CLI, configured as the jar's main is: its exit code and what it printed. */
public record CliRun(int code, String out, String err) {
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
