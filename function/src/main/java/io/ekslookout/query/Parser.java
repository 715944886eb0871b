package io.ekslookout.query;

import io.ekslookout.query.Token.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Recursive-descent parser for the Logs Insights query language: {@code command ("|" command)*}. Expressions use
 * the precedence of the reference (§3.1, lowest first): {@code or}, {@code and}, {@code not}, comparisons
 * ({@code = != < <= > >= like =~ in}), {@code + -}, {@code * / %}, unary {@code -}, {@code ^} (right-associative,
 * tighter than unary minus), postfix {@code .name [i]}, primaries. Every error is a {@link QueryException} at the
 * offending token saying what was expected.
 */
final class Parser {
    static final Set<String> COMMANDS = Set.of("fields", "display", "filter", "where", "stats", "sort", "limit",
            "head", "parse", "dedup", "unnest", "filterindex");
    static final Set<String> UNSUPPORTED = Set.of("pattern", "diff", "unmask", "lookup", "source", "anomaly",
            "tail", "join", "addtotals", "autoregress", "fillmissing", "logcompare", "filldown", "cidrlookup",
            "outlier", "accum", "appendcols", "sessionize", "countfrequent", "relevantfields", "expand", "json",
            "subquery");
    /** Documented functions the embedded engine refuses by name (the time-series helpers of the newest docs). */
    static final Set<String> UNSUPPORTED_FUNCTIONS = Set.of("rate", "count_over_time", "sum_over_time",
            "histogram");
    private static final Set<String> RESERVED = Set.of("and", "or", "not", "like", "in", "by", "as");

    private final String src;
    private final Scanner scanner;
    private final List<Token> ahead = new ArrayList<>();
    /** Every token consumed, in order (a filter keeps its condition's tokens to restate it without comments). */
    private final List<Token> consumed = new ArrayList<>();
    private Token previous;
    private boolean inStats;
    private boolean inAggregate;
    /** Column names of the last stats: after it, {@code count(*)} or {@code bin(5m)} written as such name them. */
    private Set<String> statsColumns;

    Parser(String src) {
        this.src = src;
        this.scanner = new Scanner(src);
    }

    List<Command> parseQuery() {
        List<Command> commands = new ArrayList<>();
        if (peek().type() == Type.EOF) {
            throw error(peek(), "expected a command (fields, filter, stats, sort, limit, parse, display, dedup), "
                    + "found an empty query");
        }
        commands.add(command());
        while (true) {
            Token t = peek();
            if (t.type() == Type.EOF) {
                return commands;
            }
            if (t.type() != Type.PIPE) {
                throw error(t, "expected '|' or end of query after the " + commands.get(commands.size() - 1).name()
                        + " command, found " + t.describe());
            }
            advance();
            if (peek().type() == Type.EOF) {
                throw error(peek(), "expected a command after '|'");
            }
            commands.add(command());
        }
    }

    // ---------------------------------------------------------------- commands

    private Command command() {
        Token k = peek();
        if (k.type() != Type.IDENT || k.quoted()) {
            throw error(k, "expected a command (fields, filter, stats, sort, limit, parse, display, dedup), found "
                    + k.describe());
        }
        String name = k.text().toLowerCase(Locale.ROOT);
        if (UNSUPPORTED.contains(name)) {
            throw error(k, "the '" + k.text() + "' command is not supported by the embedded engine");
        }
        if (!COMMANDS.contains(name)) {
            throw error(k, "unknown command " + k.describe()
                    + ": expected one of fields, display, filter, stats, sort, limit, parse, dedup, unnest");
        }
        advance();
        switch (name) {
            case "fields":
                return new Command.Fields(k, items(), false);
            case "display":
                return new Command.Fields(k, items(), true);
            case "filter":
            case "where": {
                int from = consumed.size();
                Expr condition = expression();
                return new Command.Filter(k, condition, sourceOf(from));
            }
            case "stats":
                return stats(k);
            case "sort":
                return sort(k);
            case "limit":
            case "head":
                return limit(k);
            case "parse":
                return parse(k);
            case "dedup":
                return dedup(k);
            case "unnest":
                return unnest(k);
            default:
                return filterIndex(k);
        }
    }

