package io.ekslookout.query;

import java.util.List;

/** Pipeline commands as parsed. Each keeps the position of its keyword for validation errors. */
abstract class Command {
    final Token keyword;

    Command(Token keyword) {
        this.keyword = keyword;
    }

    String name() {
        return keyword.text().toLowerCase(java.util.Locale.ROOT);
    }

    /** An expression with its output name: the alias, the field name, or the expression text. */
    record Item(Expr expr, String name, boolean aliased) {
    }

    record SortKey(Expr expr, boolean descending) {
    }

    /** {@code fields} (appends to the projection) or {@code display} (the last one defines it). */
    static final class Fields extends Command {
        final List<Item> items;
        final boolean display;

        Fields(Token keyword, List<Item> items, boolean display) {
            super(keyword);
            this.items = items;
            this.display = display;
        }
    }

    static final class Filter extends Command {
        final Expr condition;
        /** The condition's source text on one line, comments removed (see {@code Parser.sourceOf}). */
        final String source;

        Filter(Token keyword, Expr condition, String source) {
            super(keyword);
            this.condition = condition;
            this.source = source;
        }
    }

    static final class Stats extends Command {
        final List<Item> aggregates;
        final List<Item> groups;

        Stats(Token keyword, List<Item> aggregates, List<Item> groups) {
            super(keyword);
            this.aggregates = aggregates;
            this.groups = groups;
        }
    }

    static final class Sort extends Command {
        final List<SortKey> keys;

        Sort(Token keyword, List<SortKey> keys) {
            super(keyword);
            this.keys = keys;
        }
    }

    static final class Limit extends Command {
        final int count;

        Limit(Token keyword, int count) {
            super(keyword);
            this.count = count;
        }
    }

    /** {@code parse}: glob patterns are compiled to a regex whose groups map to {@link #names} in order. */
    static final class Parse extends Command {
        final Expr source;
        final Regex pattern;
        final List<String> names;
        final boolean multi;

        Parse(Token keyword, Expr source, Regex pattern, List<String> names, boolean multi) {
            super(keyword);
            this.source = source;
            this.pattern = pattern;
            this.names = names;
            this.multi = multi;
        }
    }

    static final class Dedup extends Command {
        final List<String> fields;

        Dedup(Token keyword, List<String> fields) {
            super(keyword);
            this.fields = fields;
        }
    }

    static final class Unnest extends Command {
        final Expr source;
        final String into;

        Unnest(Token keyword, Expr source, String into) {
            super(keyword);
            this.source = source;
            this.into = into;
        }
    }
}
