package io.ekslookout.rules;

import java.util.Locale;

/** How urgent a finding is, lowest first. */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    /** The lower-case name used in rule files and output. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label (case-insensitive); null when it is not one. */
    public static Severity parse(String s) {
        if (s == null) {
            return null;
        }
        for (Severity v : values()) {
            if (v.label().equalsIgnoreCase(s.trim())) {
                return v;
            }
        }
        return null;
    }

    public boolean atLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    public static String choices() {
        return "info, low, medium, high, critical";
    }
}
