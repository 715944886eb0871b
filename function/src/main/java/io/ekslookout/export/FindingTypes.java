package io.ekslookout.export;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rule's tags as finding types: the {@code namespace/category/classifier} strings of Security Hub's ASFF (also
 * written to OCSF's {@code finding_info.types}), and the MITRE ATT&amp;CK techniques with their tactic.
 *
 * <p>The mapping, one type per tag, duplicates removed, in tag order:
 * <ul>
 *   <li>an ATT&amp;CK technique id in {@link #TECHNIQUES} ({@code T1611}, or a sub-technique {@code T1098.006}, which
 *   takes its parent's entry) → {@code TTPs/<tactic>/<id> <technique name>}, e.g.
 *   {@code TTPs/Privilege Escalation/T1611 Escape to Host}. A technique that serves several tactics is put under
 *   the one a control-plane detection of it is about (T1610 Deploy Container: Execution). Impact techniques have
 *   no TTPs category in ASFF and go to its {@code Effects} namespace ({@code T1499} → {@code Effects/Denial of
 *   Service/...});</li>
 *   <li>a tag that already is an ASFF type (it starts with one of the five ASFF namespaces and a {@code /}) → as
 *   written, so a rule author can name a type exactly;</li>
 *   <li>any other tag (an ATT&amp;CK id not in the table, a free label) →
 *   {@code Software and Configuration Checks/eks-lookout/<tag>};</li>
 *   <li>a rule without tags → {@code Software and Configuration Checks/eks-lookout/<rule id>} (ASFF requires one
 *   type).</li>
 * </ul>
 * Each type is cut to {@value #TYPE_MAX} characters and at most {@value #TYPES_MAX} are kept (ASFF's limits).
 */
public final class FindingTypes {
    static final int TYPE_MAX = 128;
    static final int TYPES_MAX = 50;
    static final String OWN = "Software and Configuration Checks/eks-lookout/";
    private static final List<String> NAMESPACES = List.of("Software and Configuration Checks/", "TTPs/", "Effects/",
            "Unusual Behaviors/", "Sensitive Data Identifications/");
    private static final com.google.re2j.Pattern TECHNIQUE =
            com.google.re2j.Pattern.compile("T\\d{4}(\\.\\d{3})?");

    /** An ATT&amp;CK technique (a parent technique id) with its name and the ASFF namespace/category it goes to. */
    public record Technique(String id, String name, String tactic, String asffPrefix) {
    }

    /** The techniques of the ATT&amp;CK Containers matrix and those the bundled rules use. */
    static final Map<String, Technique> TECHNIQUES = table(
            "T1190", "Exploit Public-Facing Application", "Initial Access",
            "T1133", "External Remote Services", "Initial Access",
            "T1078", "Valid Accounts", "Initial Access",
            "T1609", "Container Administration Command", "Execution",
            "T1610", "Deploy Container", "Execution",
            "T1053", "Scheduled Task/Job", "Execution",
            "T1204", "User Execution", "Execution",
            "T1098", "Account Manipulation", "Persistence",
            "T1543", "Create or Modify System Process", "Persistence",
            "T1525", "Implant Internal Image", "Persistence",
            "T1136", "Create Account", "Persistence",
            "T1611", "Escape to Host", "Privilege Escalation",
            "T1068", "Exploitation for Privilege Escalation", "Privilege Escalation",
            "T1548", "Abuse Elevation Control Mechanism", "Privilege Escalation",
            "T1562", "Impair Defenses", "Defense Evasion",
            "T1550", "Use Alternate Authentication Material", "Defense Evasion",
            "T1070", "Indicator Removal", "Defense Evasion",
            "T1552", "Unsecured Credentials", "Credential Access",
            "T1528", "Steal Application Access Token", "Credential Access",
            "T1110", "Brute Force", "Credential Access",
            "T1649", "Steal or Forge Authentication Certificates", "Credential Access",
            "T1613", "Container and Resource Discovery", "Discovery",
            "T1046", "Network Service Discovery", "Discovery",
            "T1069", "Permission Groups Discovery", "Discovery",
            "T1021", "Remote Services", "Lateral Movement",
            "T1530", "Data from Cloud Storage", "Collection",
            "T1572", "Protocol Tunneling", "Command and Control",
            "T1499", "Endpoint Denial of Service", "Impact",
            "T1498", "Network Denial of Service", "Impact",
            "T1496", "Resource Hijacking", "Impact",
            "T1485", "Data Destruction", "Impact");

    private FindingTypes() {
    }

    private static Map<String, Technique> table(String... cells) {
        Map<String, String> effects = Map.of("T1499", "Effects/Denial of Service/", "T1498",
                "Effects/Denial of Service/", "T1496", "Effects/Resource Consumption/", "T1485",
                "Effects/Data Destruction/");
        Map<String, Technique> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < cells.length; i += 3) {
            String id = cells[i];
            String prefix = effects.getOrDefault(id, "TTPs/" + cells[i + 2] + "/");
            m.put(id, new Technique(id, cells[i + 1], cells[i + 2], prefix));
        }
        return Map.copyOf(m);
    }

    /** The ASFF types of a rule's tags (never empty). */
    public static List<String> asff(String ruleId, List<String> tags) {
        Set<String> out = new LinkedHashSet<>();
        for (String raw : tags) {
            String tag = raw == null ? "" : raw.strip();
            if (tag.isEmpty()) {
                continue;
            }
            Technique t = technique(tag);
            String type;
            if (t != null) {
                // an ASFF type is namespace/category/classifier: a '/' in ATT&CK's name ("Scheduled Task/Job")
                // would make a fourth level, so it becomes '-' here (OCSF keeps the name as ATT&CK writes it)
                type = t.asffPrefix() + tag + " " + t.name().replace('/', '-');
            } else if (NAMESPACES.stream().anyMatch(tag::startsWith)) {
                type = tag;
            } else {
                type = OWN + tag;
            }
            out.add(type.length() > TYPE_MAX ? type.substring(0, TYPE_MAX) : type);
        }
        if (out.isEmpty()) {
            String own = OWN + ruleId;
            out.add(own.length() > TYPE_MAX ? own.substring(0, TYPE_MAX) : own);
        }
        List<String> list = new ArrayList<>(out);
        return list.size() > TYPES_MAX ? List.copyOf(list.subList(0, TYPES_MAX)) : List.copyOf(list);
    }

    /** The technique of an ATT&amp;CK id tag (a sub-technique gives its parent), or null. */
    public static Technique technique(String tag) {
        if (tag == null || !TECHNIQUE.matches(tag.strip())) {
            return null;
        }
        return TECHNIQUES.get(tag.strip().substring(0, 5));
    }
}
