package io.ekslookout.export;

import io.ekslookout.detect.Finding;
import io.ekslookout.notify.Headline;
import io.ekslookout.notify.RuleInfo;

/**
 * The Kubernetes object a finding is about, as far as its first row says (the same reading as a notification's
 * headline: the audit field names and the bundled rules' aliases). Null parts are not known.
 *
 * @param resource  the resource kind, singular when a name is known (configmap, clusterrolebinding)
 * @param namespace the namespace, or null (cluster-scoped, or not in the rule's fields)
 * @param name      the object's name
 * @param actor     who acted on it (user name, or a caller's source address)
 * @param arn       the caller's IAM ARN, when the row carries one
 */
record KubeObject(String resource, String namespace, String name, String actor, String arn) {
    /** The object of a finding, or null when its rows name none. */
    static KubeObject of(Finding f, RuleInfo rule) {
        if (f.rows().isEmpty()) {
            return null;
        }
        Headline h = Headline.of(f, rule, f.rows());
        if (h.resource() == null && h.name() == null) {
            return null;
        }
        return new KubeObject(h.resource(), h.namespace(), h.name(), h.actor(), h.arn());
    }

    /** A stable id: {@code k8s://<cluster>/namespaces/<ns>/<resource>/<name>}, parts left out when not known. */
    String id(String cluster) {
        StringBuilder sb = new StringBuilder("k8s://").append(cluster);
        if (namespace != null) {
            sb.append("/namespaces/").append(namespace);
        }
        sb.append('/').append(resource == null ? "object" : resource);
        if (name != null) {
            sb.append('/').append(name);
        }
        return sb.toString();
    }
}
