package io.ekslookout.export;

import io.ekslookout.notify.SafeText;

/** Cutting text to a field's limit, at a word boundary when there is one near the end, marked with an ellipsis. */
final class Text {
    private Text() {
    }

    /** {@code s} when it fits in {@code max} characters, else cut (at a space when one is in the last fifth) + "…". */
    static String cut(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        int space = s.lastIndexOf(' ', end);
        if (space > max * 4 / 5) {
            end = space;
        }
        return s.substring(0, end).stripTrailing() + "…";
    }

    /** A value from logs made plain (no terminal controls, no line breaks) and cut to {@code max}. */
    static String log(String s, int max) {
        return s == null ? null : cut(SafeText.plain(s, max + 1), max);
    }
}
