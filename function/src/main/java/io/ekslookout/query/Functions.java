package io.ekslookout.query;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scalar function library (names are case-insensitive). General null rule: a missing argument, or a MAP/LIST
 * where a scalar is expected, gives null; predicates give 1/0.
 */
final class Functions {
    private Functions() {
    }

    @FunctionalInterface
    interface Fn {
        Object apply(Expr.Call call, Rec r, Object[] a);
    }

    /** What the parser checks: arity (max -1 = any) and which arguments must be time period literals. */
    record Spec(String name, int min, int max, boolean periodArgLast, Fn fn) {
    }

    private static final Map<String, Spec> SPECS = new HashMap<>();

    static Spec lookup(String name) {
        return SPECS.get(name.toLowerCase(Locale.ROOT));
    }

    private static void def(String name, int min, int max, Fn fn) {
        SPECS.put(name.toLowerCase(Locale.ROOT), new Spec(name, min, max, false, fn));
    }

    private static void defPeriod(String name, int arity, Fn fn) {
        SPECS.put(name.toLowerCase(Locale.ROOT), new Spec(name, arity, arity, true, fn));
    }

    private interface Num1 {
        Object apply(Number n);
    }

    private interface Str1 {
        Object apply(String s);
    }

    private static void num1(String name, Num1 f) {
        def(name, 1, 1, (c, r, a) -> {
            Number n = Values.num(a[0]);
            return n == null ? null : f.apply(n);
        });
    }

    private static void str1(String name, Str1 f) {
        def(name, 1, 1, (c, r, a) -> {
            String s = Values.text(a[0]);
            return s == null ? null : f.apply(s);
        });
    }

    private static Object integral(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? null : d == Math.rint(d) && Math.abs(d) < 9e18 ? (Object) (long) d : d;
    }

