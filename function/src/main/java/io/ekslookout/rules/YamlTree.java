package io.ekslookout.rules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Reads a YAML document into {@link YamlNode}s that remember where each value and key was written (the Jackson
 * YAML parser's {@link JsonLocation}s). Duplicate keys are reported, not silently overwritten.
 *
 * <p>Loading is linear in the file's size and bounded whatever the file holds: a file over
 * {@link #MAX_FILE_BYTES} is refused before it is parsed; nesting deeper than {@link #MAX_DEPTH} is a located error
 * (the tree is built recursively, so the bound also keeps the stack small); an alias ({@code *name}) is a located
 * error instead of being expanded or silently read as its anchor's name, so an alias bomb ("billion laughs") costs
 * one pass over its text. Rule files are small and flat: the largest in {@code rules/} is about 43 KB, the deepest
 * 14 levels deep.
 */
public final class YamlTree {
    /** The size cap of one rule, hunt or test file: about 6 times the largest shipped one. */
    public static final int MAX_FILE_BYTES = 256 * 1024;
    /** Mappings and sequences nested deeper than this are refused (a Kubernetes object in a test event is ~15). */
    static final int MAX_DEPTH = 64;
    private static final YAMLFactory FACTORY = factory();

    private static YAMLFactory factory() {
        LoaderOptions yaml = new LoaderOptions();
        // Jackson's parser does not expand aliases (we refuse them below), so these are a second line of defence.
        yaml.setMaxAliasesForCollections(10);
        yaml.setNestingDepthLimit(MAX_DEPTH);
        yaml.setCodePointLimit(MAX_FILE_BYTES); // never reached by a file under the byte cap: code points <= bytes
        return YAMLFactory.builder()
                .loaderOptions(yaml)
                // value() stops at MAX_DEPTH with the position; this is the parser's own backstop
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 1).build())
                .build();
    }

    private final String file;
    private final List<RuleProblem> problems;
    private boolean aliasReported;
    private int depth;

    /** Thrown out of the recursion once nesting goes past {@link #MAX_DEPTH} (the problem is already reported). */
    private static final class TooDeep extends RuntimeException {
        TooDeep() {
            super(null, null, false, false);
        }
    }

    private YamlTree(String file, List<RuleProblem> problems) {
        this.file = file;
        this.problems = problems;
    }

    /**
     * Parses one document. A syntax error becomes a located problem and the result is null; an empty document
     * gives null without a problem (the caller says what was expected).
     */
    public static YamlNode parse(String file, String text, List<RuleProblem> problems) {
        // chars <= UTF-8 bytes <= 3 chars: count the bytes only when the text might be over the cap
        if (text.length() > MAX_FILE_BYTES / 3) {
            long bytes = text.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_FILE_BYTES) {
                problems.add(tooLarge(file, bytes));
                return null;
            }
        }
        YamlTree t = new YamlTree(file, problems);
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            YamlNode root = t.value(p, first);
            if (p.nextToken() != null) {
                JsonLocation l = p.currentTokenLocation();
                problems.add(new RuleProblem(file, l.getLineNr(), l.getColumnNr(),
                        "a second YAML document (after ---): one rule per file"));
            }
            return root;
        } catch (TooDeep e) {
            return null;
        } catch (StreamConstraintsException e) {
            JsonLocation l = e.getLocation();
            problems.add(new RuleProblem(file, l == null ? 1 : Math.max(1, l.getLineNr()),
                    l == null ? 1 : Math.max(1, l.getColumnNr()), "nested deeper than " + MAX_DEPTH
                    + " levels of mappings and sequences (is a bracket left open?)"));
            return null;
        } catch (JsonProcessingException e) {
            // where the YAML parser saw the problem (e.g. the tab); for a construct left open until the end of the
            // file (an unclosed quote), where it began; else where Jackson's last token was
            MarkedYAMLException y = marked(e);
            Mark m = y == null ? null : y.getProblem().contains("end of stream") && y.getContextMark() != null
                    ? y.getContextMark() : y.getProblemMark();
            JsonLocation l = e.getLocation();
            int line = m != null ? m.getLine() + 1 : l == null ? 1 : Math.max(1, l.getLineNr());
            int column = m != null ? m.getColumn() + 1 : l == null ? 1 : Math.max(1, l.getColumnNr());
            problems.add(new RuleProblem(file, line, column, "YAML syntax error: " + syntaxMessage(e)));
            return null;
        } catch (IOException e) {
            problems.add(new RuleProblem(file, 1, 1, "cannot read: " + e.getMessage()));
            return null;
        }
    }

    /** The located problem of a file over {@link #MAX_FILE_BYTES}. */
    static RuleProblem tooLarge(String file, long bytes) {
        return new RuleProblem(file, 1, 1, "rule file is " + bytes + " bytes, the limit is " + MAX_FILE_BYTES
                + " bytes (256 KiB)");
    }

    /**
     * The YAML parser's complaint without its excerpt of the file (the problem line is shown under the located
     * message): what was wrong, and where the construct it was inside began.
     */
    static String syntaxMessage(JsonProcessingException e) {
        MarkedYAMLException m = marked(e);
        if (m == null) {
            return oneLine(e.getOriginalMessage());
        }
        if (m.getProblem().contains("\\t(TAB)")) {
            return "a tab character: YAML is indented with spaces, not tabs";
        }
        String msg = oneLine(m.getProblem());
        Mark where = m.getContextMark();
        if (m.getContext() != null && where != null) {
            msg += " (" + oneLine(m.getContext()).replaceFirst("^while (parsing|scanning) ", "in ")
                    + " that starts at line " + (where.getLine() + 1) + ", column " + (where.getColumn() + 1) + ")";
        }
        return msg;
    }

    /** The YAML parser's own exception behind Jackson's, when it says what the problem was. */
    private static MarkedYAMLException marked(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException m && m.getProblem() != null) {
                return m;
            }
        }
        return null;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    private YamlNode value(JsonParser p, JsonToken t) throws IOException {
        JsonLocation l = p.currentTokenLocation();
        int line = l.getLineNr();
        int col = l.getColumnNr();
        long off = l.getCharOffset();
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
            if (!aliasReported) {
                aliasReported = true;
                problems.add(new RuleProblem(file, line, col, "YAML alias *" + p.getText()
                        + ": rule files do not use anchors and aliases, write the value out"));
            }
            return new YamlNode.Scalar(line, col, off, "*" + p.getText(), YamlNode.Scalar.Type.STRING);
        }
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            if (depth == MAX_DEPTH) {
                problems.add(new RuleProblem(file, line, col, "nested deeper than " + MAX_DEPTH
                        + " levels of mappings and sequences (is a bracket left open?)"));
                throw new TooDeep();
            }
            depth++;
            try {
                return container(p, t, line, col, off);
            } finally {
                depth--;
            }
        }
        switch (t) {
            case VALUE_STRING:
                return new YamlNode.Scalar(line, col, off, p.getText(), YamlNode.Scalar.Type.STRING);
            case VALUE_NUMBER_INT:
                return new YamlNode.Scalar(line, col, off, p.getText(), YamlNode.Scalar.Type.INTEGER);
            case VALUE_NUMBER_FLOAT:
                return new YamlNode.Scalar(line, col, off, p.getText(), YamlNode.Scalar.Type.FLOAT);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new YamlNode.Scalar(line, col, off, p.getText(), YamlNode.Scalar.Type.BOOLEAN);
            case VALUE_NULL:
                return new YamlNode.Scalar(line, col, off, null, YamlNode.Scalar.Type.NULL);
            default:
                return new YamlNode.Scalar(line, col, off, p.getText(), YamlNode.Scalar.Type.STRING);
        }
    }

    private YamlNode container(JsonParser p, JsonToken t, int line, int col, long off) throws IOException {
        if (t == JsonToken.START_OBJECT) {
            YamlNode.Mapping m = new YamlNode.Mapping(line, col, off);
            JsonToken k;
            while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                JsonLocation kl = p.currentTokenLocation();
                String key = p.currentName();
                YamlNode v = value(p, p.nextToken());
                YamlNode.Mapping.Entry e = new YamlNode.Mapping.Entry(key, kl.getLineNr(), kl.getColumnNr(), v);
                YamlNode.Mapping.Entry earlier = m.put(e);
                if (earlier != null) {
                    problems.add(new RuleProblem(file, e.line(), e.column(),
                            "duplicate key '" + key + "' (first at line " + earlier.line() + ")"));
                }
            }
            return m;
        }
        YamlNode.Sequence s = new YamlNode.Sequence(line, col, off);
        JsonToken i;
        while ((i = p.nextToken()) != JsonToken.END_ARRAY && i != null) {
            s.add(value(p, i));
        }
        return s;
    }
}
