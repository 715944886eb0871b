package io.ekslookout.rules;

/** One thing wrong with a rule, hunt or test file, located: "file:line:column: message" (1-based). */
public record RuleProblem(String file, int line, int column, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
