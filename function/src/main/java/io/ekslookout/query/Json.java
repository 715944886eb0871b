package io.ekslookout.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON helpers: {@code jsonParse} into Map/List values and compact {@code jsonStringify}. Every JSON the engine
 * reads goes through {@link #FACTORY}, whose parsers refuse nesting deeper than {@link #MAX_DEPTH}: so the recursive
 * {@link #parseStructure} and {@link #stringify} (structures only come from it) recurse at most that deep, and a
 * message nested deeper ({@code {"a":{"a":…}}} 100,000 times) costs no stack and no memory per level.
 */
final class Json {
    /**
     * Deepest JSON nesting read: Kubernetes audit events with a CRD schema in their request reach about 30 levels;
     * far beyond that is an attack or a bug, never a detection signal.
     */
    static final int MAX_DEPTH = 100;

    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .build();

    private Json() {
    }

    /** MAP for an object, LIST for an array, otherwise null (also for JSON nested deeper than MAX_DEPTH). */
    static Object parseStructure(String s) {
        if (s == null) {
            return null;
        }
        try (JsonParser p = FACTORY.createParser(s)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
                return null;
            }
            Object v = read(p, t);
            return p.nextToken() == null ? v : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Object read(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    m.put(k, read(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    l.add(read(p, e));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return number(p);
            case VALUE_TRUE:
                return Values.TRUE;
            case VALUE_FALSE:
                return Values.FALSE;
            default:
                return null;
        }
    }

    static Object number(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            JsonParser.NumberType nt = p.getNumberType();
            if (nt == JsonParser.NumberType.INT || nt == JsonParser.NumberType.LONG) {
                return p.getLongValue();
            }
        }
        return p.getDoubleValue();
    }

    static String stringify(Object v) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            write(g, v);
        } catch (IOException e) {
            return null;
        }
        return w.toString();
    }

    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else {
            g.writeString(Values.render(v));
        }
    }
}
