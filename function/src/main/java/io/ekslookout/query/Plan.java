package io.ekslookout.query;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a parsed query needs before it runs: structural validation, the output columns, the JSON fields it reads,
 * the streaming prefix (commands applied event by event before the first stats/limit/dedup) and the literal
 * pre-checks of its leading filters.
 */
final class Plan {
    final List<Command> commands;
    /** Index of the first stats, limit or dedup; commands before it run per event. */
    final int barrier;
    final List<String> columns;
    final boolean aggregate;
    /** A limit/head or dedup: fewer rows than matched events on purpose. */
    final boolean cutsRows;
    final Set<String> referenced;
    /**
     * The commands before the barrier in evaluation order: filters moved ahead of sorts (sorting does not change
     * a filter's outcome) and, among adjacent filters, cheaper ones first ({@link #cost}: system fields, then JSON
     * fields, then regexes over the whole message). Same results, less work: a test on {@code @logStream} rejects an
     * event before its message is parsed, a field test before a regex scans the message.
     */
    final List<Command> streaming;
    /**
     * Necessary conditions on the raw event (one per streaming filter, null where none is known): an event failing
     * one cannot reach the sink, so the batch skips it for this query without parsing (see {@link Prefilter}).
     */
    final List<Prefilter.Node> prefilter = new ArrayList<>();
    /** Number of sort commands before the barrier (their keys are captured per record). */
    final int streamingSorts;
    /** Aggregate calls of each stats command, in slot order. */
    final List<List<Expr.AggCall>> statsSlots = new ArrayList<>();

    /** False: no pre-checks, no reordering, whole-message discovery (the naive reference for tests). */
    final boolean optimize;

    Plan(List<Command> commands, boolean optimize) {
        this.commands = commands;
        this.optimize = optimize;
        validate();
        int b = commands.size();
        int sorts = 0;
        for (int i = 0; i < commands.size(); i++) {
            Command c = commands.get(i);
            if (c instanceof Command.Stats || c instanceof Command.Limit || c instanceof Command.Dedup) {
                b = i;
                break;
            }
            if (c instanceof Command.Sort) {
                sorts++;
            }
        }
        this.barrier = b;
        this.streamingSorts = sorts;
        this.columns = columns();
        this.aggregate = commands.stream().anyMatch(c -> c instanceof Command.Stats);
        this.cutsRows = commands.stream().anyMatch(c -> c instanceof Command.Limit || c instanceof Command.Dedup);
        this.referenced = referencedAndGuards();
        this.streaming = streamingOrder();
        for (Command c : commands) {
            if (c instanceof Command.Stats s) {
                List<Expr.AggCall> slots = new ArrayList<>();
                for (Command.Item item : s.aggregates) {
                    item.expr().walk(e -> {
                        if (e instanceof Expr.AggCall a) {
                            a.slot = slots.size();
                            slots.add(a);
                        }
                    });
                }
                statsSlots.add(slots);
            }
        }
    }

    private static QueryException error(Expr e, String message) {
        return new QueryException(e.line, e.column, message);
    }

    private static QueryException error(Command c, String message) {
        return new QueryException(c.keyword.line(), c.keyword.column(), message);
    }

    // ------------------------------------------------------------------ validation

    private void validate() {
        int stats = 0;
        boolean dedup = false;
        Set<String> available = null; // null until the first stats: everything is available
        for (Command c : commands) {
            if (dedup && !(c instanceof Command.Limit)) {
                throw error(c, "only limit may follow dedup, found " + c.name());
            }
            if (c instanceof Command.Dedup) {
                dedup = true;
            }
            if (stats == 1 && (c instanceof Command.Sort || c instanceof Command.Limit)
                    && laterStats(c)) {
                throw error(c, c.name() + " must come after the second stats command");
            }
            if (available != null) {
                checkAvailable(c, available);
            }
            if (c instanceof Command.Stats s) {
                stats++;
                if (stats > 2) {
                    throw error(c, "at most two stats commands are allowed in a query");
                }
                validateStats(s);
                available = new LinkedHashSet<>();
                for (Command.Item g : s.groups) {
                    available.add(g.name());
                }
                for (Command.Item a : s.aggregates) {
                    available.add(a.name());
                }
            } else if (available != null) {
                available.addAll(created(c));
            }
        }
    }

