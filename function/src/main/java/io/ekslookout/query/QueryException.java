package io.ekslookout.query;

/**
 * A query that cannot be parsed or run, located in the query text (1-based line and column).
 * {@link #render(String)} shows the offending line with a caret under the column.
 */
public class QueryException extends RuntimeException {
    private final int line;
    private final int column;
    private final String reason;

    public QueryException(int line, int column, String reason) {
        super(line + ":" + column + ": " + reason);
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** What is wrong, without the location. */
    public String reason() {
        return reason;
    }

    /** "line:col: reason" followed by the source line and a caret under the column. */
    public String render(String source) {
        String[] lines = source.replace("\r", "").split("\n", -1);
        StringBuilder sb = new StringBuilder(getMessage());
        if (line >= 1 && line <= lines.length) {
            String text = lines[line - 1];
            sb.append('\n').append(text).append('\n');
            for (int i = 0; i < column - 1; i++) {
                sb.append(i < text.length() && text.charAt(i) == '\t' ? '\t' : ' '); // keep tabs aligned
            }
            sb.append('^');
        }
        return sb.toString();
    }
}
