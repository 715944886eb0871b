package io.ekslookout.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps a position inside a YAML scalar's decoded text (such as a query's line:column from a QueryException) back
 * to the line:column in the YAML file where that character was written. It re-decodes the scalar from the file
 * text, recording where each character came from: literal ({@code |}) and folded ({@code >}) block scalars
 * (indentation and line offset), plain scalars (possibly over several lines, folded), and single- or
 * double-quoted scalars (quotes, escapes, folding). When its decoding does not reproduce the parser's text (an
 * unusual construct), it falls back to the scalar's own start, still inside the right file.
 */
public final class ScalarPositions {
    private final int[] lines;
    private final int[] columns;
    private final int fallbackLine;
    private final int fallbackColumn;
    private final boolean exact;

    private ScalarPositions(int[] lines, int[] columns, int fallbackLine, int fallbackColumn, boolean exact) {
        this.lines = lines;
        this.columns = columns;
        this.fallbackLine = fallbackLine;
        this.fallbackColumn = fallbackColumn;
        this.exact = exact;
    }

    /** True when every character of the decoded value has an exact file position. */
    boolean exact() {
        return exact;
    }

    /** File {line, column} of the character at 1-based (line, column) of the decoded text. */
    public int[] locate(String decoded, int line, int column) {
        int idx = indexOf(decoded, line, column);
        if (exact && idx >= 0 && idx < lines.length) {
            return new int[]{lines[idx], columns[idx]};
        }
        if (exact && lines.length > 0 && idx >= lines.length) {
            // past the end (an error "at end of query"): just after the last character
            return new int[]{lines[lines.length - 1], columns[lines.length - 1] + 1};
        }
        return new int[]{fallbackLine, fallbackColumn};
    }

    private static int indexOf(String text, int line, int column) {
        int l = 1;
        int i = 0;
        while (l < line && i < text.length()) {
            if (text.charAt(i) == '\n') {
                l++;
            }
            i++;
        }
        if (l < line) {
            return text.length();
        }
        return i + Math.max(0, column - 1);
    }

    /**
     * @param file    the whole YAML file text
     * @param node    the scalar (its offset/line/column are where the parser saw it start)
     * @param decoded the scalar's value as the parser decoded it
     */
    public static ScalarPositions of(String file, YamlNode node, String decoded) {
        int off = (int) node.offset();
        List<int[]> pos = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        try {
            if (off >= 0 && off < file.length()) {
                char c = file.charAt(off);
                if (c == '|' || c == '>') {
                    block(file, off, c == '>', out, pos);
                } else if (c == '"' || c == '\'') {
                    quoted(file, off, c, out, pos);
                } else {
                    plain(file, off, out, pos);
                }
            }
        } catch (RuntimeException e) {
            out.setLength(0);
        }
        boolean exact = decoded != null && out.toString().equals(stripTrailingNewlines(decoded, out));
        int[] ls = new int[pos.size()];
        int[] cs = new int[pos.size()];
        for (int i = 0; i < pos.size(); i++) {
            ls[i] = pos.get(i)[0];
            cs[i] = pos.get(i)[1];
        }
        return new ScalarPositions(ls, cs, node.line(), node.column(), exact);
    }

    /** Chomping may drop or keep final newlines; compare without them when our decoding has none. */
    private static String stripTrailingNewlines(String decoded, StringBuilder ours) {
        String d = decoded;
        while (d.endsWith("\n") && !ours.toString().endsWith("\n")) {
            d = d.substring(0, d.length() - 1);
        }
        return d;
    }

    /** Line starts (0-based offsets) and 1-based line of an offset. */
    private static int lineOf(String file, int off) {
        int l = 1;
        for (int i = 0; i < off; i++) {
            if (file.charAt(i) == '\n') {
                l++;
            }
        }
        return l;
    }

    private static int lineStart(String file, int off) {
        int i = off;
        while (i > 0 && file.charAt(i - 1) != '\n') {
            i--;
        }
        return i;
    }

