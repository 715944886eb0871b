package io.ekslookout.sigma;

import io.ekslookout.query.Regex;
import io.ekslookout.rules.YamlNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One Sigma search identifier (a selection) as a {@link Cond}: a mapping is the AND of its fields, a list of
 * mappings the OR of them, a list of plain values keywords searched in the raw event. A field's list of values is
 * the OR of them ({@code |all}: the AND). Every value becomes an exact, escaped test: Sigma's defaults are
 * honoured (case-insensitive unless {@code |cased}; {@code *} and {@code ?} wildcards with {@code \} escapes).
 */
final class Selections {
    /** Modifiers this converter supports; any other is refused by name. */
    static final List<String> MODIFIERS = List.of("contains", "startswith", "endswith", "all", "re", "i", "m", "s",
            "cased", "exists", "gt", "gte", "lt", "lte");
    private static final Set<String> MATCH = Set.of("contains", "startswith", "endswith", "re", "exists", "gt", "gte",
            "lt", "lte");

    private final Problems problems;
    /** Whether any test reads {@code stage} (then no default stage filter is added). */
    boolean readsStage;

    Selections(Problems problems) {
        this.problems = problems;
    }

    /** The identifier's expression, or null when something in it is refused (reported). */
    Cond selection(String name, YamlNode node) {
        if (node instanceof YamlNode.Mapping m) {
            return mapping(m);
        }
        if (node instanceof YamlNode.Sequence s) {
            if (s.items().isEmpty()) {
                problems.at(node, "search identifier '" + name + "' is an empty list");
                return null;
            }
            boolean maps = s.items().stream().allMatch(i -> i instanceof YamlNode.Mapping);
            boolean scalars = s.items().stream().allMatch(i -> i instanceof YamlNode.Scalar);
            if (maps) {
                List<Cond> any = new ArrayList<>();
                boolean ok = true;
                for (YamlNode i : s.items()) {
                    Cond c = mapping((YamlNode.Mapping) i);
                    ok &= c != null;
                    any.add(c);
                }
                return ok ? Cond.or(any) : null;
            }
            if (scalars) {
                return values(new Taxonomy.Field(Taxonomy.Kind.KEYWORD, null), "keywords", List.of(), node,
                        node.line(), node.column());
            }
            problems.at(node, "search identifier '" + name + "' mixes mappings and plain values in one list: use one"
                    + " search identifier for each");
            return null;
        }
        problems.at(node, "search identifier '" + name + "' must be a mapping of field: value or a list, found "
                + node.kind());
        return null;
    }

    private Cond mapping(YamlNode.Mapping m) {
        if (m.entries().isEmpty()) {
            problems.at(m, "empty mapping: a selection needs at least one field");
            return null;
        }
        List<Cond> all = new ArrayList<>();
        boolean ok = true;
        for (YamlNode.Mapping.Entry e : m.entries().values()) {
            Cond c = entry(e);
            ok &= c != null;
            all.add(c);
        }
        return ok ? Cond.and(all) : null;
    }

