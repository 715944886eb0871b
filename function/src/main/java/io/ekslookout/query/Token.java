package io.ekslookout.query;

/**
 * One lexeme of a query.
 *
 * @param type   what kind of token
 * @param text   the source text of the token (for IDENT the field name without backticks)
 * @param value  the literal value (String for STRING/REGEX, Long/Double for NUMBER, Period for PERIOD)
 * @param offset index of the first character in the query text
 * @param end    index after the last character
 * @param line   1-based line
 * @param column 1-based column
 * @param quoted true for a backticked name (never a keyword or function name)
 */
record Token(Type type, String text, Object value, int offset, int end, int line, int column, boolean quoted) {
    enum Type {
        LEFT_PAREN("'('"), RIGHT_PAREN("')'"), LEFT_BRACKET("'['"), RIGHT_BRACKET("']'"), COMMA("','"),
        PIPE("'|'"), PLUS("'+'"), MINUS("'-'"), STAR("'*'"), SLASH("'/'"), PERCENT("'%'"), CARET("'^'"),
        DOT("'.'"), EQ("'='"), NE("'!='"), LT("'<'"), LE("'<='"), GT("'>'"), GE("'>='"), MATCH("'=~'"),
        IDENT("a name"), STRING("a string"), NUMBER("a number"), PERIOD("a time period"), REGEX("a /regex/"),
        EOF("end of query");

        final String description;

        Type(String description) {
            this.description = description;
        }
    }

    /** True for an unquoted name equal to the keyword, ignoring case. */
    boolean isWord(String keyword) {
        return type == Type.IDENT && !quoted && text.equalsIgnoreCase(keyword);
    }

    /** How to name this token in an error message. */
    String describe() {
        return switch (type) {
            case EOF -> "end of query";
            case IDENT -> quoted ? "`" + text + "`" : "'" + text + "'";
            case STRING -> "string " + abbreviate(text);
            case REGEX -> "regex " + abbreviate(text);
            default -> "'" + text + "'";
        };
    }

    private static String abbreviate(String s) {
        return s.length() > 30 ? s.substring(0, 27) + "..." : s;
    }
}