    private boolean laterStats(Command c) {
        int i = commands.indexOf(c);
        for (int j = i + 1; j < commands.size(); j++) {
            if (commands.get(j) instanceof Command.Stats) {
                return true;
            }
        }
        return false;
    }

    private static void validateStats(Command.Stats s) {
        Set<String> earlier = new LinkedHashSet<>();
        for (Command.Item g : s.groups) {
            g.expr().walk(e -> {
                if (e instanceof Expr.AggCall) {
                    throw error(e, "aggregate functions are not allowed after 'by'");
                }
            });
        }
        for (Command.Item item : s.aggregates) {
            boolean[] agg = {false};
            List<Expr.Field> fields = new ArrayList<>();
            item.expr().walk(e -> {
                if (e instanceof Expr.AggCall) {
                    agg[0] = true;
                }
            });
            collectFieldsOutsideAggregates(item.expr(), fields);
            for (Expr.Field f : fields) {
                if (!earlier.contains(f.name)) {
                    throw error(f, "expected an aggregate function such as count(*), sum(" + f.name
                            + ") or max(" + f.name + "): '" + f.name + "' is neither aggregated nor an earlier alias "
                            + "of this stats");
                }
            }
            if (!agg[0] && fields.isEmpty()) {
                throw error(item.expr(), "expected an aggregate function such as count(*) in stats");
            }
            earlier.add(item.name());
        }
    }

    private static void collectFieldsOutsideAggregates(Expr e, List<Expr.Field> out) {
        if (e instanceof Expr.AggCall) {
            return;
        }
        if (e instanceof Expr.Field f) {
            out.add(f);
            return;
        }
        for (Expr c : e.children()) {
            collectFieldsOutsideAggregates(c, out);
        }
    }

    private static void checkAvailable(Command c, Set<String> available) {
        for (Expr root : expressions(c)) {
            root.walk(e -> {
                if (e instanceof Expr.Field f && !isAvailable(f.name, available)) {
                    throw error(f, "field '" + f.name + "' is not available after stats: only its output columns "
                            + String.join(", ", available) + " (and fields created later) can be used");
                }
                if (e instanceof Expr.Call call && call.name.equals("bin")) {
                    throw error(e, "bin() needs @timestamp, which is not available after stats; keep a time column "
                            + "(e.g. max(@timestamp) as t) and use datefloor(t, 5m)");
                }
            });
        }
        if (c instanceof Command.Dedup d) {
            for (String f : d.fields) {
                if (!isAvailable(f, available)) {
                    throw error(c, "field '" + f + "' is not available after stats");
                }
            }
        }
    }

    private static boolean isAvailable(String name, Set<String> available) {
        if (available.contains(name)) {
            return true;
        }
        int dot = name.lastIndexOf('.');
        while (dot > 0) {
            if (available.contains(name.substring(0, dot))) {
                return true;
            }
            dot = name.lastIndexOf('.', dot - 1);
        }
        return false;
    }

    /** The expressions a command evaluates (in evaluation order). */
    static List<Expr> expressions(Command c) {
        List<Expr> out = new ArrayList<>();
        if (c instanceof Command.Fields f) {
            f.items.forEach(i -> out.add(i.expr()));
        } else if (c instanceof Command.Filter f) {
            out.add(f.condition);
        } else if (c instanceof Command.Stats s) {
            s.groups.forEach(i -> out.add(i.expr()));
            s.aggregates.forEach(i -> out.add(i.expr()));
        } else if (c instanceof Command.Sort s) {
            s.keys.forEach(k -> out.add(k.expr()));
        } else if (c instanceof Command.Parse p) {
            out.add(p.source);
        } else if (c instanceof Command.Unnest u) {
            out.add(u.source);
        } else if (c instanceof Command.Dedup d) {
            d.fields.forEach(n -> out.add(new Expr.Field(n).at(d.keyword)));
        }
        return out;
    }

