package io.ekslookout.cli;

import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleProblem;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleValidationException;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loading a rules directory for a command: located problems go to stderr, and the command exits 2. */
final class RulesOptions {
    private RulesOptions() {
    }

    /**
     * Loads {@code dir}; when it is null, ./rules when present, else the rules bundled in the jar. Returns null
     * after printing every problem.
     */
    static RuleSet load(Path dir, PrintWriter err) {
        try {
            if (dir == null) {
                Path local = Path.of("rules");
                return Files.isDirectory(local) ? RuleLoader.loadDirectory(local) : RuleLoader.loadClasspath("rules");
            }
            return RuleLoader.loadDirectory(dir);
        } catch (RuleValidationException e) {
            printProblems(e, err);
            return null;
        }
    }

    static void printProblems(RuleValidationException e, PrintWriter err) {
        for (RuleProblem p : e.problems()) {
            err.println(ResultPrinter.safe(p.toString()));
        }
        err.println(e.problems().size() + (e.problems().size() == 1 ? " problem" : " problems")
                + " in rule files");
    }
}
