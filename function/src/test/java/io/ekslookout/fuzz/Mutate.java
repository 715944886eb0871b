package io.ekslookout.fuzz;

import java.util.List;
import java.util.Random;

/** Small random edits of a valid input: the inputs that get furthest into a parser before something is wrong. */
final class Mutate {
    private Mutate() {
    }

    /** One to {@code maxEdits} edits of {@code s}, each drawing from {@code pieces} for what it inserts. */
    static String text(Random r, String s, List<String> pieces, int maxEdits) {
        int edits = 1 + r.nextInt(maxEdits);
        for (int i = 0; i < edits; i++) {
            s = edit(r, s, pieces);
        }
        return s;
    }

    private static String edit(Random r, String s, List<String> pieces) {
        int at = s.isEmpty() ? 0 : r.nextInt(s.length() + 1);
        int len = Math.min(s.length() - at, r.nextInt(8));
        return switch (r.nextInt(7)) {
            case 0 -> s.substring(0, at) + Fuzz.pick(r, pieces) + s.substring(at + len);       // replace
            case 1 -> s.substring(0, at) + Fuzz.pick(r, pieces) + s.substring(at);             // insert
            case 2 -> s.substring(0, at) + s.substring(at + len);                              // delete
            case 3 -> s.substring(0, at);                                                      // truncate
            case 4 -> s.substring(0, at) + s.substring(at, at + len).repeat(2 + r.nextInt(30))
                    + s.substring(at + len);                                                   // repeat
            case 5 -> s.substring(0, at) + randomChars(r, 1 + r.nextInt(4)) + s.substring(at); // noise
            default -> swapLines(r, s);
        };
    }

    /** Any UTF-16 units: ASCII, controls, any BMP char (lone surrogates included), supplementary code points. */
    static String randomChars(Random r, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            switch (r.nextInt(4)) {
                case 0 -> sb.append((char) (0x20 + r.nextInt(0x5f)));
                case 1 -> sb.append((char) r.nextInt(0x20));
                case 2 -> sb.append((char) r.nextInt(0x10000));
                default -> sb.appendCodePoint(0x10000 + r.nextInt(0x100000));
            }
        }
        return sb.toString();
    }

    /** Moves one line elsewhere (indentation-sensitive formats break in interesting ways). */
    private static String swapLines(Random r, String s) {
        String[] lines = s.split("\n", -1);
        if (lines.length < 2) {
            return s;
        }
        int a = r.nextInt(lines.length);
        int b = r.nextInt(lines.length);
        String t = lines[a];
        lines[a] = lines[b];
        lines[b] = t;
        return String.join("\n", lines);
    }
}