    private static void block(String file, int off, boolean folded, StringBuilder out, List<int[]> pos) {
        int headerLine = lineOf(file, off);
        int i = file.indexOf('\n', off);
        if (i < 0) {
            return;
        }
        i++;
        // indentation of the first non-blank content line
        int indent = -1;
        List<String> contentLines = new ArrayList<>();
        int scan = i;
        int minIndent = indentOf(file, lineStart(file, off)) + 1;
        while (scan <= file.length()) {
            int end = file.indexOf('\n', scan);
            if (end < 0) {
                end = file.length();
            }
            String line = file.substring(scan, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            boolean blank = line.isBlank();
            int ind = line.length() - line.stripLeading().length();
            if (!blank) {
                if (indent < 0) {
                    indent = ind;
                    if (indent < minIndent) {
                        break;
                    }
                } else if (ind < indent) {
                    break;
                }
            }
            contentLines.add(line);
            if (end == file.length()) {
                break;
            }
            scan = end + 1;
        }
        if (indent < 0) {
            return;
        }
        // trailing blank lines are not part of the text (chomping)
        while (!contentLines.isEmpty() && contentLines.get(contentLines.size() - 1).isBlank()) {
            contentLines.remove(contentLines.size() - 1);
        }
        boolean previousText = false;
        for (int k = 0; k < contentLines.size(); k++) {
            String line = contentLines.get(k);
            int fileLine = headerLine + 1 + k;
            boolean blank = line.isBlank();
            if (k > 0) {
                // the line break before this line
                // literal: every break is kept; folded: a break between two text lines becomes a space
                out.append(folded && previousText && !blank ? ' ' : '\n');
                int[] prevEnd = {fileLine - 1, contentLines.get(k - 1).length() + 1};
                pos.add(prevEnd);
            }
            if (!blank) {
                for (int j = indent; j < line.length(); j++) {
                    out.append(line.charAt(j));
                    pos.add(new int[]{fileLine, j + 1});
                }
            }
            previousText = !blank;
        }
        if (folded) {
            // a folded blank line stands for one newline, the break before it vanishes: approximate only
            String s = out.toString();
            if (s.contains("\n\n") || s.contains(" \n")) {
                out.setLength(0);
            }
        }
    }

    private static int indentOf(String file, int start) {
        int i = start;
        while (i < file.length() && file.charAt(i) == ' ') {
            i++;
        }
        return i - start;
    }

    private static void plain(String file, int off, StringBuilder out, List<int[]> pos) {
        int line = lineOf(file, off);
        int col = off - lineStart(file, off) + 1;
        int i = off;
        int minIndent = indentOf(file, lineStart(file, off)) + 1;
        boolean first = true;
        int pendingBreaks = 0;
        int[] breakPos = null;
        while (i < file.length()) {
            int end = file.indexOf('\n', i);
            if (end < 0) {
                end = file.length();
            }
            String raw = file.substring(i, end);
            String text;
            int textStart;
            if (first) {
                text = cutComment(raw).stripTrailing();
                textStart = col;
            } else {
                int ind = raw.length() - raw.stripLeading().length();
                if (raw.isBlank()) {
                    pendingBreaks++;
                    line++;
                    i = end + 1;
                    continue;
                }
                if (ind < minIndent || raw.stripLeading().startsWith("#")) {
                    break;
                }
                String stripped = cutComment(raw.substring(ind)).stripTrailing();
                if (looksLikeKey(stripped)) {
                    break;
                }
                text = stripped;
                textStart = ind + 1;
                fold(pendingBreaks, breakPos, out, pos);
            }
            for (int j = 0; j < text.length(); j++) {
                out.append(text.charAt(j));
                pos.add(new int[]{line, textStart + j});
            }
            breakPos = new int[]{line, textStart + text.length()};
            pendingBreaks = 0;
            first = false;
            line++;
            if (end >= file.length()) {
                break;
            }
            i = end + 1;
        }
    }

    private static boolean looksLikeKey(String s) {
        int colon = s.indexOf(": ");
        return s.endsWith(":") || (colon > 0 && !s.substring(0, colon).contains(" ")) || s.startsWith("- ");
    }

    private static String cutComment(String s) {
        int h = s.indexOf(" #");
        return h >= 0 ? s.substring(0, h) : s;
    }

    /** A folded line break: no empty line between two lines is one space; N empty lines are N newlines. */
    private static void fold(int pendingBreaks, int[] breakPos, StringBuilder out, List<int[]> pos) {
        if (pendingBreaks == 0) {
            out.append(' ');
            pos.add(breakPos);
        } else {
            for (int b = 0; b < pendingBreaks; b++) {
                out.append('\n');
                pos.add(breakPos);
            }
        }
    }

    private static void quoted(String file, int off, char q, StringBuilder out, List<int[]> pos) {
        int line = lineOf(file, off);
        int ls = lineStart(file, off);
        int i = off + 1;
        int pendingBreaks = -1;
        int[] breakPos = null;
        while (i < file.length()) {
            char c = file.charAt(i);
            int col = i - ls + 1;
            if (c == '\n') {
                // fold: trailing spaces of this line and leading spaces of the next are dropped
                while (out.length() > 0 && out.charAt(out.length() - 1) == ' ' && pendingBreaks < 0) {
                    out.setLength(out.length() - 1);
                    pos.remove(pos.size() - 1);
                }
                if (pendingBreaks < 0) {
                    breakPos = new int[]{line, col};
                    pendingBreaks = 0;
                } else {
                    pendingBreaks++;
                }
                line++;
                i++;
                ls = i;
                while (i < file.length() && (file.charAt(i) == ' ' || file.charAt(i) == '\t')) {
                    i++;
                }
                continue;
            }
            if (pendingBreaks >= 0) {
                fold(pendingBreaks, breakPos, out, pos);
                pendingBreaks = -1;
            }
            if (q == '\'' && c == '\'') {
                if (i + 1 < file.length() && file.charAt(i + 1) == '\'') {
                    out.append('\'');
                    pos.add(new int[]{line, col});
                    i += 2;
                    continue;
                }
                return;
            }
            if (q == '"' && c == '"') {
                return;
            }
            if (q == '"' && c == '\\' && i + 1 < file.length() && file.charAt(i + 1) == '\n') {
                // an escaped line break joins the lines with nothing between them
                line++;
                i += 2;
                ls = i;
                while (i < file.length() && (file.charAt(i) == ' ' || file.charAt(i) == '\t')) {
                    i++;
                }
                continue;
            }
            if (q == '"' && c == '\\' && i + 1 < file.length()) {
                char e = file.charAt(i + 1);
                int skip = 2;
                char decodedChar;
                switch (e) {
                    case 'n' -> decodedChar = '\n';
                    case 't' -> decodedChar = '\t';
                    case '"' -> decodedChar = '"';
                    case '\\' -> decodedChar = '\\';
                    case '/' -> decodedChar = '/';
                    case ' ' -> decodedChar = ' ';
                    case '0' -> decodedChar = '\0';
                    case 'r' -> decodedChar = '\r';
                    case 'x' -> {
                        decodedChar = (char) Integer.parseInt(file.substring(i + 2, i + 4), 16);
                        skip = 4;
                    }
                    case 'u' -> {
                        decodedChar = (char) Integer.parseInt(file.substring(i + 2, i + 6), 16);
                        skip = 6;
                    }
                    default -> throw new IllegalStateException("escape");
                }
                out.append(decodedChar);
                pos.add(new int[]{line, col});
                i += skip;
                continue;
            }
            out.append(c);
            pos.add(new int[]{line, col});
            i++;
        }
    }
}
