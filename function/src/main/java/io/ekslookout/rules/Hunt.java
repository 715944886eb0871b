package io.ekslookout.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;

/**
 * An investigative query with parameters (rules/hunts/NAME.yaml). {@code {{name}}} placeholders in the query are
 * replaced by parameter values, escaped for where the placeholder stands so that a value can never break out of
 * it: inside a string literal ("..." or '...') backslashes and quotes are escaped; inside a regex literal
 * (/.../) the value is matched literally (every regex metacharacter and the slash are escaped); outside any
 * literal only a plain number, duration or field name is accepted.
 */
public record Hunt(String id, String title, String description, Map<String, Param> params, String queryTemplate,
                   String source) {
    public Hunt {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A declared parameter. */
    public record Param(String name, String description, String defaultValue, boolean required) {
    }

    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\}\\}");
    private static final Pattern BARE_SAFE = Pattern.compile("[A-Za-z0-9_@.:-]+");

    /** Where a placeholder stands in the query. */
    enum Context { DOUBLE_QUOTED, SINGLE_QUOTED, REGEX, BARE }

    /** A placeholder occurrence: name, [start, end) in the template, context. */
    record Slot(String name, int start, int end, Context context) {
    }

    /** The placeholders of a template, in order. */
    static List<Slot> slots(String template) {
        List<Slot> out = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            out.add(new Slot(m.group(1), m.start(), m.end(), contextAt(template, m.start())));
        }
        return out;
    }

    /** Which literal (if any) is open at position {@code at}. */
    static Context contextAt(String t, int at) {
        Context ctx = Context.BARE;
        char last = '|';
        for (int i = 0; i < at; i++) {
            char c = t.charAt(i);
            switch (ctx) {
                case BARE -> {
                    if (c == '#') {
                        while (i < at && t.charAt(i) != '\n') {
                            i++;
                        }
                    } else if (c == '"') {
                        ctx = Context.DOUBLE_QUOTED;
                    } else if (c == '\'') {
                        ctx = Context.SINGLE_QUOTED;
                    } else if (c == '/' && !(Character.isLetterOrDigit(last) || last == ')' || last == ']')) {
                        ctx = Context.REGEX;
                    } else if (c == '/' && endsWithWord(t.substring(0, i), "like")) {
                        ctx = Context.REGEX;
                    } else if (c == '`') {
                        int close = t.indexOf('`', i + 1);
                        i = close < 0 || close >= at ? at : close;
                    }
                    if (!Character.isWhitespace(c)) {
                        last = c;
                    }
                }
                case DOUBLE_QUOTED, SINGLE_QUOTED, REGEX -> {
                    char close = ctx == Context.DOUBLE_QUOTED ? '"' : ctx == Context.SINGLE_QUOTED ? '\'' : '/';
                    if (c == '\\') {
                        i++;
                    } else if (c == close) {
                        ctx = Context.BARE;
                        last = 'a';
                    }
                }
            }
        }
        return ctx;
    }

    private static boolean endsWithWord(String s, String word) {
        String t = s.stripTrailing().toLowerCase(java.util.Locale.ROOT);
        return t.endsWith(word) && (t.length() == word.length()
                || !Character.isLetterOrDigit(t.charAt(t.length() - word.length() - 1)));
    }

    /** Escapes a value for a context; throws IllegalArgumentException when a bare value is unsafe. */
    static String escape(String value, Context ctx, String name) {
        switch (ctx) {
            case DOUBLE_QUOTED:
                return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ");
            case SINGLE_QUOTED:
                return value.replace("\\", "\\\\").replace("'", "\\'").replace("\n", " ");
            case REGEX: {
                StringBuilder sb = new StringBuilder();
                for (char c : value.toCharArray()) {
                    if ("\\^$.|?*+()[]{}/".indexOf(c) >= 0) {
                        sb.append('\\');
                    }
                    sb.append(c == '\n' ? ' ' : c);
                }
                return sb.toString();
            }
            default:
                if (!BARE_SAFE.matcher(value).matches()) {
                    throw new IllegalArgumentException("parameter '" + name + "' is used outside quotes, so its value"
                            + " must be a plain number, duration or name (letters, digits, _ @ . : -), not '"
                            + value + "'");
                }
                return value;
        }
    }

    /**
     * The query with every placeholder replaced: given values first, then defaults.
     *
     * @throws IllegalArgumentException naming a missing required parameter, an unknown parameter or an unsafe
     *                                  value
     */
    public String render(Map<String, String> values) {
        for (String k : values.keySet()) {
            if (!params.containsKey(k)) {
                throw new IllegalArgumentException("hunt '" + id + "' has no parameter '" + k + "' (parameters: "
                        + String.join(", ", params.keySet()) + ")");
            }
        }
        Map<String, String> resolved = resolve(values);
        StringBuilder sb = new StringBuilder();
        int at = 0;
        for (Slot s : slots(queryTemplate)) {
            sb.append(queryTemplate, at, s.start());
            sb.append(escape(resolved.get(s.name()), s.context(), s.name()));
            at = s.end();
        }
        sb.append(queryTemplate.substring(at));
        return sb.toString();
    }

    /** Given values plus defaults; every parameter gets a value or the call fails naming what is missing. */
    public Map<String, String> resolve(Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Param p : params.values()) {
            String v = values.get(p.name());
            if (v == null) {
                v = p.defaultValue();
            }
            if (v == null) {
                missing.add(p.name() + (p.description() == null || p.description().isBlank() ? ""
                        : " (" + p.description().strip() + ")"));
            } else {
                out.put(p.name(), v);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("hunt '" + id + "' needs " + (missing.size() == 1 ? "parameter " :
                    "parameters ") + String.join(", ", missing) + ": pass --param NAME=VALUE");
        }
        return out;
    }

    /**
     * The query rendered with these values and parsed, once: what every back end runs.
     *
     * @throws IllegalArgumentException as {@link #render}
     * @throws io.ekslookout.query.QueryException when the rendered query does not parse (line and column of the
     *                                            rendered text)
     */
    public io.ekslookout.query.Query query(Map<String, String> values) {
        return io.ekslookout.query.Query.parse(render(values));
    }

    /**
     * A rule that runs this hunt with these values: every result row is reported (severity info).
     *
     * @throws IllegalArgumentException as {@link #render}, or when the rendered query does not parse
     */
    public Rule toRule(Map<String, String> values) {
        io.ekslookout.query.Query q;
        try {
            q = query(values);
        } catch (io.ekslookout.query.QueryException e) {
            throw new IllegalArgumentException("hunt '" + id + "': query does not parse: " + e.getMessage(), e);
        }
        return new Rule(id, title, Severity.INFO, description, q.text(), q, null, null, null, null, null,
                true, source);
    }
}
