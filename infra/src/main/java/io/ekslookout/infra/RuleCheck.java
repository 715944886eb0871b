package io.ekslookout.infra;

import io.ekslookout.rules.RuleLoader;
import io.ekslookout.rules.RuleProblem;
import io.ekslookout.rules.RuleSet;
import io.ekslookout.rules.RuleValidationException;
import java.nio.file.Path;

/**
 * Validates the rules directory at synth time with the loader the Lambda itself uses
 * ({@link RuleLoader#loadDirectory}): rules, hunts, rule tests and the tuning overlay (overrides.yaml, which
 * {@link LambdaBundle} stages with the rules), every problem of every file, each located.
 */
final class RuleCheck {
    private RuleCheck() {
    }

    /** Throws {@link RulesInvalidException} listing every problem; returns the number of rules. */
    static int validate(Path rulesDir) {
        try {
            RuleSet set = RuleLoader.loadDirectory(rulesDir);
            return set.rules().size();
        } catch (RuleValidationException e) {
            throw new RulesInvalidException(rulesDir.toString(),
                    e.problems().stream().map(RuleProblem::toString).toList());
        }
    }

    static boolean isYaml(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }
}