    static {
        // numeric
        num1("abs", n -> n instanceof Long l ? (Object) Math.abs(l) : Math.abs(n.doubleValue()));
        num1("ceil", n -> n instanceof Long ? n : integral(Math.ceil(n.doubleValue())));
        num1("floor", n -> n instanceof Long ? n : integral(Math.floor(n.doubleValue())));
        num1("log", n -> n.doubleValue() <= 0 ? null : integral(Math.log(n.doubleValue())));
        num1("sqrt", n -> n.doubleValue() < 0 ? null : integral(Math.sqrt(n.doubleValue())));
        def("haversine", 4, 4, (c, r, a) -> {
            Number lat1 = Values.num(a[0]);
            Number lon1 = Values.num(a[1]);
            Number lat2 = Values.num(a[2]);
            Number lon2 = Values.num(a[3]);
            return lat1 == null || lon1 == null || lat2 == null || lon2 == null ? null
                    : integral(haversineKm(lat1.doubleValue(), lon1.doubleValue(), lat2.doubleValue(),
                    lon2.doubleValue()));
        });
        def("round", 1, 2, (c, r, a) -> {
            Number n = Values.num(a[0]);
            Number d = a.length > 1 ? Values.num(a[1]) : Long.valueOf(0);
            if (n == null || d == null) {
                return null;
            }
            BigDecimal b = new BigDecimal(n.toString()).setScale(d.intValue(), RoundingMode.HALF_UP);
            return integral(b.doubleValue());
        });
        def("greatest", 1, -1, (c, r, a) -> extreme(a, 1));
        def("least", 1, -1, (c, r, a) -> extreme(a, -1));
        for (String n : List.of("toNumber", "toDouble")) {
            def(n, 1, 1, (c, r, a) -> Values.num(a[0]));
        }
        for (String n : List.of("toInt", "toLong")) {
            def(n, 1, 1, (c, r, a) -> {
                Number x = Values.num(a[0]);
                return x == null ? null : (Object) x.longValue();
            });
        }
        // general
        def("ispresent", 1, 1, (c, r, a) -> Values.bool(a[0] != null));
        def("coalesce", 1, -1, (c, r, a) -> {
            for (Object o : a) {
                if (o != null) {
                    return o;
                }
            }
            return null;
        });
        def("if", 3, 3, (c, r, a) -> Values.truthy(a[0]) ? a[1] : a[2]);
        def("case", 2, 21, (c, r, a) -> {
            int i = 0;
            for (; i + 1 < a.length; i += 2) {
                if (Values.truthy(a[i])) {
                    return a[i + 1];
                }
            }
            return i < a.length ? a[i] : null; // an odd argument count ends with the default
        });
        def("isNumeric", 1, 1, (c, r, a) -> Values.bool(a[0] != null && Values.num(a[0]) != null
                && !(a[0] instanceof Timestamp)));
        def("messageSize", 1, 1, (c, r, a) -> {
            String s = Values.text(a[0]);
            return s == null ? null : (Object) (long) s.getBytes(StandardCharsets.UTF_8).length;
        });
        // strings
        def("isempty", 1, 1, (c, r, a) -> Values.bool(a[0] == null || "".equals(Values.text(a[0]))));
        def("isblank", 1, 1, (c, r, a) -> {
            String s = Values.text(a[0]);
            return Values.bool(a[0] == null || s != null && s.isBlank());
        });
        def("concat", 1, -1, (c, r, a) -> {
            StringBuilder sb = new StringBuilder();
            for (Object o : a) {
                String s = Values.text(o);
                if (s != null) {
                    sb.append(s);
                }
            }
            return sb.toString();
        });
        def("ltrim", 1, 2, (c, r, a) -> trim(a, true, false));
        def("rtrim", 1, 2, (c, r, a) -> trim(a, false, true));
        def("trim", 1, 2, (c, r, a) -> trim(a, true, true));
        str1("strlen", s -> (long) s.codePointCount(0, s.length()));
        str1("toupper", s -> s.toUpperCase(Locale.ROOT));
        str1("tolower", s -> s.toLowerCase(Locale.ROOT));
        def("substr", 2, 3, (c, r, a) -> {
            String s = Values.text(a[0]);
            Number start = Values.num(a[1]);
            Number len = a.length > 2 ? Values.num(a[2]) : null;
            if (s == null || start == null || a.length > 2 && len == null || start.longValue() < 0) {
                return null;
            }
            int from = (int) Math.min(start.longValue(), s.length());
            int to = len == null ? s.length() : (int) Math.min(s.length(), from + Math.max(0, len.longValue()));
            return s.substring(from, to);
        });
        def("replace", 3, 3, (c, r, a) -> {
            String s = Values.text(a[0]);
            String find = Values.text(a[1]);
            String with = Values.text(a[2]);
            if (s == null || find == null || with == null) {
                return null;
            }
            return find.isEmpty() ? s : s.replace(find, with);
        });
        def("strcontains", 2, 3, (c, r, a) -> {
            String s = Values.text(a[0]);
            String find = Values.text(a[1]);
            if (s == null || find == null) {
                return Values.FALSE;
            }
            if (a.length > 2 && Values.truthy(a[2]) || a.length > 2 && "true".equalsIgnoreCase(Values.text(a[2]))) {
                return Values.bool(s.toLowerCase(Locale.ROOT).contains(find.toLowerCase(Locale.ROOT)));
            }
            return Values.bool(s.contains(find));
        });
        def("startsWith", 2, 2, (c, r, a) -> {
            String s = Values.text(a[0]);
            String p = Values.text(a[1]);
            return s == null || p == null ? null : Values.bool(s.startsWith(p));
        });
        def("endsWith", 2, 2, (c, r, a) -> {
            String s = Values.text(a[0]);
            String p = Values.text(a[1]);
            return s == null || p == null ? null : Values.bool(s.endsWith(p));
        });
        def("regexReplace", 3, 3, (c, r, a) -> {
            String s = Values.text(a[0]);
            String p = Values.text(a[1]);
            String with = Values.text(a[2]);
            if (s == null || p == null || with == null) {
                return null;
            }
            Regex pattern = cachedPattern(p);
            return pattern == null ? null : pattern.replaceAll(s, with);
        });
        def("split", 2, 2, (c, r, a) -> {
            String s = Values.text(a[0]);
            String d = Values.text(a[1]);
            if (s == null || d == null || d.isEmpty()) {
                return null;
            }
            List<Object> parts = new ArrayList<>();
            int from = 0;
            for (int at = s.indexOf(d); at >= 0; at = s.indexOf(d, from)) {
                parts.add(s.substring(from, at));
                from = at + d.length();
            }
            parts.add(s.substring(from));
            return parts;
        });
        // date and time
        defPeriod("bin", 1, (c, r, a) -> {
            Object ts = r.get("@timestamp");
            Number n = Values.num(ts);
            return n == null ? null : new Timestamp(((Period) a[0]).floor(n.longValue()));
        });
        defPeriod("datefloor", 2, (c, r, a) -> {
            Long ms = millis(a[0]);
            return ms == null ? null : new Timestamp(((Period) a[1]).floor(ms));
        });
        defPeriod("dateceil", 2, (c, r, a) -> {
            Long ms = millis(a[0]);
            return ms == null ? null : new Timestamp(((Period) a[1]).ceil(ms));
        });
        def("fromMillis", 1, 1, (c, r, a) -> {
            Number n = Values.num(a[0]);
            return n == null ? null : new Timestamp(n.longValue());
        });
        def("toMillis", 1, 1, (c, r, a) -> millis(a[0]));
        def("parseDate", 2, 3, (c, r, a) -> {
            String s = Values.text(a[0]);
            String pattern = Values.text(a[1]);
            String zone = a.length > 2 ? Values.text(a[2]) : "UTC";
            return s == null || pattern == null || zone == null ? null : parseDate(s, pattern, zone);
        });
        def("now", 0, 0, (c, r, a) -> r.env.ctx.now().getEpochSecond());
        def("queryStartTime", 0, 0, (c, r, a) -> r.env.ctx.startMillis());
        def("queryEndTime", 0, 0, (c, r, a) -> r.env.ctx.endMillis());
        def("queryTimeRange", 0, 0, (c, r, a) -> {
            try {
                return Math.subtractExact(r.env.ctx.endMillis(), r.env.ctx.startMillis());
            } catch (ArithmeticException unbounded) {
                return null; // no window (local runs without --since/--until)
            }
        });
        Fn formatDate = (c, r, a) -> {
            Long ms = millis(a[0]);
            String pattern = Values.text(a[1]);
            String zone = a.length > 2 ? Values.text(a[2]) : "UTC";
            if (ms == null || pattern == null || zone == null) {
                return null;
            }
            try {
                return Strftime.format(ms, pattern, java.time.ZoneId.of(zone));
            } catch (java.time.DateTimeException e) {
                return null; // unknown zone, or an instant out of java.time's range
            }
        };
        def("formatDate", 2, 3, formatDate);
        def("strftime", 2, 3, formatDate);
        // JSON
        def("jsonParse", 1, 1, (c, r, a) -> a[0] instanceof Map || a[0] instanceof List ? a[0]
                : Json.parseStructure(Values.text(a[0])));
        def("jsonStringify", 1, 1, (c, r, a) -> Values.isStructure(a[0]) ? Json.stringify(a[0]) : null);
        // IP addresses
        def("isValidIp", 1, 1, (c, r, a) -> Values.bool(Ip.parse(Values.text(a[0])) != null));
        def("isValidIpV4", 1, 1, (c, r, a) -> Values.bool(Ip.parseV4(Values.text(a[0])) != null));
        def("isValidIpV6", 1, 1, (c, r, a) -> Values.bool(Ip.parseV6(Values.text(a[0])) != null));
        def("isIpInSubnet", 2, 2, (c, r, a) -> Values.bool(Ip.inSubnet(Values.text(a[0]), Values.text(a[1]), 0)));
        def("isIpv4InSubnet", 2, 2, (c, r, a) -> Values.bool(Ip.inSubnet(Values.text(a[0]), Values.text(a[1]), 4)));
        def("isIpv6InSubnet", 2, 2, (c, r, a) -> Values.bool(Ip.inSubnet(Values.text(a[0]), Values.text(a[1]), 6)));
        def("isPrivateIP", 1, 1, (c, r, a) -> Values.bool(Ip.isPrivate(Values.text(a[0]))));
        def("isReservedIP", 1, 1, (c, r, a) -> Values.bool(Ip.isReserved(Values.text(a[0]))));
        def("isPublicIP", 1, 1, (c, r, a) -> Values.bool(Ip.isPublic(Values.text(a[0]))));
        def("ipv4ToNumber", 1, 1, (c, r, a) -> Ip.v4ToNumber(Values.text(a[0])));
        // JSON arrays held in strings
        def("jsonArraySize", 1, 1, (c, r, a) -> {
            Object v = a[0] instanceof List ? a[0] : Json.parseStructure(Values.text(a[0]));
            return v instanceof List<?> l ? (Object) (long) l.size() : null;
        });
        def("jsonArrayContains", 2, 2, (c, r, a) -> {
            Object v = a[0] instanceof List ? a[0] : Json.parseStructure(Values.text(a[0]));
            if (!(v instanceof List<?> l) || a[1] == null) {
                return Values.FALSE;
            }
            for (Object o : l) {
                if (o != null && !Values.isStructure(o) && Values.render(o).equals(Values.render(a[1]))) {
                    return Values.TRUE;
                }
            }
            return Values.FALSE;
        });
        // encodings
        str1("urlencode", s -> java.net.URLEncoder.encode(s, StandardCharsets.UTF_8));
        str1("urldecode", s -> {
            try {
                return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        });
        str1("base64encode", s -> java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
        str1("base64decode", s -> {
            try {
                return new String(java.util.Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        });
        str1("hexToDec", s -> {
            String h = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
            try {
                return h.isEmpty() ? null : (Object) Long.parseLong(h, 16);
            } catch (NumberFormatException e) {
                return null;
            }
        });
        // hashing (AWS "Hashing functions" page): lowercase hex of the UTF-8 bytes' digest
        str1("md5", s -> hexDigest("MD5", s));
        str1("sha256", s -> hexDigest("SHA-256", s));
        str1("hexToAscii", s -> {
            String h = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
            if (h.isEmpty() || h.length() % 2 != 0) {
                return null;
            }
            byte[] bytes = new byte[h.length() / 2];
            for (int i = 0; i < bytes.length; i++) {
                int hi = Character.digit(h.charAt(2 * i), 16);
                int lo = Character.digit(h.charAt(2 * i + 1), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes[i] = (byte) (hi << 4 | lo);
            }
            return new String(bytes, StandardCharsets.UTF_8);
        });
        num1("decToHex", n -> {
            long v = n.longValue();
            return v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v);
        });
    }

    /** The mean Earth radius most haversine implementations use. */
    static final double EARTH_RADIUS_KM = 6371.0;

    /** Great-circle distance in km between two points given in decimal degrees. */
    static String hexDigest(String algorithm, String s) {
        try {
            return java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }

    static double haversineKm(double lat1, double lon1, double lat2, double lon2) {
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double h = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
    }

    private static Object extreme(Object[] a, int sign) {
        Object best = null;
        for (Object o : a) {
            if (o == null || Values.isStructure(o)) {
                continue;
            }
            Object v = Values.num(o) != null ? Values.num(o) : o;
            if (best == null || sign * NaturalOrder.compare(v, best) > 0) {
                best = v;
            }
        }
        return best;
    }

    private static Object trim(Object[] a, boolean left, boolean right) {
        String s = Values.text(a[0]);
        if (s == null) {
            return null;
        }
        if (a.length == 1) {
            return left && right ? s.strip() : left ? s.stripLeading() : s.stripTrailing();
        }
        String set = Values.text(a[1]);
        if (set == null) {
            return null;
        }
        int from = 0;
        int to = s.length();
        while (left && from < to && set.indexOf(s.charAt(from)) >= 0) {
            from++;
        }
        while (right && to > from && set.indexOf(s.charAt(to - 1)) >= 0) {
            to--;
        }
        return s.substring(from, to);
    }

    /** Epoch ms of a timestamp, a number, or an ISO-8601 string. */
    static Long millis(Object v) {
        if (v instanceof Timestamp t) {
            return t.millis();
        }
        Number n = Values.num(v);
        if (n != null) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    return Instant.parse(s).toEpochMilli();
                } catch (DateTimeParseException e2) {
                    return null;
                }
            }
        }
        return null;
    }

    private static final Map<String, java.time.format.DateTimeFormatter> FORMATS = new ConcurrentHashMap<>();

    /** Epoch ms of {@code s} read with a java.time pattern in {@code zone} (when the text has no offset); or null. */
    static Long parseDate(String s, String pattern, String zone) {
        try {
            if (FORMATS.size() > 200) {
                FORMATS.clear();
            }
            java.time.format.DateTimeFormatter f = FORMATS.computeIfAbsent(pattern,
                    java.time.format.DateTimeFormatter::ofPattern);
            java.time.ZoneId z = java.time.ZoneId.of(zone);
            java.time.temporal.TemporalAccessor t = f.parseBest(s, java.time.ZonedDateTime::from,
                    java.time.OffsetDateTime::from, java.time.LocalDateTime::from, java.time.LocalDate::from);
            if (t instanceof java.time.ZonedDateTime zdt) {
                return zdt.toInstant().toEpochMilli();
            }
            if (t instanceof java.time.OffsetDateTime odt) {
                return odt.toInstant().toEpochMilli();
            }
            if (t instanceof java.time.LocalDateTime ldt) {
                return ldt.atZone(z).toInstant().toEpochMilli();
            }
            return ((java.time.LocalDate) t).atStartOfDay(z).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            return null; // unparsable text, bad pattern or unknown zone
        }
    }

    private static final Map<String, Regex> PATTERNS = new ConcurrentHashMap<>();
    private static final Regex INVALID = Regex.compile("invalid");

    /** A pattern computed per row is compiled once per distinct text; one RE2 refuses gives null. */
    private static Regex cachedPattern(String p) {
        if (PATTERNS.size() > 1000) {
            PATTERNS.clear();
        }
        Regex pattern = PATTERNS.computeIfAbsent(p, k -> {
            try {
                return Regex.compile(k);
            } catch (Regex.Refused e) {
                return INVALID;
            }
        });
        return pattern == INVALID ? null : pattern;
    }
}
