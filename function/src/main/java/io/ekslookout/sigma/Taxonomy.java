package io.ekslookout.sigma;

import io.ekslookout.rules.RuleLoader;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sigma field names of the {@code kubernetes/audit} log source mapped to Kubernetes audit event fields as Logs
 * Insights names them (the table in docs/rules.md, "Importing Sigma rules"). Sigma's Kubernetes rules use the raw
 * audit names ({@code verb}, {@code objectRef.resource}) and a few short names ({@code apiGroup}); two taxonomy
 * fields are properties of a pod spec rather than audit fields ({@code hostPath}, {@code capabilities}) and are
 * matched in the raw event. Anything else is refused: a misspelt field would otherwise never match and the rule
 * would be silently dead.
 */
final class Taxonomy {
    private Taxonomy() {
    }

    /** How a Sigma field is matched. */
    enum Kind {
        /** An audit leaf field, compared by value. */
        FIELD,
        /** A hostPath volume's path, anywhere in the raw event. */
        HOST_PATH,
        /** A capability added to a container (securityContext.capabilities.add), anywhere in the raw event. */
        CAPABILITY,
        /** No field: a keyword searched in the whole raw event. */
        KEYWORD
    }

    /** A resolved field: how it is matched and, for {@link Kind#FIELD}, the audit field's name. */
    record Field(Kind kind, String auditName) {
    }

    /** Short names of the Sigma taxonomy → audit field. */
    static final Map<String, String> SHORT = shortNames();

    private static Map<String, String> shortNames() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("apiGroup", "objectRef.apiGroup");
        m.put("apiVersion", "objectRef.apiVersion");
        m.put("resource", "objectRef.resource");
        m.put("subresource", "objectRef.subresource");
        m.put("namespace", "objectRef.namespace");
        m.put("name", "objectRef.name");
        m.put("user", "user.username");
        m.put("username", "user.username");
        m.put("sourceIP", "sourceIPs.0");
        m.put("sourceIPs", "sourceIPs.0");
        m.put("impersonatedUser", "impersonatedUser.username");
        return m;
    }

    /** Audit leaf fields accepted as written. */
    static final Set<String> LEAVES = Set.of("verb", "stage", "level", "auditID", "requestURI", "userAgent",
            "requestReceivedTimestamp", "stageTimestamp", "user.username", "user.uid", "impersonatedUser.username",
            "impersonatedUser.uid", "objectRef.resource", "objectRef.subresource", "objectRef.namespace",
            "objectRef.name", "objectRef.apiGroup", "objectRef.apiVersion", "objectRef.uid",
            "objectRef.resourceVersion", "responseStatus.code", "responseStatus.status", "responseStatus.reason",
            "responseStatus.message");

    /** Prefixes under which any path is accepted (objects whose keys the audit schema does not fix). */
    static final List<String> OPEN_PREFIXES = List.of("requestObject.", "responseObject.", "annotations.",
            "user.extra.", "impersonatedUser.extra.");

    /** Lists: accepted with an element index (sourceIPs.0, user.groups.1). */
    static final List<String> LISTS = List.of("sourceIPs", "user.groups", "impersonatedUser.groups");

    /** Objects: never a value themselves. */
    static final Set<String> OBJECTS = Set.of("user", "impersonatedUser", "objectRef", "responseStatus",
            "requestObject", "responseObject", "annotations", "user.extra", "impersonatedUser.extra");

    private static final com.google.re2j.Pattern INDEX = com.google.re2j.Pattern.compile("\\.[0-9]{1,4}");

    /** The field, or throws {@link IllegalArgumentException} saying why it is refused. */
    static Field resolve(String sigmaName) {
        if (sigmaName.isEmpty()) {
            return new Field(Kind.KEYWORD, null);
        }
        if (sigmaName.equals("hostPath")) {
            return new Field(Kind.HOST_PATH, null);
        }
        if (sigmaName.equals("capabilities")) {
            return new Field(Kind.CAPABILITY, null);
        }
        String mapped = SHORT.get(sigmaName);
        if (mapped != null) {
            return new Field(Kind.FIELD, mapped);
        }
        if (LEAVES.contains(sigmaName)) {
            return new Field(Kind.FIELD, sigmaName);
        }
        for (String list : LISTS) {
            if (sigmaName.equals(list)) {
                throw new IllegalArgumentException("field '" + sigmaName + "' is a list: name one element, e.g. '"
                        + sigmaName + ".0' (Logs Insights compares leaves, not lists)");
            }
            if (sigmaName.startsWith(list) && INDEX.matches(sigmaName.substring(list.length()))) {
                return new Field(Kind.FIELD, sigmaName);
            }
        }
        if (OBJECTS.contains(sigmaName)) {
            throw new IllegalArgumentException("field '" + sigmaName + "' is an object, not a value: name one of its"
                    + " fields (e.g. " + example(sigmaName) + ")");
        }
        for (String p : OPEN_PREFIXES) {
            if (sigmaName.startsWith(p) && sigmaName.length() > p.length()) {
                if (sigmaName.endsWith(".") || sigmaName.contains("..")) {
                    throw new IllegalArgumentException("field '" + sigmaName + "' has an empty path segment");
                }
                if (QueryText.fieldName(sigmaName) == null) {
                    throw new IllegalArgumentException("field '" + sigmaName + "' cannot be named in a Logs Insights"
                            + " query (a backtick or a control character)");
                }
                return new Field(Kind.FIELD, sigmaName);
            }
        }
        List<String> known = new ArrayList<>(SHORT.keySet());
        known.addAll(LEAVES);
        known.add("hostPath");
        known.add("capabilities");
        String hint = RuleLoader.didYouMean(sigmaName, known);
        throw new IllegalArgumentException("unknown field '" + sigmaName + "' for kubernetes/audit"
                + (hint != null ? " (did you mean '" + hint + "'?)" : "")
                + ": expected an audit field (verb, objectRef.resource, user.username, requestObject.…) or a Sigma"
                + " taxonomy name (apiGroup, resource, namespace, hostPath, capabilities, …); see docs/rules.md");
    }

    private static String example(String object) {
        return switch (object) {
            case "user" -> "user.username";
            case "impersonatedUser" -> "impersonatedUser.username";
            case "objectRef" -> "objectRef.resource";
            case "responseStatus" -> "responseStatus.code";
            case "requestObject" -> "requestObject.spec.type";
            case "responseObject" -> "responseObject.metadata.name";
            case "annotations" -> "annotations.authorization.k8s.io/decision";
            default -> object + ".KEY.0";
        };
    }
}
