package io.ekslookout.rules;

import java.util.List;

/** Rule files that do not validate: every problem of every file, each located. */
public class RuleValidationException extends Exception {
    private final List<RuleProblem> problems;

    public RuleValidationException(List<RuleProblem> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    public List<RuleProblem> problems() {
        return problems;
    }

    private static String summary(List<RuleProblem> problems) {
        StringBuilder sb = new StringBuilder(problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + " in rule files:");
        for (RuleProblem p : problems) {
            sb.append('\n').append(p);
        }
        return sb.toString();
    }
}
