package io.ekslookout.detect;

import io.ekslookout.query.Query;
import io.ekslookout.query.QueryResult;
import io.ekslookout.query.ResultRow;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one place where Secret values are taken out of what leaves the detector: finding rows (hence scan's table,
 * JSON and CSV output, emails, Slack messages and digests), the rows {@code query}/{@code hunt} print, and rule
 * error text (health messages). It decides by what the values are, not by what a column is called:
 *
 * <ol>
 *   <li>It learns the Secret values of a row. From the text of every column (a raw {@code @message}, a body, a
 *   line that is not JSON at all, JSON with a leading blank or cut anywhere, {@code SecretList} items, the escaped
 *   copy in a {@code last-applied-configuration} annotation) a lexical scan collects every string inside a
 *   {@code data}, {@code stringData} or {@code binaryData} object; it needs no complete JSON. From the query it
 *   learns which columns are computed from such a field whatever their alias ({@link Query#columnSources()}:
 *   {@code requestObject.data.x as key}, {@code substr(requestObject.data.x, 0, 8) as k}, stats groups).</li>
 *   <li>Every learned value is also known in its base64-decoded form (when that is valid text), its base64-encoded
 *   form (stringData comes back encoded) and its JSON-escaped forms.</li>
 *   <li>In every column, every run of text that shares {@value #GRAM} consecutive characters with a learned value is
 *   replaced with {@value #REDACTED}, so no piece of a value of {@value #GRAM} characters or more survives (parse
 *   captures, substrings, concatenations); shorter values are replaced where a column equals them or they stand
 *   quoted. Columns computed from a Secret data field are replaced whole, and in a Secret event a column computed
 *   from the raw message or a body ({@code parse @message '"password":"*"' as pw}) is replaced whole when the row
 *   does not carry that text to learn from, unless the row is known not to be a Secret.</li>
 * </ol>
 *
 * A row is a Secret event when its {@code objectRef.resource} is {@code secrets}, when any of its text names a
 * Secret ({@code "kind":"Secret"}, {@code "SecretList"}, {@code "resource":"secrets"}, a {@code /secrets} URI), or,
 * when the row shows no resource at all, when the rule's query mentions secrets. A row known not to be one shows
 * another resource (also inside its raw text), or comes from a query whose filters keep only other events
 * ({@link Query#excludesSecrets()}: {@code objectRef.resource} limited to other resources, a {@code @logStream}
 * other than the audit log; the bundled rules that parse {@code @message} all say so). Any other row (an event cut
 * before its objectRef, a query that says nothing) is treated as a possible Secret. A row that shows another
 * resource (a ConfigMap) keeps its data: it is not secret (bodies are a matter for the notification redactor's
 * REDACT_BODIES). The price of deciding by value is over-redaction: a Secret value that is a common word
 * ({@code admin}) is also blanked where the same row shows it for another reason, and a parse capture from the raw
 * message of a possible Secret is blanked whole. That is accepted: a false blank costs a look at the logs, a leak
 * cannot be taken back. What it cannot see: a value the query transformed beyond recognition ({@code replace()},
 * {@code toupper()}, hashing) in a column beside the raw text it came from.
 */
public final class SecretScrubber {
    public static final String REDACTED = "[redacted]";
    /** Length of the pieces of a learned value that are searched for. */
    static final int GRAM = 4;
    private static final Set<String> DATA_KEYS = Set.of("data", "stringData", "binaryData");
    private static final Set<String> CONTAINER_ROOTS = Set.of("@message", "@data", "requestObject", "responseObject",
            "items", "object");
    private static final int ESCAPE_LEVELS = 3;

    /** Judges columns by their names only (each column its own source): for rows whose query is not known. */
    public static final SecretScrubber BY_NAME = new SecretScrubber(Map.of(), Kind.UNKNOWN);

    private final Map<String, Set<String>> sources;
    /** What a row is when it shows neither a resource nor a Secret: what the query's filters say. */
    private final Kind byQuery;

    private SecretScrubber(Map<String, Set<String>> sources, Kind byQuery) {
        this.sources = sources;
        this.byQuery = byQuery;
    }

    /** A scrubber for the rows of one query (a query that does not parse is judged by column names). */
    public static SecretScrubber forQuery(String queryText) {
        if (queryText == null) {
            return BY_NAME;
        }
        Kind targets = queryText.toLowerCase(Locale.ROOT).contains("secret") ? Kind.SECRET : Kind.UNKNOWN;
        try {
            Query q = Query.parse(queryText);
            return new SecretScrubber(q.columnSources(), q.excludesSecrets() ? Kind.OTHER : targets);
        } catch (RuntimeException e) { // QueryException or worse: judge by names
            return new SecretScrubber(Map.of(), targets);
        }
    }

    /** A scrubber for the rows of one parsed query. */
    public static SecretScrubber forQuery(Query q) {
        if (q == null) {
            return BY_NAME;
        }
        Kind targets = q.text().toLowerCase(Locale.ROOT).contains("secret") ? Kind.SECRET : Kind.UNKNOWN;
        return new SecretScrubber(q.columnSources(), q.excludesSecrets() ? Kind.OTHER : targets);
    }

    /** The result with every row scrubbed (columns and counts unchanged). */
    public QueryResult scrub(QueryResult result) {
        List<ResultRow> rows = new ArrayList<>(result.rows().size());
        for (ResultRow r : result.rows()) {
            Map<String, String> m = scrub(r.asMap());
            List<ResultRow.Field> fields = new ArrayList<>(m.size());
            m.forEach((k, v) -> fields.add(new ResultRow.Field(k, v)));
            rows.add(new ResultRow(fields));
        }
        return new QueryResult(result.columns(), rows, result.aggregate(), result.recordsScanned(),
                result.recordsMatched(), result.eventErrors(), text(result.firstEventError()), result.warnings());
    }

    /** A copy of the row without Secret values (same columns, same order). */
    public Map<String, String> scrub(Map<String, String> row) {
        Kind kind = kind(row);
        Learned learned = new Learned();
        Set<String> whole = new HashSet<>();
        boolean rawSeen = false;
        for (Map.Entry<String, String> e : row.entrySet()) {
            String v = e.getValue();
            Set<String> src = sourcesOf(e.getKey());
            if (v == null) {
                continue;
            }
            if (kind != Kind.OTHER && src.stream().anyMatch(SecretScrubber::isDataPath)) {
                whole.add(e.getKey());
                learned.add(v);
            }
            if (src.equals(Set.of(e.getKey())) && src.stream().anyMatch(SecretScrubber::isContainer)) {
                rawSeen = true;
            }
            if (kind != Kind.OTHER) {
                learnFrom(v, learned);
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : row.entrySet()) {
            String k = e.getKey();
            String v = e.getValue();
            Set<String> src = sourcesOf(k);
            boolean derivedFromRaw = !src.equals(Set.of(k)) && src.stream().anyMatch(SecretScrubber::isContainer);
            if (v == null) {
                out.put(k, null);
            } else if (whole.contains(k) || (kind != Kind.OTHER && derivedFromRaw && !rawSeen)) {
                out.put(k, REDACTED);
            } else if (kind != Kind.OTHER) {
                List<int[]> spans = dataSpans(v);
                out.put(k, spans.isEmpty() && learned.isEmpty() ? v : learned.mask(v, spans));
            } else {
                out.put(k, v);
            }
        }
        return out;
    }

    /**
     * Free text that may echo log lines (a rule's error, a warning): every string inside a data, stringData or
     * binaryData object is removed whatever the object's kind, with every other copy of those values.
     */
    public static String text(String s) {
        if (s == null || s.isEmpty()) {
            return s;
        }
        Learned learned = new Learned();
        learnFrom(s, learned);
        return learned.isEmpty() ? s : learned.mask(s, dataSpans(s));
    }

    /**
     * The text with the value of every {@code "key":} among {@code keys} replaced by {@code "[redacted]"}: an object
     * or array to its matching end, or to the end of a cut text. Works on any text (JSON, JSON after a prefix, cut
     * JSON); used by the notification redactor for request/response bodies.
     */
    public static String redactValuesOf(String text, Set<String> keys) {
        if (text == null || text.indexOf('"') < 0) {
            return text;
        }
        List<int[]> ranges = valueRanges(text, keys);
        if (ranges.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        for (int[] r : ranges) {
            if (r[0] < copied) {
                continue; // inside a value already replaced
            }
            out.append(text, copied, r[0]).append('"').append(REDACTED).append('"');
            copied = r[1];
        }
        return out.append(text, copied, text.length()).toString();
    }

    /**
     * The [start, end) ranges of the values of every {@code "key":} among {@code keys}, in order; found by the
     * quoted key itself, so a stray quote earlier in a non-JSON line cannot hide one. Null values are left out.
     */
    private static List<int[]> valueRanges(String t, Set<String> keys) {
        List<int[]> ranges = new ArrayList<>();
        for (String key : keys) {
            String q = "\"" + key + "\"";
            for (int i = t.indexOf(q); i >= 0; i = t.indexOf(q, i + 1)) {
                int v = afterColon(t, i + q.length());
                if (v > 0 && v <= t.length() && !t.startsWith("null", v) && !startsRedacted(t, v)) {
                    ranges.add(new int[] {v, valueEnd(t, v)});
                }
            }
        }
        ranges.sort((a, b) -> a[0] != b[0] ? Integer.compare(a[0], b[0]) : Integer.compare(b[1], a[1]));
        return ranges;
    }

    // ------------------------------------------------------------------ what kind of event a row is

    private enum Kind { SECRET, OTHER, UNKNOWN }

    private Kind kind(Map<String, String> row) {
        String resource = null;
        for (Map.Entry<String, String> e : row.entrySet()) {
            String v = e.getValue();
            if (v == null) {
                continue;
            }
            if (namesSecret(v)) {
                return Kind.SECRET;
            }
            if (sourcesOf(e.getKey()).equals(Set.of("objectRef.resource")) && !v.isBlank()) {
                resource = v.strip();
            }
        }
        if (resource == null) {
            for (String v : row.values()) {
                String r = v == null ? null : quotedResource(v);
                if (r != null) {
                    resource = r;
                    break;
                }
            }
        }
        if (resource != null) {
            return resource.equals("secrets") ? Kind.SECRET : Kind.OTHER;
        }
        return byQuery;
    }

    /** True when the text names a Secret: its kind (also escaped), the secrets resource, or a secrets URI. */
    static boolean namesSecret(String v) {
        if (v.indexOf("ecret") < 0) {
            return false;
        }
        String t = unescapeAll(v);
        return t.contains("/secrets") || hasKeyValue(t, "kind", "Secret") || hasKeyValue(t, "kind", "SecretList")
                || hasKeyValue(t, "resource", "secrets") || t.equals("secrets");
    }

    private static boolean hasKeyValue(String t, String key, String value) {
        String k = "\"" + key + "\"";
        for (int i = t.indexOf(k); i >= 0; i = t.indexOf(k, i + 1)) {
            int v = afterColon(t, i + k.length());
            if (v > 0 && t.startsWith("\"" + value + "\"", v)) {
                return true;
            }
        }
        return false;
    }

    private static String quotedResource(String v) {
        String k = "\"resource\"";
        int i = v.indexOf(k);
        if (i < 0) {
            return null;
        }
        int s = afterColon(v, i + k.length());
        if (s < 0 || s >= v.length() || v.charAt(s) != '"') {
            return null;
        }
        int e = stringEnd(v, s);
        return e <= s + 1 || v.charAt(e - 1) != '"' ? null : v.substring(s + 1, e - 1);
    }

    private Set<String> sourcesOf(String column) {
        Set<String> s = sources.get(column);
        return s == null ? Set.of(column) : s;
    }

    private static boolean isDataPath(String field) {
        for (String seg : field.split("\\.")) {
            if (DATA_KEYS.contains(seg)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isContainer(String field) {
        int dot = field.indexOf('.');
        return CONTAINER_ROOTS.contains(dot < 0 ? field : field.substring(0, dot));
    }

    // ------------------------------------------------------------------ learning values lexically

    private static void learnFrom(String v, Learned learned) {
        String t = v;
        for (int level = 0; level <= ESCAPE_LEVELS; level++) {
            for (int[] span : dataSpans(t)) {
                learned.add(unescape(t.substring(span[0], span[1])));
            }
            if (t.indexOf('\\') < 0) {
                break;
            }
            String next = unescape(t);
            if (next.equals(t)) {
                break;
            }
            t = next;
        }
    }

    /**
     * The [start, end) spans of the string values inside every data/stringData/binaryData value of a text (the
     * value itself when it is a string), read lexically: a cut text yields the spans up to its end.
     */
    static List<int[]> dataSpans(String t) {
        List<int[]> spans = new ArrayList<>();
        for (int[] r : valueRanges(t, DATA_KEYS)) {
            stringsIn(t, r[0], r[1], spans);
        }
        return spans;
    }

    /** Spans of the string contents in t[from, to) that are values, not object keys (to the end of a cut text). */
    private static void stringsIn(String t, int from, int to, List<int[]> spans) {
        // a string is a key when it follows '{' or ',' inside an object
        List<Character> stack = new ArrayList<>();
        char prev = ':';
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c == '"') {
                int e = stringEnd(t, i);
                boolean inObject = !stack.isEmpty() && stack.get(stack.size() - 1) == '{';
                if (!(inObject && (prev == '{' || prev == ','))) {
                    boolean closed = e > i + 1 && t.charAt(e - 1) == '"' && !(e == t.length() && t.charAt(e - 2) == '\\');
                    spans.add(new int[] {i + 1, closed ? e - 1 : e});
                }
                prev = '"';
                i = e - 1;
            } else if (c == '{' || c == '[') {
                stack.add(c);
                prev = c;
            } else if (c == '}' || c == ']') {
                if (!stack.isEmpty()) {
                    stack.remove(stack.size() - 1);
                }
                prev = c;
            } else if (c == ':' || c == ',') {
                prev = c;
            }
        }
    }

    /** The index just past the string starting at the quote {@code q} (the text's end when it is cut). */
    private static int stringEnd(String t, int q) {
        for (int i = q + 1; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i + 1;
            }
        }
        return t.length();
    }

    /** Where the value starts after {@code "key"} ending at {@code i} (spaces, ':' and spaces skipped), or -1. */
    private static int afterColon(String t, int i) {
        int j = i;
        while (j < t.length() && Character.isWhitespace(t.charAt(j))) {
            j++;
        }
        if (j >= t.length() || t.charAt(j) != ':') {
            return -1;
        }
        j++;
        while (j < t.length() && Character.isWhitespace(t.charAt(j))) {
            j++;
        }
        return j;
    }

    private static boolean startsRedacted(String t, int v) {
        return t.startsWith("\"" + REDACTED + "\"", v);
    }

    /** The index just past the JSON value starting at {@code v} (string, object, array or scalar; cut: the end). */
    private static int valueEnd(String t, int v) {
        if (v >= t.length()) {
            return t.length();
        }
        char c = t.charAt(v);
        if (c == '"') {
            return stringEnd(t, v);
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            for (int i = v; i < t.length(); i++) {
                char d = t.charAt(i);
                if (d == '"') {
                    i = stringEnd(t, i) - 1;
                } else if (d == '{' || d == '[') {
                    depth++;
                } else if (d == '}' || d == ']') {
                    depth--;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
            }
            return t.length();
        }
        int i = v;
        while (i < t.length() && ",}] \t\r\n".indexOf(t.charAt(i)) < 0) {
            i++;
        }
        return i;
    }

    /** One level of JSON string unescaping ({@code \"}, {@code \\}, {@code \n}, {@code \\uXXXX}…); lenient. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                b.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    if (isHex(s, i + 1, i + 5)) {
                        b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    } else {
                        b.append('\\').append(n);
                    }
                }
                default -> b.append(n);
            }
        }
        return b.toString();
    }

    private static String unescapeAll(String v) {
        String t = v;
        for (int level = 0; level < ESCAPE_LEVELS && t.indexOf('\\') >= 0; level++) {
            t = unescape(t);
        }
        return t;
    }

    private static boolean isHex(String s, int from, int to) {
        if (to > s.length()) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    // ------------------------------------------------------------------ learned values and masking

    /** Learned Secret values with their other forms, as the set of their {@value #GRAM}-character pieces. */
    private static final class Learned {
        private final Set<String> shortValues = new LinkedHashSet<>();
        private final Set<Long> grams = new HashSet<>();

        boolean isEmpty() {
            return shortValues.isEmpty() && grams.isEmpty();
        }

        void add(String value) {
            if (value == null || value.isEmpty() || value.equals(REDACTED)) {
                return;
            }
            Set<String> forms = new LinkedHashSet<>();
            forms.add(value);
            String decoded = base64Text(value);
            if (decoded != null) {
                forms.add(decoded);
            }
            forms.add(Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
            for (String f : List.copyOf(forms)) {
                String e1 = escape(f);
                forms.add(e1);
                forms.add(escape(e1));
            }
            for (String f : forms) {
                addForm(f);
            }
        }

        private void addForm(String f) {
            if (f.length() < GRAM) {
                shortValues.add(f);
                return;
            }
            for (int i = 0; i + GRAM <= f.length(); i++) {
                grams.add(key(f, i));
            }
        }

        /** The text with every piece of a learned value, and every span given, replaced by [redacted]. */
        String mask(String v, List<int[]> spans) {
            boolean[] m = new boolean[v.length()];
            boolean any = false;
            for (int[] s : spans) {
                for (int i = s[0]; i < s[1] && i < m.length; i++) {
                    m[i] = true;
                    any = true;
                }
            }
            if (!grams.isEmpty()) {
                for (int i = 0; i + GRAM <= v.length(); i++) {
                    if (grams.contains(key(v, i))) {
                        for (int j = i; j < i + GRAM; j++) {
                            m[j] = true;
                        }
                        any = true;
                    }
                }
            }
            for (String s : shortValues) {
                if (v.equals(s)) {
                    return REDACTED;
                }
                String q = "\"" + s + "\"";
                for (int i = v.indexOf(q); i >= 0; i = v.indexOf(q, i + 1)) {
                    for (int j = i + 1; j < i + 1 + s.length(); j++) {
                        m[j] = true;
                    }
                    any = true;
                }
            }
            if (!any) {
                return v;
            }
            StringBuilder b = new StringBuilder(v.length());
            for (int i = 0; i < v.length(); i++) {
                if (!m[i]) {
                    b.append(v.charAt(i));
                } else if (i == 0 || !m[i - 1]) {
                    b.append(REDACTED);
                }
            }
            return b.toString();
        }

        private static long key(String s, int i) {
            return ((long) s.charAt(i) << 48) | ((long) s.charAt(i + 1) << 32) | ((long) s.charAt(i + 2) << 16)
                    | s.charAt(i + 3);
        }
    }

    /** The base64-decoded text of a value, when it is valid base64 of valid UTF-8; else null. */
    private static String base64Text(String v) {
        String s = v.strip();
        if (s.length() < 4 || s.length() % 4 != 0) {
            return null;
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
