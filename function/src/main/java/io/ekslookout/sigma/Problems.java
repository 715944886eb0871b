package io.ekslookout.sigma;

import io.ekslookout.rules.RuleProblem;
import io.ekslookout.rules.YamlNode;

import java.util.ArrayList;
import java.util.List;

/** The located reasons one Sigma file is refused (conversion goes on to find them all, then writes nothing). */
final class Problems {
    final String file;
    final String text;
    final List<RuleProblem> list = new ArrayList<>();

    Problems(String file, String text) {
        this.file = file;
        this.text = text;
    }

    void at(YamlNode n, String message) {
        list.add(new RuleProblem(file, n == null ? 1 : n.line(), n == null ? 1 : n.column(), message));
    }

    void at(int line, int column, String message) {
        list.add(new RuleProblem(file, line, column, message));
    }

    /**
     * Where the {@code index}-th character of a mapping key written at line:column is, when the key is written
     * plain or quoted on that line (else the key's own start).
     */
    int[] inKey(int line, int column, String key, int index) {
        int start = lineStart(line);
        if (start >= 0) {
            int at = start + column - 1;
            if (text.startsWith(key, at)) {
                return new int[]{line, column + index};
            }
            if (at < text.length() && (text.charAt(at) == '\'' || text.charAt(at) == '"')
                    && text.startsWith(key, at + 1)) {
                return new int[]{line, column + 1 + index};
            }
        }
        return new int[]{line, column};
    }

    private int lineStart(int line) {
        int l = 1;
        int i = 0;
        while (l < line) {
            int nl = text.indexOf('\n', i);
            if (nl < 0) {
                return -1;
            }
            i = nl + 1;
            l++;
        }
        return i;
    }

    boolean isEmpty() {
        return list.isEmpty();
    }
}
