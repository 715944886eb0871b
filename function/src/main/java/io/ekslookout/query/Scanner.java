package io.ekslookout.query;

import io.ekslookout.query.Token.Type;

/**
 * Turns query text into tokens on demand. The parser pulls one token at a time; a {@code /} is division unless
 * the parser asks for a regex literal at a pattern position ({@link #regexAt(Token)}).
 * <p>
 * Names: {@code [A-Za-z_@][A-Za-z0-9_@.]*}, backticked {@code `any text`}, {@code @`...`}, and backticked segments
 * after a dot ({@code m.`odd.key`}). Period literals ({@code 5m}, {@code 100ms}) are numbers immediately followed
 * by a unit. {@code #} starts a comment to the end of the line.
 */
final class Scanner {
    private final String src;
    private int pos;
    private int line = 1;
    private int lineStart;

    Scanner(String src) {
        this.src = src;
    }

    Token next() {
        skipBlanks();
        int start = pos;
        int col = pos - lineStart + 1;
        if (pos >= src.length()) {
            return new Token(Type.EOF, "", null, pos, pos, line, col, false);
        }
        char c = src.charAt(pos++);
        switch (c) {
            case '(': return simple(Type.LEFT_PAREN, start, col);
            case ')': return simple(Type.RIGHT_PAREN, start, col);
            case '[': return simple(Type.LEFT_BRACKET, start, col);
            case ']': return simple(Type.RIGHT_BRACKET, start, col);
            case ',': return simple(Type.COMMA, start, col);
            case '|': return simple(Type.PIPE, start, col);
            case '+': return simple(Type.PLUS, start, col);
            case '-': return simple(Type.MINUS, start, col);
            case '*': return simple(Type.STAR, start, col);
            case '/': return simple(Type.SLASH, start, col);
            case '%': return simple(Type.PERCENT, start, col);
            case '^': return simple(Type.CARET, start, col);
            case '.': return simple(Type.DOT, start, col);
            case '=':
                if (match('~')) return simple(Type.MATCH, start, col);
                match('='); // '==' is accepted as '=' (the seed article writes verb == "delete")
                return simple(Type.EQ, start, col);
            case '!':
                if (match('=')) return simple(Type.NE, start, col);
                throw new QueryException(line, col, "expected '!=' but found '!'");
            case '<':
                if (match('=')) return simple(Type.LE, start, col);
                if (match('>')) return simple(Type.NE, start, col);
                return simple(Type.LT, start, col);
            case '>':
                if (match('=')) return simple(Type.GE, start, col);
                return simple(Type.GT, start, col);
            case '"':
            case '\'':
                return string(c, start, col);
            case '`':
                return name(start, col, backticked(start, col));
            default:
                break;
        }
        if (isDigit(c)) {
            return number(start, col);
        }
        if (isNameStart(c)) {
            pos--;
            return name(start, col, plainOrAtBackticked(start, col));
        }
        throw new QueryException(line, col, "unexpected character '" + printable(c) + "'");
    }