    /** {@code field|mod|mod: value(s)}. */
    private Cond entry(YamlNode.Mapping.Entry e) {
        String key = e.key();
        String[] parts = key.split("\\|", -1);
        String fieldName = parts[0];
        List<String> mods = new ArrayList<>();
        boolean ok = true;
        int offset = fieldName.length() + 1;
        for (int i = 1; i < parts.length; i++) {
            String mod = parts[i];
            int[] at = problems.inKey(e.line(), e.column(), key, offset);
            offset += mod.length() + 1;
            if (!MODIFIERS.contains(mod)) {
                problems.at(at[0], at[1], mod.isEmpty() ? "empty modifier in '" + key + "'"
                        : "modifier '" + mod + "' is not supported" + (mod.equals("cidr")
                        ? " (write the network as a regex, or compare sourceIPs.0 in a rule of your own)"
                        : "") + "; supported: " + String.join(", ", MODIFIERS));
                ok = false;
            } else if (mods.contains(mod)) {
                problems.at(at[0], at[1], "modifier '" + mod + "' is given twice");
                ok = false;
            } else {
                mods.add(mod);
            }
        }
        if (!ok) {
            return null;
        }
        List<String> matchMods = mods.stream().filter(MATCH::contains).toList();
        if (matchMods.size() > 1) {
            problems.at(e.line(), e.column(), "modifiers '" + String.join("' and '", matchMods)
                    + "' cannot be combined: give one of contains, startswith, endswith, re, exists, gt, gte, lt, lte");
            return null;
        }
        for (String flag : List.of("i", "m", "s")) {
            if (mods.contains(flag) && !mods.contains("re")) {
                problems.at(e.line(), e.column(), "modifier '" + flag + "' is a flag of 're': write '|re|" + flag
                        + "'");
                return null;
            }
        }
        if (mods.contains("re") && mods.contains("cased")) {
            problems.at(e.line(), e.column(), "'re' is already case-sensitive: drop 'cased' (or add '|i' to ignore"
                    + " case)");
            return null;
        }
        Taxonomy.Field field;
        try {
            field = Taxonomy.resolve(fieldName);
        } catch (IllegalArgumentException x) {
            problems.at(e.line(), e.column(), x.getMessage());
            return null;
        }
        if (field.kind() == Taxonomy.Kind.FIELD && field.auditName().equals("stage")) {
            readsStage = true;
        }
        return values(field, fieldName.isEmpty() ? "keywords" : "'" + fieldName + "'", mods, e.value(), e.line(),
                e.column());
    }

    /** The values of one field (or keywords), combined by OR, or AND with {@code |all}. */
    private Cond values(Taxonomy.Field field, String what, List<String> mods, YamlNode node, int line, int column) {
        List<YamlNode.Scalar> values = new ArrayList<>();
        if (node instanceof YamlNode.Scalar s) {
            values.add(s);
        } else if (node instanceof YamlNode.Sequence seq) {
            if (seq.items().isEmpty()) {
                problems.at(node, what + ": empty list of values");
                return null;
            }
            for (YamlNode i : seq.items()) {
                if (i instanceof YamlNode.Scalar s) {
                    values.add(s);
                } else {
                    problems.at(i, what + ": a value must be text, a number, a boolean or null, found " + i.kind());
                    return null;
                }
            }
        } else {
            problems.at(node, what + ": expected a value or a list of values, found " + node.kind());
            return null;
        }
        boolean all = mods.contains("all");
        if (mods.contains("exists")) {
            return exists(field, what, values, all);
        }
        for (String cmp : List.of("gt", "gte", "lt", "lte")) {
            if (mods.contains(cmp)) {
                return compare(field, what, cmp, values, all);
            }
        }
        if (mods.contains("re")) {
            return regex(field, what, mods, values, all);
        }
        return match(field, what, mods, values, all);
    }

    private Cond exists(Taxonomy.Field field, String what, List<YamlNode.Scalar> values, boolean all) {
        if (values.size() != 1 || values.get(0).type() != YamlNode.Scalar.Type.BOOLEAN || all) {
            problems.at(values.get(0), what + "|exists takes one value, true or false");
            return null;
        }
        boolean present = Boolean.parseBoolean(values.get(0).text());
        return switch (field.kind()) {
            case FIELD -> new Cond.Leaf((present ? "" : "not ") + "ispresent(" + name(field) + ")", null);
            case HOST_PATH -> raw(present, HOST_PATH_KEY);
            case CAPABILITY -> raw(present, CAPABILITY_ADD);
            case KEYWORD -> {
                problems.at(values.get(0), "'exists' needs a field");
                yield null;
            }
        };
    }

    private Cond compare(Taxonomy.Field field, String what, String cmp, List<YamlNode.Scalar> values, boolean all) {
        if (field.kind() != Taxonomy.Kind.FIELD) {
            problems.at(values.get(0), "'" + cmp + "' needs an audit field with numbers, not " + what);
            return null;
        }
        String op = switch (cmp) {
            case "gt" -> ">";
            case "gte" -> ">=";
            case "lt" -> "<";
            default -> "<=";
        };
        List<Cond> out = new ArrayList<>();
        for (YamlNode.Scalar v : values) {
            String n = number(v);
            if (n == null) {
                problems.at(v, what + "|" + cmp + " needs a number, found " + v.kind());
                return null;
            }
            out.add(new Cond.Leaf(name(field) + " " + op + " " + n, name(field)));
        }
        return all ? Cond.and(out) : Cond.or(out);
    }

