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
        return root;
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
