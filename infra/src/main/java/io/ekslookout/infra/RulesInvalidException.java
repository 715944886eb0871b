package io.ekslookout.infra;

import java.util.List;

/** The rules directory failed validation; {@link #problems()} holds every located problem ("file:line:column: message"). */
public final class RulesInvalidException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public RulesInvalidException(String rulesDir, List<String> problems) {
        super("the rules in " + rulesDir + " do not validate (" + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + "):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
