package io.ekslookout.query;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The flattened JSON field names a set of queries reference, as a tree of path segments, so discovery walks
 * the JSON once and materializes only those leaves.
 */
final class FieldTrie {
    final Map<String, FieldTrie> children = new HashMap<>();
    String name; // the flattened field name ending here, or null
    int size;    // number of names in the whole trie (root only)
    /** The children again as parallel arrays, for lookups by a region of the message (no key String). */
    private String[] keys = new String[0];
    private FieldTrie[] kids = new FieldTrie[0];

    static FieldTrie of(Set<String> names) {
        FieldTrie root = new FieldTrie();
        for (String n : names) {
            if (n.isEmpty() || n.startsWith("@") && !n.startsWith("@@")) {
                continue; // system fields and query-created @names are never discovered from JSON
            }
            FieldTrie node = root;
            for (String seg : n.split("\\.", -1)) {
                node = node.children.computeIfAbsent(seg, k -> new FieldTrie());
            }
            if (node.name == null) {
                node.name = n;
                root.size++;
            }
        }
        root.freeze();
        return root;
    }

    private void freeze() {
        keys = children.keySet().toArray(new String[0]);
        kids = new FieldTrie[keys.length];
        for (int i = 0; i < keys.length; i++) {
            kids[i] = children.get(keys[i]);
            kids[i].freeze();
        }
    }

    /**
     * The child for the JSON key {@code s[from, to)} (characters needing no decoding), as {@link #child(String)}
     * with the top level's {@code @} rule applied when {@code top}.
     */
    FieldTrie child(String s, int from, int to, boolean top) {
        int len = to - from;
        if (top && len > 0 && s.charAt(from) == '@') {
            return child("@" + s.substring(from, to));
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == '.') {
                return child(s.substring(from, to));
            }
        }
        String[] ks = keys;
        for (int i = 0; i < ks.length; i++) {
            String k = ks[i];
            if (k.length() == len && s.regionMatches(from, k, 0, len)) {
                return kids[i];
            }
        }
        return null;
    }

    /** The child for a JSON key, following dots inside the key; null when nothing below is wanted. */
    FieldTrie child(String key) {
        if (key.indexOf('.') < 0) {
            return children.get(key);
        }
        FieldTrie node = this;
        int from = 0;
        while (node != null) {
            int dot = key.indexOf('.', from);
            String seg = dot < 0 ? key.substring(from) : key.substring(from, dot);
            node = node.children.get(seg);
            if (dot < 0) {
                return node;
            }
            from = dot + 1;
        }
        return null;
    }
}