    /** A YAML number as a query number (decimal digits, optional sign and fraction), else null. */
    private static String number(YamlNode.Scalar v) {
        if (v.type() != YamlNode.Scalar.Type.INTEGER && v.type() != YamlNode.Scalar.Type.FLOAT) {
            return null;
        }
        String t = v.text().replace("_", "");
        try {
            java.math.BigDecimal d = new java.math.BigDecimal(t.startsWith("+") ? t.substring(1) : t);
            String s = d.toPlainString();
            return s.length() <= 40 ? s : null;
        } catch (NumberFormatException e) {
            return null; // 0x1F, .inf: not a number the query language writes
        }
    }

    private Cond regex(Taxonomy.Field field, String what, List<String> mods, List<YamlNode.Scalar> values,
                       boolean all) {
        if (field.kind() == Taxonomy.Kind.HOST_PATH || field.kind() == Taxonomy.Kind.CAPABILITY) {
            problems.at(values.get(0), "'re' is not supported on " + what + " (it is matched in the raw event's JSON,"
                    + " where a regex would see escaped text): use contains, startswith, endswith or wildcards");
            return null;
        }
        StringBuilder flags = new StringBuilder();
        for (String f : List.of("i", "m", "s")) {
            if (mods.contains(f)) {
                flags.append(f);
            }
        }
        List<Cond> out = new ArrayList<>();
        for (YamlNode.Scalar v : values) {
            if (v.type() != YamlNode.Scalar.Type.STRING || v.text().isEmpty()) {
                problems.at(v, what + "|re needs a regular expression, found " + (v.text() == null ? v.kind()
                        : v.text().isEmpty() ? "empty text" : v.kind()));
                return null;
            }
            if (v.text().contains("\\Q")) {
                problems.at(v, "\\Q...\\E quoting is not supported in Logs Insights regexes: escape each character");
                return null;
            }
            String body = (flags.isEmpty() ? "" : "(?" + flags + ")") + QueryText.regexBody(v.text());
            try {
                Regex.compile(body);
            } catch (IllegalArgumentException x) {
                problems.at(v, "regex refused (Logs Insights regexes are RE2): " + x.getMessage());
                return null;
            }
            String subject = field.kind() == Taxonomy.Kind.KEYWORD ? "@message" : name(field);
            out.add(new Cond.Leaf(subject + " like /" + body + "/",
                    field.kind() == Taxonomy.Kind.KEYWORD ? null : name(field)));
        }
        return all ? Cond.and(out) : Cond.or(out);
    }

