package io.ekslookout.query;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One result row as GetQueryResults returns it: (field, value) pairs in display order; null fields are absent. */
public record ResultRow(List<Field> fields) {
    public record Field(String name, String value) {
    }

    public ResultRow {
        fields = List.copyOf(fields);
    }

    /** The value of a field, or null when the row does not carry it. */
    public String get(String name) {
        for (Field f : fields) {
            if (f.name().equals(name)) {
                return f.value();
            }
        }
        return null;
    }

    /** The row as an ordered map (display order). */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (Field f : fields) {
            m.put(f.name(), f.value());
        }
        return m;
    }
}
