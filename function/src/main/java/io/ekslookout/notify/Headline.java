package io.ekslookout.notify;

import io.ekslookout.detect.Finding;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The one line a responder reads first: who did what to which object, with what result, when, where. For example
 * {@code alice (arn:aws:iam::111122223333:user/alice) patched configmap kube-system/aws-auth → 200 OK, 10:00:01
 * UTC, cluster prod}; for an aggregate rule, the figure that crossed the threshold:
 * {@code Spike of API server 5xx errors: 25 errors in minute 10:40 UTC (threshold ≥ 10), cluster prod}.
 *
 * <p>Built from the finding's first (most recent) row, whatever the rule called its columns: the audit field
 * names and the aliases the bundled rules use are both recognised. Parts the rows do not carry are left out, never
 * shown as "?". The parts are kept raw; {@link #render} neutralises each value from the logs for its channel.
 */
public record Headline(String actor, String arn, String verb, String resource, String namespace, String name,
                       String uri, String detail, String outcome, String time, String aggregate, long moreEvents) {
    private static final List<String> USER = List.of("user.username", "username", "userIdentity.userName", "user");
    private static final List<String> ARN = List.of("iamArn", "user.extra.arn.0", "user.extra.canonicalArn.0",
            "user.extra.arn", "userIdentity.arn", "arn");
    private static final List<String> SOURCE = List.of("sourceIP", "sourceIPs.0", "sourceIPs", "sourceIp",
            "sourceIPAddress");
    private static final List<String> NAMESPACE = List.of("objectRef.namespace", "namespace");
    private static final List<String> RESOURCE = List.of("objectRef.resource", "kind", "resource");
    /** Name columns and, for the aliases that say it, the kind of object they name. */
    private static final Map<String, String> NAME = orderedNames();
    private static final List<String> CODE = List.of("responseStatus.code", "code", "status");
    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d\\d-\\d\\d[ T](\\d\\d:\\d\\d)(:\\d\\d)?.*");
    private static final Map<String, String> PAST = Map.ofEntries(
            Map.entry("create", "created"), Map.entry("update", "updated"), Map.entry("patch", "patched"),
            Map.entry("delete", "deleted"), Map.entry("deletecollection", "deleted every"),
            Map.entry("get", "read"), Map.entry("list", "listed"), Map.entry("watch", "watched"),
            Map.entry("exec", "ran exec in"), Map.entry("attach", "attached to"),
            Map.entry("portforward", "port-forwarded to"), Map.entry("proxy", "proxied to"),
            Map.entry("impersonate", "impersonated"), Map.entry("escalate", "escalated"),
            Map.entry("bind", "bound"), Map.entry("approve", "approved"),
            Map.entry("approval", "approved"));
    private static final Map<String, String> STATUS = Map.ofEntries(
            Map.entry("101", "Switching Protocols"), Map.entry("200", "OK"), Map.entry("201", "Created"),
            Map.entry("202", "Accepted"), Map.entry("204", "No Content"), Map.entry("400", "Bad Request"),
            Map.entry("401", "Unauthorized"), Map.entry("403", "Forbidden"), Map.entry("404", "Not Found"),
            Map.entry("409", "Conflict"), Map.entry("422", "Unprocessable Entity"),
            Map.entry("429", "Too Many Requests"), Map.entry("500", "Internal Server Error"),
            Map.entry("502", "Bad Gateway"), Map.entry("503", "Service Unavailable"),
            Map.entry("504", "Gateway Timeout"));

    private static Map<String, String> orderedNames() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("objectRef.name", null);
        m.put("configMap", "configmap");
        m.put("daemonSet", "daemonset");
        m.put("secret", "secret");
        m.put("service", "service");
        m.put("pod", "pod");
        m.put("csr", "certificatesigningrequest");
        m.put("configuration", null);
        m.put("role", null);
        m.put("binding", null);
        m.put("name", null);
        return m;
    }

    /** The headline of a finding ({@code rows} already redacted). */
    public static Headline of(Finding f, RuleInfo rule, List<Map<String, String>> rows) {
        Map<String, String> r = rows.isEmpty() ? Map.of() : rows.get(0);
        long more = Math.max(0, f.matchCount() - 1);
        if (rule.threshold() != null) {
            return aggregate(f, rule, r);
        }
        String actor = first(r, USER);
        String arn = first(r, ARN);
        if (arn != null && !arn.startsWith("arn:")) {
            arn = null;
        }
        if (actor == null && arn != null) {
            actor = arn;
            arn = null;
        }
        if (actor == null) {
            String src = first(r, SOURCE);
            actor = src == null ? null : "a caller from " + src;
        }
        String verbRaw = first(r, List.of("action", "objectRef.subresource", "verb"));
        if (verbRaw != null && !PAST.containsKey(verbRaw.toLowerCase(Locale.ROOT))) {
            verbRaw = first(r, List.of("verb"));
        }
        String code = first(r, CODE);
        if (verbRaw == null && "201".equals(code)) {
            verbRaw = "create";
        }
        String verb = verbRaw == null ? null : PAST.getOrDefault(verbRaw.toLowerCase(Locale.ROOT), verbRaw);
        String resource = first(r, RESOURCE);
        String name = null;
        for (Map.Entry<String, String> e : NAME.entrySet()) {
            String v = r.get(e.getKey());
            if (v != null && !v.isBlank() && !(e.getKey().equals("role") && r.containsKey("binding"))) {
                name = v;
                if (resource == null) {
                    resource = e.getValue();
                }
                break;
            }
        }
        if (resource != null && name != null) { // "patched configmap x", but "listed secrets in default"
            resource = singular(resource);
        }
        String uri = resource == null && name == null ? first(r, List.of("requestURI")) : null;
        String outcome = code == null ? null : code + (STATUS.containsKey(code) ? " " + STATUS.get(code) : "");
        String error = first(r, List.of("error"));
        if (outcome == null && error != null) {
            outcome = SafeText.cut(error, 120);
        }
        return new Headline(actor, arn, verb, resource, first(r, NAMESPACE), name, uri, detail(r), outcome,
                time(r.get("@timestamp")), null, more);
    }

    /** What makes the object dangerous, when the bundled rules' columns say it. */
    private static String detail(Map<String, String> r) {
        List<String> d = new java.util.ArrayList<>();
        if (r.get("binding") != null && r.get("role") != null) {
            d.add("to role " + r.get("role"));
        }
        if (r.get("hostPath") != null) {
            d.add("mounting host path " + r.get("hostPath"));
        }
        for (String ns : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if ("true".equals(r.get(ns))) {
                d.add("with " + ns);
            }
        }
        if (r.get("wildcardIn") != null) {
            d.add("with * in its " + r.get("wildcardIn"));
        }
        if (r.get("command") != null) {
            d.add("command " + SafeText.cut(urlDecoded(r.get("command")), 80));
        }
        if (r.get("credential") != null) { // configmap-credentials: the key's name, never its value
            d.add("holding " + SafeText.cut(r.get("credential"), 80));
        }
        if (r.get("grantedVerb") != null) {
            d.add("granting " + r.get("grantedVerb"));
        }
        if (r.get("signerName") != null) {
            d.add("for signer " + SafeText.cut(r.get("signerName"), 80));
        }
        return d.isEmpty() ? null : String.join(", ", d);
    }

    private static Headline aggregate(Finding f, RuleInfo rule, Map<String, String> r) {
        RuleInfo.Limit t = rule.threshold();
        String value = r.get(t.column());
        String when = null;
        for (Map.Entry<String, String> e : r.entrySet()) {
            if (e.getValue() != null && TIMESTAMP.matcher(e.getValue()).matches()) {
                when = "in " + (e.getKey().startsWith("@") ? "the window starting" : e.getKey()) + " "
                        + time(e.getValue(), true);
                break;
            }
        }
        String figure = (value == null ? "?" : value) + " " + t.column()
                + (when == null ? "" : " " + when) + " (threshold " + symbol(t.op()) + " " + t.value() + ")";
        return new Headline(null, null, null, null, null, null, null, null, null, null, figure,
                Math.max(0, f.rows().size() + f.rowsOmitted() - 1));
    }

    /**
     * The line, each value from the logs passed through {@code value} (plain text for email, neutralised for
     * Slack); {@code title} (the rule's own, trusted) leads aggregate and actor-less headlines.
     */
    public String render(String title, String cluster, UnaryOperator<String> value) {
        StringBuilder sb = new StringBuilder();
        if (aggregate != null) {
            sb.append(title).append(": ").append(value.apply(aggregate));
            if (moreEvents > 0) {
                sb.append(" and ").append(moreEvents).append(moreEvents == 1 ? " more row" : " more rows");
            }
            return sb.append(", cluster ").append(value.apply(cluster)).toString();
        }
        String object = object();
        if (actor == null && verb == null) {
            // no one and no verb in the rows (an authenticator line): the rule's title says what happened
            sb.append(title);
            if (object != null) {
                sb.append(": ").append(value.apply(object));
            }
            if (outcome != null) {
                sb.append(object == null ? ": " : " \u2192 ").append(value.apply(outcome));
            }
        } else {
            sb.append(actor == null ? "someone" : value.apply(actor));
            if (arn != null) {
                sb.append(" (").append(value.apply(arn)).append(")");
            }
            sb.append(verb != null ? " " + value.apply(verb) : ": " + title + (object == null ? "" : ","));
            if (object != null) {
                sb.append(' ').append(value.apply(object));
            }
            if (detail != null) {
                sb.append(' ').append(value.apply(detail));
            }
            if (outcome != null) {
                sb.append(" \u2192 ").append(value.apply(outcome));
            }
        }
        if (moreEvents > 0) {
            sb.append(" (+").append(moreEvents).append(moreEvents == 1 ? " more event)" : " more events)");
        }
        if (time != null) {
            sb.append(", ").append(value.apply(time));
        }
        return sb.append(", cluster ").append(value.apply(cluster)).toString();
    }

    /** "configmap kube-system/aws-auth", "secrets in default", "/api/v1/…"; null when the rows name nothing. */
    String object() {
        if (name != null) {
            return (resource == null ? "" : resource + " ") + (namespace == null ? "" : namespace + "/") + name;
        }
        if (resource != null) {
            return resource + (namespace == null ? "" : " in " + namespace);
        }
        return uri;
    }

    /** "HH:mm:ss UTC" of an engine timestamp ("2026-11-20 10:00:01.000"); null when absent or unreadable. */
    static String time(String ts) {
        return time(ts, false);
    }

    /** As {@link #time(String)}; with {@code minute}, "HH:mm UTC" when the seconds are zero (a bin's start). */
    static String time(String ts, boolean minute) {
        if (ts == null) {
            return null;
        }
        var m = TIMESTAMP.matcher(ts);
        if (!m.matches()) {
            return null;
        }
        String sec = m.group(2) == null ? "" : m.group(2);
        return m.group(1) + (minute && (sec.isEmpty() || sec.equals(":00")) ? "" : sec) + " UTC";
    }

    /** A query-string value as typed ({@code %2Fbin%2Fsh} → {@code /bin/sh}); as is when it is not encoded. */
    static String urlDecoded(String v) {
        try {
            return java.net.URLDecoder.decode(v, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return v;
        }
    }

    static String symbol(String op) {
        return switch (op) {
            case ">=" -> "\u2265";
            case "<=" -> "\u2264";
            case "!=" -> "\u2260";
            default -> op;
        };
    }

    static String singular(String resource) {
        String r = resource;
        if (r.endsWith("ies")) {
            return r.substring(0, r.length() - 3) + "y";
        }
        if (r.endsWith("sses")) {
            return r.substring(0, r.length() - 2);
        }
        if (r.endsWith("s") && !r.endsWith("ss")) {
            return r.substring(0, r.length() - 1);
        }
        return r;
    }

    private static String first(Map<String, String> row, List<String> fields) {
        for (String f : fields) {
            String v = row.get(f);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
