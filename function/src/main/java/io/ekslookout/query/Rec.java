package io.ekslookout.query;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A record flowing through a query's pipeline: an event (shared, read-only) plus the fields the query created
 * or overwrote. Aggregate rows have no event. Name resolution: created fields, then system fields, then
 * discovered JSON fields, then a path into a MAP/LIST value ({@code js.accounts.0.id}).
 */
final class Rec {
    final EventView ev;
    final Env env;
    Map<String, Object> vals;
    /** Sort keys captured by each sort of the streaming part, in command order. */
    Object[][] sortKeys;
    /** Aggregate results while a stats output row is being computed. */
    Object[] aggs;

    Rec(EventView ev, Env env) {
        this.ev = ev;
        this.env = env;
    }

    Object get(String name) {
        if (vals != null) {
            Object v = vals.get(name);
            if (v != null || vals.containsKey(name)) {
                return v;
            }
        }
        Object v = null;
        if (ev != null) {
            if (name.startsWith("@") && !name.startsWith("@@")) {
                return system(name);
            }
            v = ev.json(name);
        }
        if (v == null && vals != null && name.indexOf('.') > 0) {
            v = path(name);
        }
        return v;
    }

    private Object system(String name) {
        LogEvent e = ev.event;
        switch (name) {
            case "@timestamp":
                return new Timestamp(e.timestamp());
            case "@message":
                return e.message();
            case "@logStream":
                return e.logStream();
            case "@log":
                return env.ctx.accountId() + ":" + (e.logGroup() != null ? e.logGroup() : env.ctx.logGroup());
            case "@ingestionTime":
                return e.ingestionTime();
            case "@ptr":
                return ptr();
            default:
                return null;
        }
    }

    String ptr() {
        if (ev == null) {
            return null;
        }
        return ev.event.eventId() != null ? ev.event.eventId() : "local-" + ev.seq;
    }

    /** Longest prefix naming a MAP/LIST created by the query, then navigation by the remaining segments. */
    private Object path(String name) {
        int dot = name.lastIndexOf('.');
        while (dot > 0) {
            Object base = vals.get(name.substring(0, dot));
            if (base instanceof Map || base instanceof List) {
                Object v = base;
                for (String seg : name.substring(dot + 1).split("\\.", -1)) {
                    v = member(v, seg);
                    if (v == null) {
                        return null;
                    }
                }
                return v;
            }
            dot = name.lastIndexOf('.', dot - 1);
        }
        return null;
    }

    static Object member(Object base, String key) {
        if (base instanceof Map<?, ?> m) {
            return m.get(key);
        }
        if (base instanceof List<?> l) {
            try {
                int i = Integer.parseInt(key);
                return i >= 0 && i < l.size() ? l.get(i) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    void set(String name, Object value) {
        if (vals == null) {
            vals = new HashMap<>(8);
        }
        vals.put(name, value);
    }

    Rec copy() {
        Rec r = new Rec(ev, env);
        if (vals != null) {
            r.vals = new HashMap<>(vals);
        }
        r.sortKeys = sortKeys;
        return r;
    }

    long timestamp() {
        return ev != null ? ev.event.timestamp() : Long.MIN_VALUE;
    }

    long seq() {
        return ev != null ? ev.seq : 0;
    }
}