    private List<Command.Item> items() {
        List<Command.Item> items = new ArrayList<>();
        do {
            items.add(item());
        } while (match(Type.COMMA));
        return items;
    }

    private Command.Item item() {
        Token first = peek();
        Expr e = expression();
        String text = src.substring(first.offset(), previous.end()).trim();
        if (peek().isWord("as")) {
            advance();
            Token alias = name("an alias name after 'as'");
            return new Command.Item(e, alias.text(), true);
        }
        if (e instanceof Expr.Field f) {
            return new Command.Item(e, f.name, false);
        }
        return new Command.Item(e, text, false);
    }

    private Command stats(Token k) {
        inStats = true;
        List<Command.Item> aggs;
        try {
            aggs = items();
        } finally {
            inStats = false;
        }
        List<Command.Item> groups = new ArrayList<>();
        if (peek().isWord("by")) {
            advance();
            groups = items();
            if (peek().isWord("offset")) {
                throw error(peek(), "'by bin(...) offset' (time-series comparison) is not supported by the embedded"
                        + " engine");
            }
        }
        statsColumns = new java.util.HashSet<>();
        aggs.forEach(i -> statsColumns.add(i.name()));
        groups.forEach(i -> statsColumns.add(i.name()));
        return new Command.Stats(k, aggs, groups);
    }

    private Command sort(Token k) {
        List<Command.SortKey> keys = new ArrayList<>();
        do {
            Expr e = expression();
            boolean desc = true; // the direction when neither asc nor desc is written (reference UNK-17)
            if (peek().isWord("asc")) {
                advance();
                desc = false;
            } else if (peek().isWord("desc")) {
                advance();
            }
            keys.add(new Command.SortKey(e, desc));
        } while (match(Type.COMMA));
        return new Command.Sort(k, keys);
    }

    private Command limit(Token k) {
        if (peek().isWord("any")) {
            advance();
        }
        Token n = peek();
        if (n.type() != Type.NUMBER || !(n.value() instanceof Long l) || l < 1 || l > 100_000) {
            throw error(n, "expected a whole number of rows between 1 and 100000 after '" + k.text() + "', found "
                    + n.describe());
        }
        advance();
        return new Command.Limit(k, (int) (long) l);
    }

    private Command parse(Token k) {
        Expr source = new Expr.Field("@message").at(k);
        Token t = peek();
        if (t.type() == Type.IDENT) {
            Token f = advance();
            String lower = f.text().toLowerCase(Locale.ROOT);
            if (!f.quoted() && (lower.equals("logfmt") || lower.equals("csv"))) {
                throw error(f, "parse ... " + lower + " is not supported by the embedded engine");
            }
            source = new Expr.Field(f.text()).at(f);
            t = peek();
            if (t.isWord("logfmt") || t.isWord("csv")) {
                throw error(t, "parse ... " + t.text().toLowerCase(Locale.ROOT)
                        + " is not supported by the embedded engine");
            }
        }
        if (t.type() == Type.STRING) {
            advance();
            return glob(k, source, t);
        }
        if (t.type() == Type.SLASH) {
            Token re = regex();
            return regexParse(k, source, re);
        }
        throw error(t, "expected a pattern after 'parse': a \"glob * string\" or a /regex/, found " + t.describe());
    }

    private Command glob(Token k, Expr source, Token pattern) {
        String glob = (String) pattern.value();
        if (!peek().isWord("as")) {
            throw error(peek(), "expected 'as' and one field name per '*' after the parse pattern, found "
                    + peek().describe());
        }
        advance();
        List<String> names = nameList();
        // A leading * absorbs any prefix, so the first match starts at 0: anchoring it gives the same captures and
        // avoids retrying every start position (quadratic on long messages without a match).
        StringBuilder re = new StringBuilder("(?s)").append(glob.startsWith("*") ? "\\A" : "");
        int stars = 0;
        int from = 0;
        for (int i = 0; i < glob.length(); i++) {
            if (glob.charAt(i) == '*') {
                if (i > from) {
                    re.append(com.google.re2j.Pattern.quote(glob.substring(from, i)));
                }
                re.append(i == glob.length() - 1 ? "(.*)" : "(.*?)");
                stars++;
                from = i + 1;
            }
        }
        if (from < glob.length()) {
            re.append(com.google.re2j.Pattern.quote(glob.substring(from)));
        }
        if (stars != names.size()) {
            throw error(pattern, "the parse pattern has " + stars + " '*' but " + names.size()
                    + " field names follow 'as': expected one name per '*'");
        }
        return new Command.Parse(k, source, compile(pattern, re.toString()), names, false);
    }

