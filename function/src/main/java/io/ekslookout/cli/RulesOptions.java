package io.ekslookout.cli;

import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleProblem;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleValidationException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Loading a rules directory for a command, and printing its problems located like a compiler does. */
final class RulesOptions {
    private RulesOptions() {
    }

    private static List<String> lines(String file) {
        try {
            Path p = Path.of(file);
            return Files.isRegularFile(p) ? Files.readAllLines(p) : List.of();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /** Loads {@code dir}; when it is null, ./rules when present, else the rules bundled in the jar. */
    static RuleSet load(Path dir) throws RuleValidationException {
        return load(dir, null);
    }

    /**
     * Loads {@code dir} (as {@link #load(Path)}) with the tuning overlay {@code overrides}, or when that is null the
     * directory's own overrides.yaml if it has one.
     */
    static RuleSet load(Path dir, Path overrides) throws RuleValidationException {
        if (dir == null) {
            Path local = Path.of("rules");
            return Files.isDirectory(local) ? RuleLoader.loadDirectory(local, overrides)
                    : RuleLoader.loadClasspath("rules", RuleLoader.class.getClassLoader(), overrides);
        }
        return RuleLoader.loadDirectory(dir, overrides);
    }

    /** The text of the --overrides option, the same on every command that loads rules. */
    static final String OVERRIDES_HELP = "Tuning overlay to apply to the rules (per rule id: enabled, severity,"
            + " suppress, threshold, renotifyAfter). Default: overrides.yaml in the rules directory, when present.";

    /** Each problem as "file:line:column: message", then (like a compiler) the line and a caret under the column. */
    static void printProblems(RuleValidationException e, PrintWriter err) {
        printLocated(e.problems(), err);
        err.println(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems")
                + " in rule files");
    }

    /** Each problem as "file:line:column: message" with the line and a caret under the column. */
    static void printLocated(List<RuleProblem> problems, PrintWriter err) {
        Map<String, List<String>> files = new HashMap<>();
        for (RuleProblem p : problems) {
            err.println(TerminalText.escape(p.toString()));
            List<String> lines = files.computeIfAbsent(p.file(), RulesOptions::lines);
            if (p.line() >= 1 && p.line() <= lines.size()) {
                String line = lines.get(p.line() - 1).replace('\t', ' ');
                err.println("    " + TerminalText.escape(line));
                err.println("    " + " ".repeat(Math.max(0, Math.min(p.column() - 1, line.length()))) + "^");
            }
        }
    }
}
