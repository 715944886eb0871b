package io.ekslookout.query;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which event fields each output column of a query is computed from, through aliases, {@code parse} captures,
 * {@code unnest} and function calls: {@code fields requestObject.data.x as key} gives {@code key ← requestObject.data.x};
 * {@code parse @message '"pw":"*"' as pw} gives {@code pw ← @message}. The secret scrubber uses it to know a column
 * carries Secret data whatever its name. Filters and sorts create nothing, so they add no source.
 */
final class Lineage {
    private Lineage() {
    }

    /** Output column → the event fields it reads (a column read straight from the event maps to itself). */
    static Map<String, Set<String>> of(List<Command> commands, List<String> columns) {
        Map<String, Set<String>> made = new LinkedHashMap<>();
        for (Command c : commands) {
            if (c instanceof Command.Fields f) {
                for (Command.Item i : f.items) {
                    if (!(i.expr() instanceof Expr.Field fr && fr.name.equals(i.name()))) {
                        made.put(i.name(), sources(i.expr(), made));
                    }
                }
            } else if (c instanceof Command.Parse p) {
                Set<String> from = sources(p.source, made);
                p.names.stream().filter(n -> n != null).forEach(n -> made.put(n, from));
            } else if (c instanceof Command.Unnest u) {
                made.put(u.into, sources(u.source, made));
            } else if (c instanceof Command.Stats s) {
                Map<String, Set<String>> after = new LinkedHashMap<>();
                s.groups.forEach(i -> after.put(i.name(), sources(i.expr(), made)));
                s.aggregates.forEach(i -> after.put(i.name(), sources(i.expr(), made)));
                made.clear();
                made.putAll(after);
            }
        }
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String col : columns) {
            out.put(col, Set.copyOf(made.getOrDefault(col, Set.of(col))));
        }
        return out;
    }

    private static Set<String> sources(Expr root, Map<String, Set<String>> made) {
        Set<String> out = new LinkedHashSet<>();
        root.walk(e -> {
            if (e instanceof Expr.Field f) {
                Set<String> known = createdPrefix(f.name, made);
                if (known != null) {
                    out.addAll(known);
                } else {
                    out.add(f.name);
                }
            }
        });
        return out;
    }

    /** The sources of a created field the name reads (itself or a prefix: {@code x.y} of a created {@code x}). */
    private static Set<String> createdPrefix(String name, Map<String, Set<String>> made) {
        String n = name;
        while (true) {
            Set<String> s = made.get(n);
            if (s != null) {
                return s;
            }
            int dot = n.lastIndexOf('.');
            if (dot <= 0) {
                return null;
            }
            n = n.substring(0, dot);
        }
    }

    /**
     * True when a filter before any stats keeps only events that cannot be Secrets: a conjunct
     * {@code objectRef.resource = "x"} or {@code objectRef.resource in [...]} without {@code "secrets"}, or a
     * {@code @logStream} match that does not name the audit stream (authenticator, scheduler… lines hold no Secret).
     */
    static boolean excludesSecrets(List<Command> commands) {
        for (Command c : commands) {
            if (c instanceof Command.Stats) {
                return false;
            }
            if (c instanceof Command.Filter f && excludes(f.condition)) {
                return true;
            }
        }
        return false;
    }

    private static boolean excludes(Expr e) {
        if (e instanceof Expr.Logical l) {
            return l.and ? excludes(l.left) || excludes(l.right) : excludes(l.left) && excludes(l.right);
        }
        if (e instanceof Expr.Compare c && c.op == Token.Type.EQ) {
            String field = c.left instanceof Expr.Field f ? f.name : c.right instanceof Expr.Field f ? f.name : null;
            Expr other = c.left instanceof Expr.Field ? c.right : c.left;
            if (field != null && other instanceof Expr.Literal lit && lit.value instanceof String v) {
                return nonSecret(field, v);
            }
        }
        if (e instanceof Expr.In in && !in.negated && in.subject instanceof Expr.Field f && !in.values.isEmpty()) {
            return in.values.stream().allMatch(v -> v instanceof String s && nonSecret(f.name, s));
        }
        if (e instanceof Expr.Like like && !like.negated && like.subject instanceof Expr.Field f
                && f.name.equals("@logStream")) {
            String src = e.text != null ? e.text : like.substring;
            return src != null && !src.toLowerCase(java.util.Locale.ROOT).contains("audit");
        }
        return false;
    }

    private static boolean nonSecret(String field, String value) {
        return switch (field) {
            case "objectRef.resource" -> !value.equals("secrets");
            case "@logStream" -> !value.toLowerCase(java.util.Locale.ROOT).contains("audit");
            default -> false;
        };
    }
}