    private Command regexParse(Token k, Expr source, Token re) {
        List<String> names = new ArrayList<>();
        Regex p = compile(re, renameGroups(re, names));
        boolean named = !names.isEmpty();
        if (peek().isWord("as")) {
            advance();
            Token at = peek();
            List<String> aliases = nameList();
            if (aliases.size() != p.groupCount()) {
                throw error(at, "the regex has " + p.groupCount() + " capture groups but "
                        + aliases.size() + " names follow 'as'");
            }
            names = aliases;
            named = false;
        } else if (!named) {
            throw error(re, "expected named groups (?<name>...) in the parse regex, or 'as' and field names");
        }
        boolean multi = false;
        if (peek().isWord("multi")) {
            advance();
            multi = true;
        }
        if (named) {
            // only the named groups (renamed g0, g1, ...) are extracted: place each name at its group's number
            List<String> byNumber = new ArrayList<>();
            for (int g = 1; g <= p.groupCount(); g++) {
                byNumber.add(null);
            }
            for (int i = 0; i < names.size(); i++) {
                byNumber.set(p.namedGroups().get("g" + i) - 1, names.get(i));
            }
            names = byNumber;
        }
        return new Command.Parse(k, source, p, names, multi);
    }

    /**
     * Replaces each group name ({@code (?<any_name>} as in Logs Insights, or RE2's {@code (?P<any_name>}) by
     * {@code (?P<gN>}: RE2 group names allow only letters, digits and _, the service's also @ and dots. Escaped
     * text ({@code \(?<}), character classes and {@code \Q…\E} are copied unchanged.
     */
    private String renameGroups(Token re, List<String> names) {
        String s = re.text();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                int to = i + 2;
                if (s.charAt(i + 1) == 'Q') {
                    int end = s.indexOf("\\E", i + 2);
                    to = end < 0 ? s.length() : end + 2;
                }
                sb.append(s, i, to);
                i = to - 1;
            } else if (c == '[') {
                int end = Regex.classEnd(s, i);
                sb.append(s, i, end + 1);
                i = end;
            } else if (c == '(' && (s.startsWith("(?<", i) || s.startsWith("(?P<", i))) {
                int open = s.indexOf('<', i);
                int close = s.indexOf('>', open);
                String name = close < 0 ? null : s.substring(open + 1, close);
                if (name == null || !groupName(name)) {
                    sb.append(c); // look-around or a malformed name: RE2 or the dialect check reports it
                    continue;
                }
                if (names.contains(name)) {
                    throw error(re, "the parse regex names the group '" + name + "' twice");
                }
                sb.append("(?P<g").append(names.size()).append('>');
                names.add(name);
                i = close;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean groupName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '@';
            if (!letter && (i == 0 || !(c >= '0' && c <= '9' || c == '.'))) {
                return false;
            }
        }
        return true;
    }

    private Command dedup(Token k) {
        return new Command.Dedup(k, nameList());
    }

    private Command unnest(Token k) {
        Expr e = expression();
        if (!peek().isWord("into")) {
            throw error(peek(), "expected 'into' and a field name after the unnest expression, found "
                    + peek().describe());
        }
        advance();
        return new Command.Unnest(k, e, name("a field name after 'into'").text());
    }

    /** {@code filterIndex f = "v"} / {@code filterIndex f in [...]}: evaluated as the equivalent filter. */
    private Command filterIndex(Token k) {
        int from = consumed.size();
        Token f = name("a field name after 'filterIndex'");
        Expr field = new Expr.Field(f.text()).at(f);
        Token op = peek();
        Expr cond;
        if (op.type() == Type.EQ) {
            advance();
            Token v = expect("a string or number after '='", Type.STRING, Type.NUMBER);
            cond = new Expr.Compare(Type.EQ, field, new Expr.Literal(v.value()).at(v)).at(op);
        } else if (op.isWord("in")) {
            advance();
            cond = new Expr.In(field, list(), false).at(op);
        } else {
            throw error(op, "expected '=' or 'in' after the filterIndex field, found " + op.describe());
        }
        return new Command.Filter(k, cond, sourceOf(from));
    }

    /**
     * The source text of the tokens consumed since {@code from}, with every gap between two tokens (white space
     * and {@code #} comments, which run to the end of their line) turned into one space: the same tokens, so the
     * same expression, on one line that can be embedded in another query.
     */
    private String sourceOf(int from) {
        StringBuilder out = new StringBuilder();
        Token last = null;
        for (Token t : consumed.subList(from, consumed.size())) {
            if (last != null && t.offset() > last.end()) {
                out.append(' ');
            }
            out.append(src, t.offset(), t.end());
            last = t;
        }
        return out.toString();
    }

    private List<String> nameList() {
        List<String> names = new ArrayList<>();
        do {
            names.add(name("a field name").text());
        } while (match(Type.COMMA));
        return names;
    }

    private Token name(String what) {
        Token t = peek();
        if (t.type() != Type.IDENT || !t.quoted() && RESERVED.contains(t.text().toLowerCase(Locale.ROOT))) {
            throw error(t, "expected " + what + ", found " + t.describe());
        }
        return advance();
    }

    // ---------------------------------------------------------------- expressions

    /** Deeper nesting than this is refused (a located error instead of a stack overflow). */
    static final int MAX_DEPTH = 100;
    private int depth;

    Expr expression() {
        nest(peek());
        try {
            return or();
        } finally {
            depth--;
        }
    }

    /** Counts one nesting level opened at {@code t}; the caller decrements {@code depth} when it closes. */
    private void nest(Token t) {
        if (++depth > MAX_DEPTH) {
            throw error(t, "expression nested too deeply (more than " + MAX_DEPTH + " levels)");
        }
    }

    /** A prefix operator ({@code not}, unary {@code -}) applied to {@code operand}; its text starts at the operator. */
    private Expr prefix(Token op, Supplier<Expr> operand, UnaryOperator<Expr> node) {
        nest(op);
        Expr inner = operand.get();
        depth--;
        Expr e = node.apply(inner).at(op);
        e.start = op.offset();
        e.text = src.substring(op.offset(), previous.end());
        return e;
    }

    private Expr or() {
        return logical("or", this::and);
    }

    private Expr and() {
        return logical("and", this::not);
    }

    /** A left-associative chain {@code operand (keyword operand)*} of {@code and} or {@code or}. */
    private Expr logical(String keyword, Supplier<Expr> operand) {
        boolean and = keyword.equals("and");
        Expr e = operand.get();
        while (peek().isWord(keyword)) {
            Token op = advance();
            e = finish(new Expr.Logical(and, e, operand.get()).at(op), e);
        }
        return e;
    }

    private Expr not() {
        if (peek().isWord("not")) {
            return prefix(advance(), this::not, Expr.Not::new);
        }
        return comparison();
    }

    private Expr comparison() {
        Expr left = additive();
        Token t = peek();
        switch (t.type()) {
            case EQ, NE, LT, LE, GT, GE -> {
                advance();
                return finish(new Expr.Compare(t.type(), left, additive()).at(t), left);
            }
            case MATCH -> {
                advance();
                return finish(like(left, t, false), left);
            }
            default -> {
            }
        }
        if (t.isWord("like")) {
            advance();
            return finish(like(left, t, false), left);
        }
        if (t.isWord("in")) {
            advance();
            return finish(new Expr.In(left, list(), false).at(t), left);
        }
        if (t.isWord("not") && (peek(1).isWord("like") || peek(1).isWord("in"))) {
            advance();
            Token op = advance();
            if (op.isWord("like")) {
                return finish(like(left, t, true), left);
            }
            return finish(new Expr.In(left, list(), true).at(t), left);
        }
        return left;
    }

    private Expr like(Expr subject, Token op, boolean negated) {
        Token p = peek();
        if (p.type() == Type.STRING) {
            advance();
            return new Expr.Like(subject, (String) p.value(), null, negated).at(op);
        }
        if (p.type() == Type.SLASH) {
            Token re = regex();
            return new Expr.Like(subject, null, compile(re, re.text()), negated).at(op);
        }
        throw error(p, "expected a \"string\" or a /regex/ after '" + op.text() + "', found " + p.describe());
    }

    private List<Object> list() {
        Token open = expect("'[' to start the list after 'in'", Type.LEFT_BRACKET);
        List<Object> values = new ArrayList<>();
        do {
            Token v = peek();
            boolean minus = false;
            if (v.type() == Type.MINUS) {
                advance();
                minus = true;
                v = peek();
            }
            if (v.type() == Type.STRING && !minus) {
                values.add(v.value());
            } else if (v.type() == Type.NUMBER) {
                Object n = v.value();
                values.add(!minus ? n : n instanceof Long l ? (Object) (-l) : (Object) (-(Double) n));
            } else {
                throw error(v, "expected a string or number in the list, found " + v.describe());
            }
            advance();
        } while (match(Type.COMMA));
        expectClose(Type.RIGHT_BRACKET, open, "']' to close '['");
        return values;
    }

    private Expr additive() {
        Expr e = multiplicative();
        while (peek().type() == Type.PLUS || peek().type() == Type.MINUS) {
            Token op = advance();
            e = finish(new Expr.Arithmetic(op.type(), e, multiplicative()).at(op), e);
        }
        return e;
    }

    private Expr multiplicative() {
        Expr e = unary();
        while (peek().type() == Type.STAR || peek().type() == Type.SLASH || peek().type() == Type.PERCENT) {
            Token op = advance();
            e = finish(new Expr.Arithmetic(op.type(), e, unary()).at(op), e);
        }
        return e;
    }

    private Expr unary() {
        if (peek().type() == Type.MINUS) {
            return prefix(advance(), this::unary, Expr.Negate::new);
        }
        return power();
    }

    private Expr power() {
        Expr base = postfix();
        if (peek().type() == Type.CARET) {
            Token op = advance();
            nest(op);
            Expr exponent = unary();
            depth--;
            return finish(new Expr.Arithmetic(Type.CARET, base, exponent).at(op), base);
        }
        return base;
    }

    private Expr postfix() {
        Expr e = primary();
        while (true) {
            Token t = peek();
            if (t.type() == Type.DOT) {
                advance();
                Token key = expect("a key name after '.'", Type.IDENT, Type.NUMBER);
                e = finish(new Expr.Member(e, key.text()).at(t), e);
            } else if (t.type() == Type.LEFT_BRACKET && !(e instanceof Expr.Literal)) {
                advance();
                Token index = peek();
                if (index.type() != Type.NUMBER || !(index.value() instanceof Long)) {
                    throw error(index, "expected a whole-number index after '[', found " + index.describe());
                }
                advance();
                expectClose(Type.RIGHT_BRACKET, t, "']' to close '['");
                e = finish(new Expr.Member(e, index.text()).at(t), e);
            } else {
                return e;
            }
        }
    }

    private Expr primary() {
        Token t = peek();
        switch (t.type()) {
            case STRING, NUMBER -> {
                advance();
                return text(new Expr.Literal(t.value()).at(t), t);
            }
            case PERIOD -> throw error(t, "a time period like " + t.text()
                    + " is only allowed as the argument of bin(), datefloor() or dateceil()");
            case LEFT_PAREN -> {
                advance();
                Expr e = expression();
                expectClose(Type.RIGHT_PAREN, t, "')' to close '('");
                e.start = t.offset();
                e.text = src.substring(t.offset(), previous.end());
                return e;
            }
            case IDENT -> {
                if (!t.quoted() && peek(1).type() == Type.LEFT_PAREN) {
                    return call();
                }
                if (t.isWord("true") || t.isWord("false")) {
                    advance(); // boolean literals (strcontains(s, x, true)); a field named so needs backticks
                    return text(new Expr.Literal(Values.bool(t.isWord("true"))).at(t), t);
                }
                if (!t.quoted() && RESERVED.contains(t.text().toLowerCase(Locale.ROOT))) {
                    throw error(t, "expected a value, field or function before '" + t.text() + "'");
                }
                advance();
                return text(new Expr.Field(t.text()).at(t), t);
            }
            case SLASH -> throw error(t, "a /regex/ is only allowed after like, not like, =~ or in parse");
            case EOF -> throw error(t, "expected an expression, found end of query");
            default -> throw error(t, "expected an expression, found " + t.describe());
        }
    }

    private Expr call() {
        if (statsColumns != null && !inStats) {
            Expr column = statsColumnReference();
            if (column != null) {
                return column;
            }
        }
        Token nameTok = advance();
        Token open = advance();
        String name = nameTok.text();
        String lower = name.toLowerCase(Locale.ROOT);
        Aggregates.Kind kind = Aggregates.lookup(lower);
        Functions.Spec spec = kind == null ? Functions.lookup(lower) : null;
        if (kind == null && spec == null) {
            if (UNSUPPORTED.contains(lower) || UNSUPPORTED_FUNCTIONS.contains(lower)) {
                throw error(nameTok, "the function '" + name + "' is not supported by the embedded engine");
            }
            throw error(nameTok, "unknown function '" + name + "'");
        }
        if (kind != null && inAggregate) {
            throw error(nameTok, "aggregate functions cannot be nested: " + name + "() inside another aggregate");
        }
        if (kind != null && !inStats) {
            throw error(nameTok, "the aggregate function " + name + "() is only allowed in stats");
        }
        List<Expr> args = new ArrayList<>();
        if (kind == Aggregates.Kind.COUNT && peek().type() == Type.STAR) {
            advance();
            expectClose(Type.RIGHT_PAREN, open, "')' to close '" + name + "('");
        } else if (!match(Type.RIGHT_PAREN)) {
            boolean outerAggregate = inAggregate;
            inAggregate |= kind != null; // no aggregate inside an aggregate's arguments
            try {
                do {
                    int index = args.size();
                    boolean periodArg = spec != null && spec.periodArgLast() && index == spec.max() - 1;
                    if (periodArg) {
                        Token p = peek();
                        if (p.type() != Type.PERIOD) {
                            throw error(p, "expected a time period like 5m or 1h as argument " + (index + 1) + " of "
                                    + name + "(), found " + p.describe());
                        }
                        advance();
                        args.add(text(new Expr.Literal(p.value()).at(p), p));
                    } else {
                        args.add(expression());
                    }
                } while (match(Type.COMMA));
            } finally {
                inAggregate = outerAggregate;
            }
            if (peek().type() != Type.RIGHT_PAREN) {
                throw error(peek(), "expected ',' or ')' to close '" + name + "(' opened at " + open.line() + ":"
                        + open.column() + ", found " + peek().describe());
            }
            advance();
        }
        int min = kind != null ? kind.min : spec.min();
        int max = kind != null ? kind.max : spec.max();
        if (args.size() < min || max >= 0 && args.size() > max) {
            String expected = min == max ? String.valueOf(min) : max < 0 ? "at least " + min : min + " to " + max;
            throw error(nameTok, name + "() takes " + expected + " argument" + (expected.equals("1") ? "" : "s")
                    + ", found " + args.size());
        }
        if (spec != null && spec.periodArgLast() && args.size() < spec.max()) {
            throw error(nameTok, name + "() needs a time period argument like 5m");
        }
        Expr e;
        if (kind != null) {
            if (kind == Aggregates.Kind.PCT) {
                Expr p = args.get(1);
                if (!(p instanceof Expr.Literal l) || !(l.value instanceof Number n) || n.doubleValue() < 0
                        || n.doubleValue() > 100) {
                    throw error(nameTok, "pct() takes a literal percentile between 0 and 100 as its second argument");
                }
            }
            e = new Expr.AggCall(name, kind, args.toArray(new Expr[0])).at(nameTok);
        } else {
            e = new Expr.Call(lower, spec.fn(), args.toArray(new Expr[0])).at(nameTok);
        }
        e.start = nameTok.offset();
        e.text = src.substring(nameTok.offset(), previous.end());
        return e;
    }

    /**
     * After stats, a call written exactly like an unaliased stats column ({@code sort count(*) desc},
     * {@code display bin(5m)}) refers to that column rather than computing anything.
     */
    private Expr statsColumnReference() {
        Token nameTok = peek();
        int close = matchingParen(nameTok.offset() + nameTok.text().length());
        if (close < 0) {
            return null;
        }
        String text = src.substring(nameTok.offset(), close + 1);
        if (!statsColumns.contains(text)) {
            return null;
        }
        while (previous == null || previous.end() < close + 1) {
            advance();
        }
        return text(new Expr.Field(text).at(nameTok), nameTok, close + 1);
    }

    /** Index of the ')' closing the '(' at {@code open} (quotes respected), or -1. */
    private int matchingParen(int open) {
        if (open >= src.length() || src.charAt(open) != '(') {
            return -1;
        }
        int depth = 0;
        char quote = 0;
        for (int i = open; i < src.length(); i++) {
            char c = src.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private Expr text(Expr e, Token t, int end) {
        e.start = t.offset();
        e.text = src.substring(t.offset(), end);
        return e;
    }

    // ---------------------------------------------------------------- helpers

    /** Compiles a regex literal (or the regex built from it) with RE2; a refused pattern is an error at the token. */
    private Regex compile(Token re, String regex) {
        if (re.type() == Type.REGEX && re.text().isEmpty()) {
            throw error(re, "empty regex: expected a pattern between the slashes");
        }
        try {
            return Regex.compile(regex);
        } catch (Regex.Refused e) {
            throw error(re, e.getMessage());
        }
    }

    private Token regex() {
        Token slash = peek();
        if (ahead.size() != 1) {
            throw new IllegalStateException("regex lookahead");
        }
        ahead.clear();
        Token re = scanner.regexAt(slash);
        previous = re;
        consumed.add(re);
        return re;
    }

    /** Marks a binary node: it spans from its left operand to the last token consumed. */
    private Expr finish(Expr e, Expr first) {
        e.start = first.start;
        e.text = src.substring(first.start, previous.end());
        return e;
    }

    private Expr text(Expr e, Token t) {
        e.start = t.offset();
        e.text = src.substring(t.offset(), t.end());
        return e;
    }

    /** The next token, consumed, if it has one of {@code types}; otherwise "expected {@code what}, found …". */
    private Token expect(String what, Type... types) {
        Token t = peek();
        for (Type type : types) {
            if (t.type() == type) {
                return advance();
            }
        }
        throw error(t, "expected " + what + ", found " + t.describe());
    }

    private void expectClose(Type type, Token open, String what) {
        Token t = peek();
        if (t.type() != type) {
            throw error(t, "expected " + what.replace("'['", "'[' opened at " + open.line() + ":" + open.column())
                    .replace("'('", "'(' opened at " + open.line() + ":" + open.column())
                    + ", found " + t.describe());
        }
        advance();
    }

    private boolean match(Type type) {
        if (peek().type() == type) {
            advance();
            return true;
        }
        return false;
    }

    private Token peek() {
        return peek(0);
    }

    private Token peek(int k) {
        while (ahead.size() <= k) {
            ahead.add(scanner.next());
        }
        return ahead.get(k);
    }

    private Token advance() {
        Token t = peek();
        ahead.remove(0);
        previous = t;
        consumed.add(t);
        return t;
    }

    private QueryException error(Token t, String message) {
        return new QueryException(t.line(), t.column(), message);
    }
}
