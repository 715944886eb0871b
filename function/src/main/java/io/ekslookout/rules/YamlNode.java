package io.ekslookout.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value with the place it was written: the loader's view of a rule file, so that every problem can be
 * reported as file:line:column. Built by {@link YamlTree} from the Jackson YAML parser's token locations.
 */
public abstract sealed class YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {
    private final int line;
    private final int column;
    private final long offset;

    YamlNode(int line, int column, long offset) {
        this.line = line;
        this.column = column;
        this.offset = offset;
    }

    /** 1-based line of the value's first character (for a block scalar: its {@code |} or {@code >} indicator). */
    public int line() {
        return line;
    }

    /** 1-based column. */
    public int column() {
        return column;
    }

    /** 0-based character offset in the file. */
    public long offset() {
        return offset;
    }

    /** What a reader calls this kind of value, for messages ("a mapping", "a list", "text"). */
    public abstract String kind();

    /** A scalar: text, number, boolean or null, with its text as written after YAML decoding. */
    public static final class Scalar extends YamlNode {
        public enum Type { STRING, INTEGER, FLOAT, BOOLEAN, NULL }

        private final String text;
        private final Type type;

        Scalar(int line, int column, long offset, String text, Type type) {
            super(line, column, offset);
            this.text = text;
            this.type = type;
        }

        public String text() {
            return text;
        }

        public Type type() {
            return type;
        }

        public boolean isNull() {
            return type == Type.NULL;
        }

        @Override
        public String kind() {
            return switch (type) {
                case STRING -> "text";
                case INTEGER, FLOAT -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "nothing (null)";
            };
        }
    }

    /** A mapping, keys in file order, each key with its own location. */
    public static final class Mapping extends YamlNode {
        private final Map<String, Entry> entries = new LinkedHashMap<>();

        /** One key: its name, where the key was written, and its value. */
        public record Entry(String key, int line, int column, YamlNode value) {
        }

        Mapping(int line, int column, long offset) {
            super(line, column, offset);
        }

        /** Adds an entry; returns the earlier entry with the same key (a duplicate), or null. */
        Entry put(Entry e) {
            return entries.putIfAbsent(e.key(), e);
        }

        public Map<String, Entry> entries() {
            return entries;
        }

        public YamlNode get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }

        public Entry entry(String key) {
            return entries.get(key);
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** A list. */
    public static final class Sequence extends YamlNode {
        private final List<YamlNode> items = new ArrayList<>();

        Sequence(int line, int column, long offset) {
            super(line, column, offset);
        }

        void add(YamlNode n) {
            items.add(n);
        }

        public List<YamlNode> items() {
            return items;
        }

        @Override
        public String kind() {
            return "a list";
        }
    }
}
