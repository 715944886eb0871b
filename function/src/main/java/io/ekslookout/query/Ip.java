package io.ekslookout.query;

/**
 * Literal-only IP address parsing (never DNS). IPv4: four decimal octets 0-255 without leading zeros.
 * IPv6: eight hex groups with at most one {@code ::}, optionally ending in an IPv4 dotted quad; zone ids are
 * rejected; IPv4-mapped IPv6 addresses are IPv6. CIDR host bits are masked (ignored).
 */
final class Ip {
    private Ip() {
    }

    /** 4 bytes for IPv4, 16 for IPv6, or null. */
    static byte[] parse(String s) {
        if (s == null) {
            return null;
        }
        byte[] v4 = parseV4(s);
        return v4 != null ? v4 : parseV6(s);
    }

    static byte[] parseV4(String s) {
        if (s == null || s.isEmpty() || s.length() > 15) {
            return null;
        }
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        while (part < 4) {
            int start = i;
            int value = 0;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return null;
                }
            }
            int len = i - start;
            if (len == 0 || value > 255 || len > 1 && s.charAt(start) == '0') {
                return null;
            }
            out[part++] = (byte) value;
            if (part < 4) {
                if (i >= s.length() || s.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == s.length() ? out : null;
    }

    static byte[] parseV6(String s) {
        if (s == null || s.length() < 2 || s.length() > 45 || s.indexOf(':') < 0) {
            return null;
        }
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        int[] head = new int[8];
        int[] tail = new int[8];
        int nh;
        int nt = 0;
        byte[] v4tail = null;
        if (gap >= 0) {
            nh = groups(s.substring(0, gap), head, false);
            String rest = s.substring(gap + 2);
            int lastColon = rest.lastIndexOf(':');
            if (rest.indexOf('.') >= 0) {
                v4tail = parseV4(rest.substring(lastColon + 1));
                if (v4tail == null) {
                    return null;
                }
                rest = lastColon < 0 ? "" : rest.substring(0, lastColon);
            }
            nt = groups(rest, tail, false);
            if (nh < 0 || nt < 0 || nh + nt + (v4tail != null ? 2 : 0) > 7) {
                return null;
            }
        } else {
            String body = s;
            if (s.indexOf('.') >= 0) {
                int lastColon = s.lastIndexOf(':');
                v4tail = parseV4(s.substring(lastColon + 1));
                if (v4tail == null) {
                    return null;
                }
                body = s.substring(0, lastColon);
            }
            nh = groups(body, head, true);
            if (nh + (v4tail != null ? 2 : 0) != 8) {
                return null;
            }
        }
        byte[] out = new byte[16];
        for (int k = 0; k < nh; k++) {
            out[2 * k] = (byte) (head[k] >> 8);
            out[2 * k + 1] = (byte) head[k];
        }
        int end = v4tail != null ? 12 : 16;
        for (int k = 0; k < nt; k++) {
            int at = end - 2 * (nt - k);
            out[at] = (byte) (tail[k] >> 8);
            out[at + 1] = (byte) tail[k];
        }
        if (v4tail != null) {
            System.arraycopy(v4tail, 0, out, 12, 4);
        }
        return out;
    }

    /** Parses colon-separated hex groups into {@code out}; returns the count or -1. Empty text is zero groups. */
    private static int groups(String s, int[] out, boolean required) {
        if (s.isEmpty()) {
            return required ? -1 : 0;
        }
        String[] parts = s.split(":", -1);
        if (parts.length > 8) {
            return -1;
        }
        for (int k = 0; k < parts.length; k++) {
            String p = parts[k];
            if (p.isEmpty() || p.length() > 4) {
                return -1;
            }
            int v = 0;
            for (int i = 0; i < p.length(); i++) {
                int d = Character.digit(p.charAt(i), 16);
                if (d < 0) {
                    return -1;
                }
                v = v * 16 + d;
            }
            out[k] = v;
        }
        return parts.length;
    }

    /** True when {@code addr} parses and lies inside {@code cidr} of the same family; family 4, 6 or 0 (any). */
    static boolean inSubnet(String addr, String cidr, int family) {
        byte[] a = family == 4 ? parseV4(addr) : family == 6 ? parseV6(addr) : parse(addr);
        if (a == null || cidr == null) {
            return false;
        }
        int slash = cidr.indexOf('/');
        String net = slash < 0 ? cidr : cidr.substring(0, slash);
        byte[] n = family == 4 ? parseV4(net) : family == 6 ? parseV6(net) : parse(net);
        if (n == null || n.length != a.length) {
            return false;
        }
        int bits = n.length * 8;
        if (slash >= 0) {
            String p = cidr.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return false;
            }
            bits = Integer.parseInt(p);
            if (bits > n.length * 8) {
                return false;
            }
        }
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >> (i % 8);
            if ((a[i / 8] & mask) != (n[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static final String[] PRIVATE = {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"};
    private static final String[] RESERVED = {"0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "100.64.0.0/10",
            "192.0.0.0/24", "192.0.2.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",
            "240.0.0.0/4", "::/128", "::1/128", "fe80::/10", "ff00::/8", "2001:db8::/32", "100::/64"};

    /** RFC 1918 IPv4 ranges and IPv6 unique local addresses. */
    static boolean isPrivate(String s) {
        return inAny(s, PRIVATE);
    }

    /** Loopback, link-local, documentation, carrier-grade NAT, benchmarking, multicast and other special ranges. */
    static boolean isReserved(String s) {
        return inAny(s, RESERVED);
    }

    /** A valid address that is neither private nor reserved. */
    static boolean isPublic(String s) {
        return parse(s) != null && !isPrivate(s) && !isReserved(s);
    }

    private static boolean inAny(String s, String[] cidrs) {
        for (String c : cidrs) {
            if (inSubnet(s, c, 0)) {
                return true;
            }
        }
        return false;
    }

    /** The IPv4 address as an unsigned 32-bit number, or null. */
    static Long v4ToNumber(String s) {
        byte[] b = parseV4(s);
        if (b == null) {
            return null;
        }
        return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
    }
}