    /** Rescans {@code slash} (a '/' token) as a regex literal {@code /.../}. */
    Token regexAt(Token slash) {
        pos = slash.offset() + 1;
        line = slash.line();
        lineStart = slash.offset() - (slash.column() - 1);
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= src.length() || src.charAt(pos) == '\n') {
                throw new QueryException(slash.line(), slash.column(),
                        "unterminated regex: expected '/' to close the regex opened here");
            }
            char c = src.charAt(pos++);
            if (c == '\\' && pos < src.length() && src.charAt(pos) == '/') {
                sb.append('/');
                pos++;
            } else if (c == '\\' && pos < src.length()) {
                sb.append(c).append(src.charAt(pos++));
            } else if (c == '/') {
                break;
            } else {
                sb.append(c);
            }
        }
        if (pos < src.length() && Character.isLetter(src.charAt(pos))) {
            throw new QueryException(line, pos - lineStart + 1,
                    "regex flags after the closing '/' are not supported; write (?i) inside the regex");
        }
        return new Token(Type.REGEX, sb.toString(), sb.toString(), slash.offset(), pos, slash.line(),
                slash.column(), false);
    }

    private Token simple(Type type, int start, int col) {
        return new Token(type, src.substring(start, pos), null, start, pos, line, col, false);
    }

    private boolean match(char expected) {
        if (pos < src.length() && src.charAt(pos) == expected) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipBlanks() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u00a0') {
                pos++;
            } else if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private Token string(char quote, int start, int col) {
        StringBuilder sb = new StringBuilder();
        int startLine = line;
        while (true) {
            if (pos >= src.length()) {
                throw new QueryException(startLine, col, "unterminated string: expected " + quote
                        + " to close the string opened here");
            }
            char c = src.charAt(pos++);
            if (c == quote) {
                break;
            }
            if (c == '\n') {
                line++;
                lineStart = pos;
            }
            if (c == '\\' && pos < src.length()) {
                char e = src.charAt(pos++);
                switch (e) {
                    case '"', '\'', '\\' -> sb.append(e);
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    default -> sb.append('\\').append(e); // kept verbatim, e.g. "C:\dir"
                }
            } else {
                sb.append(c);
            }
        }
        return new Token(Type.STRING, sb.toString(), sb.toString(), start, pos, startLine, col, false);
    }

    private Token number(int start, int col) {
        while (pos < src.length() && isDigit(src.charAt(pos))) {
            pos++;
        }
        boolean fraction = false;
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && isDigit(src.charAt(pos + 1))) {
            fraction = true;
            pos++;
            while (pos < src.length() && isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        String digits = src.substring(start, pos);
        if (pos < src.length() && isNameChar(src.charAt(pos)) && src.charAt(pos) != '.') {
            int unitStart = pos;
            while (pos < src.length() && Character.isLetter(src.charAt(pos))) {
                pos++;
            }
            String unitText = src.substring(unitStart, pos);
            Period.Unit unit = Period.unit(unitText);
            if (unit == null || fraction || (pos < src.length() && isNameChar(src.charAt(pos)))) {
                while (pos < src.length() && isNameChar(src.charAt(pos))) {
                    pos++;
                }
                throw new QueryException(line, col, "expected a number or a time period like 5m, found '"
                        + src.substring(start, pos) + "' (units: ms s m h d w mo q y)");
            }
            long amount;
            try {
                amount = Long.parseLong(digits);
            } catch (NumberFormatException e) {
                throw new QueryException(line, col, "time period amount too large: " + digits);
            }
            return new Token(Type.PERIOD, src.substring(start, pos), new Period(amount, unit, src.substring(start, pos)),
                    start, pos, line, col, false);
        }
        Object value;
        if (fraction) {
            value = Double.parseDouble(digits);
        } else {
            try {
                value = Long.parseLong(digits);
            } catch (NumberFormatException e) {
                value = Double.parseDouble(digits);
            }
        }
        return new Token(Type.NUMBER, digits, value, start, pos, line, col, false);
    }

    private Token name(int start, int col, String name) {
        return new Token(Type.IDENT, name, name, start, pos, line, col, src.charAt(start) == '`'
                || (src.charAt(start) == '@' && start + 1 < src.length() && src.charAt(start + 1) == '`'));
    }

    /** A bare name, possibly {@code @`...`}, possibly continued by {@code .`segment`}. */
    private String plainOrAtBackticked(int start, int col) {
        StringBuilder sb = new StringBuilder();
        if (src.charAt(pos) == '@' && pos + 1 < src.length() && src.charAt(pos + 1) == '`') {
            pos += 2;
            sb.append('@').append(backticked(start, col));
        } else {
            while (pos < src.length() && isNameChar(src.charAt(pos))) {
                sb.append(src.charAt(pos++));
            }
        }
        while (pos + 1 < src.length() && src.charAt(pos) == '.' && src.charAt(pos + 1) == '`'
                || sb.length() > 0 && sb.charAt(sb.length() - 1) == '.' && pos < src.length() && src.charAt(pos) == '`') {
            if (src.charAt(pos) == '.') {
                pos++;
                sb.append('.');
            }
            int segStart = pos;
            pos++;
            sb.append(backticked(segStart, segStart - lineStart + 1));
            while (pos < src.length() && isNameChar(src.charAt(pos))) {
                sb.append(src.charAt(pos++));
            }
        }
        return sb.toString();
    }

    /** Reads the rest of a backticked name; pos is after the opening backtick. */
    private String backticked(int start, int col) {
        int from = pos;
        while (pos < src.length() && src.charAt(pos) != '`') {
            if (src.charAt(pos) == '\n') {
                throw new QueryException(line, col, "unterminated name: expected '`' to close the name opened here");
            }
            pos++;
        }
        if (pos >= src.length()) {
            throw new QueryException(line, col, "unterminated name: expected '`' to close the name opened here");
        }
        String s = src.substring(from, pos);
        pos++;
        return s;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isNameStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '@';
    }

    static boolean isNameChar(char c) {
        return isNameStart(c) || isDigit(c) || c == '.';
    }

    private static String printable(char c) {
        return c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c);
    }
}