    /** Names a command stores into records. */
    static List<String> created(Command c) {
        List<String> out = new ArrayList<>();
        if (c instanceof Command.Fields f) {
            for (Command.Item i : f.items) {
                if (!(i.expr() instanceof Expr.Field fr && fr.name.equals(i.name()))) {
                    out.add(i.name());
                }
            }
        } else if (c instanceof Command.Parse p) {
            p.names.stream().filter(n -> n != null).forEach(out::add);
        } else if (c instanceof Command.Unnest u) {
            out.add(u.into);
        } else if (c instanceof Command.Stats s) {
            s.groups.forEach(i -> out.add(i.name()));
            s.aggregates.forEach(i -> out.add(i.name()));
        }
        return out;
    }

    // ------------------------------------------------------------------ projection

    private List<String> columns() {
        Set<String> projection = new LinkedHashSet<>();
        List<String> display = null;
        boolean explicit = false;
        Set<String> extracted = new LinkedHashSet<>();
        for (Command c : commands) {
            if (c instanceof Command.Fields f) {
                List<String> names = f.items.stream().map(Command.Item::name).toList();
                if (f.display) {
                    display = names;
                } else {
                    projection.addAll(names);
                    explicit = true;
                }
            } else if (c instanceof Command.Stats s) {
                projection.clear();
                s.groups.forEach(i -> projection.add(i.name()));
                s.aggregates.forEach(i -> projection.add(i.name()));
                explicit = true;
                display = null;
            } else if (c instanceof Command.Parse || c instanceof Command.Unnest) {
                extracted.addAll(created(c));
            }
        }
        if (display != null) {
            return List.copyOf(new LinkedHashSet<>(display));
        }
        if (explicit) {
            return List.copyOf(projection);
        }
        Set<String> def = new LinkedHashSet<>(List.of("@timestamp", "@message"));
        def.addAll(extracted); // reference UNK-4: extracted fields follow the default columns
        return List.copyOf(def);
    }

    // ------------------------------------------------------------------ evaluation order