    /** Exact, contains, startswith, endswith, with wildcards; nulls, numbers and booleans for plain fields. */
    private Cond match(Taxonomy.Field field, String what, List<String> mods, List<YamlNode.Scalar> values,
                       boolean all) {
        boolean cased = mods.contains("cased");
        String mode = mods.contains("contains") ? "contains" : mods.contains("startswith") ? "startswith"
                : mods.contains("endswith") ? "endswith" : null;
        if (field.kind() == Taxonomy.Kind.KEYWORD && (mode != null && !mode.equals("contains"))) {
            problems.at(values.get(0), "'" + mode + "' needs a field: keywords are searched anywhere in the event");
            return null;
        }
        List<Cond> tests = new ArrayList<>();
        List<String> equal = new ArrayList<>();
        List<String> numbers = new ArrayList<>();
        List<Pattern> patterns = new ArrayList<>();
        for (YamlNode.Scalar v : values) {
            if (v.isNull()) {
                if (mode != null || field.kind() == Taxonomy.Kind.KEYWORD) {
                    problems.at(v, what + ": null " + (mode != null ? "with '" + mode + "'" : "as a keyword")
                            + " means nothing: write the field without a modifier (null: the field is absent)");
                    return null;
                }
                tests.add(field.kind() == Taxonomy.Kind.FIELD
                        ? new Cond.Leaf("not ispresent(" + name(field) + ")", null)
                        : raw(false, field.kind() == Taxonomy.Kind.HOST_PATH ? HOST_PATH_KEY : CAPABILITY_ADD));
                continue;
            }
            if (field.kind() == Taxonomy.Kind.FIELD && mode == null
                    && v.type() != YamlNode.Scalar.Type.STRING) {
                if (v.type() == YamlNode.Scalar.Type.BOOLEAN) {
                    tests.add(new Cond.Leaf(name(field) + " = " + v.text().toLowerCase(Locale.ROOT), name(field)));
                    continue;
                }
                String n = number(v);
                if (n != null) {
                    if (all) {
                        tests.add(new Cond.Leaf(name(field) + " = " + n, name(field)));
                    } else {
                        numbers.add(n);
                    }
                    continue;
                }
            }
            List<Piece> pieces = pieces(v.text());
            boolean wild = pieces.stream().anyMatch(p -> p.wildcard != 0);
            String literal = literal(pieces);
            if (field.kind() == Taxonomy.Kind.FIELD && mode == null && !wild && !all
                    && (cased || !hasCase(literal)) && QueryText.stringLiteral(literal) != null) {
                equal.add(literal);
            } else {
                patterns.add(new Pattern(pieces, wild));
            }
        }
        if (!numbers.isEmpty()) {
            String n = name(field);
            tests.add(new Cond.Leaf(numbers.size() == 1 ? n + " = " + numbers.get(0)
                    : n + " in [" + String.join(", ", numbers) + "]", n));
        }
        if (field.kind() == Taxonomy.Kind.FIELD && !equal.isEmpty()) {
            String n = name(field);
            tests.add(equal.size() == 1 ? new Cond.Leaf(n + " = " + QueryText.stringLiteral(equal.get(0)), n)
                    : new Cond.Leaf(n + " in [" + String.join(", ", equal.stream().map(QueryText::stringLiteral)
                    .toList()) + "]", n));
        }
        if (!patterns.isEmpty()) {
            List<List<Pattern>> groups = new ArrayList<>();
            if (all) {
                patterns.forEach(p -> groups.add(List.of(p)));
            } else {
                groups.add(patterns);
            }
            for (List<Pattern> g : groups) {
                Cond c = patternTest(field, mode, cased, g, values.get(0));
                if (c == null) {
                    return null;
                }
                tests.add(c);
            }
        }
        return all ? Cond.and(tests) : Cond.or(tests);
    }

    private record Pattern(List<Piece> pieces, boolean wild) {
    }

    /** A literal character, or a wildcard ({@code *} or {@code ?}). */
    private record Piece(int codePoint, char wildcard) {
    }