    private List<Command> streamingOrder() {
        List<Command> out = new ArrayList<>(commands.subList(0, barrier));
        if (!optimize) {
            return List.copyOf(out);
        }
        Set<String> created = new LinkedHashSet<>();
        List<Set<String>> createdBefore = new ArrayList<>();
        for (Command c : out) {
            createdBefore.add(new LinkedHashSet<>(created));
            created.addAll(created(c));
        }
        java.util.Map<Command, Integer> cost = new java.util.IdentityHashMap<>();
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) instanceof Command.Filter f) {
                cost.put(f, cost(f.condition, createdBefore.get(i)));
                cheapFirst(f.condition, createdBefore.get(i));
            }
        }
        // bubble each filter left over sorts, and over filters that cost more (stable among equal costs)
        for (int i = 1; i < out.size(); i++) {
            if (!(out.get(i) instanceof Command.Filter f)) {
                continue;
            }
            int j = i;
            while (j > 0) {
                Command before = out.get(j - 1);
                boolean overSort = before instanceof Command.Sort;
                boolean overCostlier = before instanceof Command.Filter b && cost.get(f) < cost.get(b);
                if (!overSort && !overCostlier) {
                    break;
                }
                out.set(j, before);
                out.set(j - 1, f);
                j--;
            }
        }
        return List.copyOf(out);
    }

    /** Swaps and-operands so the cheaper side ({@link #cost}) is evaluated first (and is commutative here). */
    private static void cheapFirst(Expr e, Set<String> created) {
        if (e instanceof Expr.Logical l) {
            cheapFirst(l.left, created);
            cheapFirst(l.right, created);
            if (l.and && cost(l.left, created) > cost(l.right, created)) {
                l.swap();
            }
        }
    }

    /**
     * Evaluation cost class of a condition: 0 reads only system fields (a stream-name test, a plain-text
     * {@code @message} search); 1 reads a JSON field (the message may have to be parsed); 2 runs a regex engine over
     * the whole {@code @message} ({@code /"privileged":\s*true/}), which costs more than reading a few leading
     * fields of an already parsed event: it runs after the field tests that usually reject the event.
     */
    static int cost(Expr e, Set<String> created) {
        int[] c = {0};
        e.walk(x -> {
            if (x instanceof Expr.Like l && l.regex != null && !l.regex.isPlain() && l.subject instanceof Expr.Field f
                    && f.name.equals("@message") && !isCreated(f.name, created)) {
                c[0] = 2;
            } else if (isJsonField(x, created)) {
                c[0] = Math.max(c[0], 1);
            }
        });
        return c[0];
    }

    // ------------------------------------------------------------------ JSON fields and pre-checks

    private Set<String> referencedAndGuards() {
        Set<String> refs = new LinkedHashSet<>();
        Set<String> created = new LinkedHashSet<>();
        for (int i = 0; i < commands.size(); i++) {
            Command c = commands.get(i);
            if (c instanceof Command.Stats s) {
                for (Command.Item g : s.groups) {
                    collect(g.expr(), created, refs);
                }
                for (Command.Item a : s.aggregates) {
                    a.expr().walk(e -> {
                        if (e instanceof Expr.AggCall call) {
                            for (Expr arg : call.args) {
                                collect(arg, created, refs);
                            }
                        }
                    });
                }
                break; // after stats, records are aggregate rows: no more event fields
            }
            for (Expr e : expressions(c)) {
                collect(e, created, refs);
            }
            if (optimize && i < barrier && c instanceof Command.Filter f) {
                guard(f.condition, created);
                prefilter.add(Prefilter.necessary(f.condition, created));
            }
            created.addAll(created(c));
        }
        // columns read at the end from the final record (after stats they are all stats outputs)
        for (String col : aggregate ? List.<String>of() : columns) {
            if (!isCreated(col, created)) {
                refs.add(col);
            }
        }
        return Set.copyOf(refs);
    }

    private static void collect(Expr root, Set<String> created, Set<String> refs) {
        root.walk(e -> {
            if (e instanceof Expr.Field f && !isCreated(f.name, created)) {
                refs.add(f.name);
            }
        });
    }

    static boolean isCreated(String name, Set<String> created) {
        return isAvailable(name, created);
    }

    static boolean isJsonField(Expr e, Set<String> created) {
        return e instanceof Expr.Field f && (!f.name.startsWith("@") || f.name.startsWith("@@"))
                && !isCreated(f.name, created);
    }

    /** Attaches raw-message pre-checks to the positive (and/or) predicates of a leading filter. */
    private static void guard(Expr e, Set<String> created) {
        if (e instanceof Expr.Logical l) {
            guard(l.left, created);
            guard(l.right, created);
        } else if (e instanceof Expr.Compare c && c.op == Token.Type.EQ) {
            Expr field = isJsonField(c.left, created) ? c.left : isJsonField(c.right, created) ? c.right : null;
            Expr other = field == c.left ? c.right : c.left;
            if (field != null && other instanceof Expr.Literal lit && lit.value instanceof String s
                    && eligible(s) && Values.parseNumber(s) == null) {
                c.guard = new String[] {s};
            }
        } else if (e instanceof Expr.Like l && !l.negated && l.substring != null && isJsonField(l.subject, created)
                && eligible(l.substring) && !numericLooking(l.substring)) {
            l.guard = new String[] {l.substring};
        } else if (e instanceof Expr.In in && !in.negated && isJsonField(in.subject, created)) {
            List<String> literals = new ArrayList<>();
            for (Object v : in.values) {
                if (!(v instanceof String s) || !eligible(s) || Values.parseNumber(s) != null) {
                    return;
                }
                literals.add(s);
            }
            in.guard = literals.toArray(new String[0]);
        } else if (e instanceof Expr.Call call && call.name.equals("strcontains") && call.args.length == 2
                && isJsonField(call.args[0], created) && call.args[1] instanceof Expr.Literal lit
                && lit.value instanceof String s && eligible(s) && !numericLooking(s)) {
            call.guard = new String[] {s};
        }
    }

    /** A literal a JSON writer copies verbatim (apart from \\u and \\/ escapes, which the check allows for). */
    static boolean eligible(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** True when every character could come from a rendered number (then a numeric leaf might match). */
    private static boolean numericLooking(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