    /**
     * Sigma's string escapes: {@code \*} and {@code \?} are literal, {@code \\} is one backslash, a backslash before
     * anything else is itself; unescaped {@code *} and {@code ?} are wildcards.
     */
    static List<Piece> pieces(String s) {
        List<Piece> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            if (cp == '\\' && i + 1 < s.length() && "*?\\".indexOf(s.charAt(i + 1)) >= 0) {
                out.add(new Piece(s.charAt(i + 1), (char) 0));
                i += 2;
                continue;
            }
            if (cp == '*' || cp == '?') {
                out.add(new Piece(cp, (char) cp));
            } else {
                out.add(new Piece(cp, (char) 0));
            }
            i += Character.charCount(cp);
        }
        return out;
    }

    private static String literal(List<Piece> pieces) {
        StringBuilder sb = new StringBuilder();
        pieces.forEach(p -> sb.appendCodePoint(p.codePoint));
        return sb.toString();
    }

    /** True when case-insensitive matching could differ from exact matching for this text. */
    private static boolean hasCase(String s) {
        return s.codePoints().anyMatch(c -> Character.toLowerCase(c) != c || Character.toUpperCase(c) != c
                || Character.toTitleCase(c) != c);
    }

    /** The value patterns of one field as one regex test (alternatives OR'd). */
    private Cond patternTest(Taxonomy.Field field, String mode, boolean cased, List<Pattern> patterns,
                             YamlNode at) {
        boolean json = field.kind() != Taxonomy.Kind.FIELD;
        boolean wild = patterns.stream().anyMatch(Pattern::wild);
        Set<String> alternatives = new LinkedHashSet<>();
        for (Pattern p : patterns) {
            StringBuilder sb = new StringBuilder();
            for (Piece piece : p.pieces) {
                if (piece.wildcard == '*') {
                    sb.append(json && field.kind() != Taxonomy.Kind.KEYWORD ? QueryText.JSON_CHAR + "*" : ".*");
                } else if (piece.wildcard == '?') {
                    sb.append(json ? QueryText.JSON_CHAR : ".");
                } else if (json) {
                    sb.append(QueryText.jsonStringRegex(new String(Character.toChars(piece.codePoint))));
                } else {
                    QueryText.appendLiteral(sb, piece.codePoint);
                }
            }
            alternatives.add(sb.toString());
        }
        // RE2/J's compile bound (Regex.MAX_SIZE atoms) caps one regex: long value lists become several tests, OR'd
        List<Cond> tests = new ArrayList<>();
        List<String> chunk = new ArrayList<>();
        int size = 0;
        for (String a : alternatives) {
            if (!chunk.isEmpty() && size + a.length() > CHUNK) {
                Cond c = regexTest(field, mode, cased, wild, json, chunk, at);
                if (c == null) {
                    return null;
                }
                tests.add(c);
                chunk = new ArrayList<>();
                size = 0;
            }
            chunk.add(a);
            size += a.length();
        }
        Cond c = regexTest(field, mode, cased, wild, json, chunk, at);
        if (c == null) {
            return null;
        }
        tests.add(c);
        return Cond.or(tests);
    }

    /** Characters of alternatives per regex: well under the compile bound whatever the characters are. */
    static final int CHUNK = 2000;

    private Cond regexTest(Taxonomy.Field field, String mode, boolean cased, boolean wild, boolean json,
                           List<String> alternatives, YamlNode at) {
        String alt = alternatives.size() == 1 ? alternatives.get(0)
                : "(?:" + String.join("|", alternatives) + ")";
        boolean start = mode == null || mode.equals("startswith");
        boolean end = mode == null || mode.equals("endswith");
        String body;
        String flags = (cased ? "" : "i") + (wild && !json ? "s" : "");
        switch (field.kind()) {
            case FIELD -> {
                body = (flags.isEmpty() ? "" : "(?" + flags + ")") + (start ? "^" : "") + alt + (end ? "$" : "");
                if (body.isEmpty() || body.equals("(?" + flags + ")")) {
                    body += "^";
                }
            }
            case KEYWORD -> body = (flags.isEmpty() ? "" : "(?" + flags + ")") + (alt.isEmpty() ? "^" : alt);
            default -> {
                String any = QueryText.JSON_CHAR + "*";
                String value = (start ? "" : any) + alt + (end ? "" : any);
                String prefix = field.kind() == Taxonomy.Kind.HOST_PATH ? HOST_PATH_VALUE : CAPABILITY_VALUE;
                body = prefix + (cased ? value : "(?i:" + value + ")") + "\"";
            }
        }
        try {
            Regex.compile(body);
        } catch (IllegalArgumentException x) {
            problems.at(at, "the values of this field make a regex Logs Insights refuses: " + x.getMessage());
            return null;
        }
        if (field.kind() == Taxonomy.Kind.FIELD) {
            return new Cond.Leaf(name(field) + " like /" + body + "/", name(field));
        }
        return new Cond.Leaf("@message like /" + body + "/", null);
    }

    /** A hostPath volume in the raw event (the API server writes path first; type first is accepted too). */
    static final String HOST_PATH_KEY = "\"hostPath\":\\{";
    static final String HOST_PATH_VALUE = HOST_PATH_KEY + "(?:\"type\":\"[^\"]*\",)?\"path\":\"";
    /** A capability added to a container: securityContext.capabilities.add (drop is accepted before it). */
    static final String CAPABILITY_ADD = "\"capabilities\":\\{(?:\"drop\":\\[[^\\]]*\\],)?\"add\":\\[\"";
    static final String CAPABILITY_VALUE = "\"capabilities\":\\{(?:\"drop\":\\[[^\\]]*\\],)?\"add\":\\[(?:\"[^\"]*\",)*\"";

    private static Cond raw(boolean present, String regex) {
        return new Cond.Leaf("@message " + (present ? "like" : "not like") + " /" + regex + "/", null);
    }

    private static String name(Taxonomy.Field f) {
        return QueryText.fieldName(f.auditName());
    }
}
