package io.ekslookout.query;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
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

    /**
     * The functions defined so far, by lower-case name. Each is made on its first lookup ({@link #define}), not all
     * when the class loads: each is a lambda, and linking all ~100 of them cost 10–15 ms of a CLI start with the
     * AppCDS archive (27–37 ms without) for a query that calls one or two.
     */
    private static final Map<String, Spec> SPECS = new ConcurrentHashMap<>();

    /** The function {@code name} names, in any letter case; null for an unknown name. */
    static Spec lookup(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        Spec spec = SPECS.get(key);
        if (spec == null) {
            spec = define(key);
            if (spec != null) {
                SPECS.putIfAbsent(key, spec);
            }
        }
        return spec;
    }

    private static Spec def(String name, int min, int max, Fn fn) {
        return new Spec(name, min, max, false, fn);
    }

    private static Spec defPeriod(String name, int arity, Fn fn) {
        return new Spec(name, arity, arity, true, fn);
    }

    private interface Num1 {
        Object apply(Number n);
    }

    private interface Str1 {
        Object apply(String s);
    }

    private static Spec num1(String name, Num1 f) {
        return def(name, 1, 1, (c, r, a) -> {
            Number n = Values.num(a[0]);
            return n == null ? null : f.apply(n);
        });
    }

    private static Spec str1(String name, Str1 f) {
        return def(name, 1, 1, (c, r, a) -> {
            String s = Values.text(a[0]);
            return s == null ? null : f.apply(s);
        });
    }

    private static Object integral(double d) {
        return Double.isNaN(d) || Double.isInfinite(d) ? null : d == Math.rint(d) && Math.abs(d) < 9e18 ? (Object) (long) d : d;
    }

    /** The function {@code key} (lower case) names, made now; null for an unknown name. */
    private static Spec define(String key) {
        return switch (key) {
            // numeric
            case "abs" -> num1("abs", n -> n instanceof Long l ? (Object) Math.abs(l) : Math.abs(n.doubleValue()));
            case "ceil" -> num1("ceil", n -> n instanceof Long ? n : integral(Math.ceil(n.doubleValue())));
            case "floor" -> num1("floor", n -> n instanceof Long ? n : integral(Math.floor(n.doubleValue())));
            case "log" -> num1("log", n -> n.doubleValue() <= 0 ? null : integral(Math.log(n.doubleValue())));
            case "sqrt" -> num1("sqrt", n -> n.doubleValue() < 0 ? null : integral(Math.sqrt(n.doubleValue())));
            case "haversine" -> def("haversine", 4, 4, (c, r, a) -> {
                Number lat1 = Values.num(a[0]);
                Number lon1 = Values.num(a[1]);
                Number lat2 = Values.num(a[2]);
                Number lon2 = Values.num(a[3]);
                return lat1 == null || lon1 == null || lat2 == null || lon2 == null ? null
                        : integral(haversineKm(lat1.doubleValue(), lon1.doubleValue(), lat2.doubleValue(),
                        lon2.doubleValue()));
            });
            case "round" -> def("round", 1, 2, (c, r, a) -> {
                Number n = Values.num(a[0]);
                Number d = a.length > 1 ? Values.num(a[1]) : Long.valueOf(0);
                if (n == null || d == null) {
                    return null;
                }
                BigDecimal b = new BigDecimal(n.toString()).setScale(d.intValue(), RoundingMode.HALF_UP);
                return integral(b.doubleValue());
            });
            case "greatest" -> def("greatest", 1, -1, (c, r, a) -> extreme(a, 1));
            case "least" -> def("least", 1, -1, (c, r, a) -> extreme(a, -1));
            case "tonumber" -> def("toNumber", 1, 1, (c, r, a) -> Values.num(a[0]));
            case "todouble" -> def("toDouble", 1, 1, (c, r, a) -> Values.num(a[0]));
            case "toint" -> def("toInt", 1, 1, Functions::toLong);
            case "tolong" -> def("toLong", 1, 1, Functions::toLong);
            // general
            case "ispresent" -> def("ispresent", 1, 1, (c, r, a) -> Values.bool(a[0] != null));
            case "coalesce" -> def("coalesce", 1, -1, (c, r, a) -> {
                for (Object o : a) {
                    if (o != null) {
                        return o;
                    }
                }
                return null;
            });
            case "if" -> def("if", 3, 3, (c, r, a) -> Values.truthy(a[0]) ? a[1] : a[2]);
            case "case" -> def("case", 2, 21, (c, r, a) -> {
                int i = 0;
                for (; i + 1 < a.length; i += 2) {
                    if (Values.truthy(a[i])) {
                        return a[i + 1];
                    }
                }
                return i < a.length ? a[i] : null; // an odd argument count ends with the default
            });
            case "isnumeric" -> def("isNumeric", 1, 1, (c, r, a) -> Values.bool(a[0] != null && Values.num(a[0]) != null
                    && !(a[0] instanceof Timestamp)));
            case "messagesize" -> def("messageSize", 1, 1, (c, r, a) -> {
                String s = Values.text(a[0]);
                return s == null ? null : (Object) (long) s.getBytes(StandardCharsets.UTF_8).length;
            });
            // strings
            case "isempty" -> def("isempty", 1, 1,
                    (c, r, a) -> Values.bool(a[0] == null || "".equals(Values.text(a[0]))));
            case "isblank" -> def("isblank", 1, 1, (c, r, a) -> {
                String s = Values.text(a[0]);
                return Values.bool(a[0] == null || s != null && s.isBlank());
            });
            case "concat" -> def("concat", 1, -1, (c, r, a) -> {
                StringBuilder sb = new StringBuilder();
                for (Object o : a) {
                    String s = Values.text(o);
                    if (s != null) {
                        sb.append(s);
                    }
                }
                return sb.toString();
            });
            case "ltrim" -> def("ltrim", 1, 2, (c, r, a) -> trim(a, true, false));
            case "rtrim" -> def("rtrim", 1, 2, (c, r, a) -> trim(a, false, true));
            case "trim" -> def("trim", 1, 2, (c, r, a) -> trim(a, true, true));
            case "strlen" -> str1("strlen", s -> (long) s.codePointCount(0, s.length()));
            case "toupper" -> str1("toupper", s -> s.toUpperCase(Locale.ROOT));
            case "tolower" -> str1("tolower", s -> s.toLowerCase(Locale.ROOT));
            case "substr" -> def("substr", 2, 3, (c, r, a) -> {
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
            case "replace" -> def("replace", 3, 3, (c, r, a) -> {
                String s = Values.text(a[0]);
                String find = Values.text(a[1]);
                String with = Values.text(a[2]);
                if (s == null || find == null || with == null) {
                    return null;
                }
                return find.isEmpty() ? s : s.replace(find, with);
            });
            case "strcontains" -> def("strcontains", 2, 3, (c, r, a) -> {
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
            case "startswith" -> def("startsWith", 2, 2, (c, r, a) -> {
                String s = Values.text(a[0]);
                String p = Values.text(a[1]);
                return s == null || p == null ? null : Values.bool(s.startsWith(p));
            });
            case "endswith" -> def("endsWith", 2, 2, (c, r, a) -> {
                String s = Values.text(a[0]);
                String p = Values.text(a[1]);
                return s == null || p == null ? null : Values.bool(s.endsWith(p));
            });
            case "regexreplace" -> def("regexReplace", 3, 3, (c, r, a) -> {
                String s = Values.text(a[0]);
                String p = Values.text(a[1]);
                String with = Values.text(a[2]);
                if (s == null || p == null || with == null) {
                    return null;
                }
                Regex pattern = cachedPattern(p);
                return pattern == null ? null : pattern.replaceAll(s, with);
            });
            case "split" -> def("split", 2, 2, (c, r, a) -> {
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
            case "bin" -> defPeriod("bin", 1, (c, r, a) -> {
                Object ts = r.get("@timestamp");
                Number n = Values.num(ts);
                return n == null ? null : new Timestamp(((Period) a[0]).floor(n.longValue()));
            });
            case "datefloor" -> defPeriod("datefloor", 2, (c, r, a) -> {
                Long ms = millis(a[0]);
                return ms == null ? null : new Timestamp(((Period) a[1]).floor(ms));
            });
            case "dateceil" -> defPeriod("dateceil", 2, (c, r, a) -> {
                Long ms = millis(a[0]);
                return ms == null ? null : new Timestamp(((Period) a[1]).ceil(ms));
            });
            case "frommillis" -> def("fromMillis", 1, 1, (c, r, a) -> {
                Number n = Values.num(a[0]);
                return n == null ? null : new Timestamp(n.longValue());
            });
            case "tomillis" -> def("toMillis", 1, 1, (c, r, a) -> millis(a[0]));
            case "parsedate" -> def("parseDate", 2, 3, (c, r, a) -> {
                String s = Values.text(a[0]);
                String pattern = Values.text(a[1]);
                String zone = a.length > 2 ? Values.text(a[2]) : "UTC";
                return s == null || pattern == null || zone == null ? null : parseDate(s, pattern, zone);
            });
            case "now" -> def("now", 0, 0, (c, r, a) -> r.env.ctx.now().getEpochSecond());
            case "querystarttime" -> def("queryStartTime", 0, 0, (c, r, a) -> r.env.ctx.startMillis());
            case "queryendtime" -> def("queryEndTime", 0, 0, (c, r, a) -> r.env.ctx.endMillis());
            case "querytimerange" -> def("queryTimeRange", 0, 0, (c, r, a) -> {
                try {
                    return Math.subtractExact(r.env.ctx.endMillis(), r.env.ctx.startMillis());
                } catch (ArithmeticException unbounded) {
                    return null; // no window (local runs without --since/--until)
                }
            });
            case "formatdate" -> def("formatDate", 2, 3, Functions::formatDate);
            case "strftime" -> def("strftime", 2, 3, Functions::formatDate);
            // JSON
            case "jsonparse" -> def("jsonParse", 1, 1, (c, r, a) -> a[0] instanceof Map || a[0] instanceof List ? a[0]
                    : Json.parseStructure(Values.text(a[0])));
            case "jsonstringify" -> def("jsonStringify", 1, 1,
                    (c, r, a) -> Values.isStructure(a[0]) ? Json.stringify(a[0]) : null);
            // IP addresses
            case "isvalidip" -> def("isValidIp", 1, 1, (c, r, a) -> Values.bool(Ip.parse(Values.text(a[0])) != null));
            case "isvalidipv4" -> def("isValidIpV4", 1, 1,
                    (c, r, a) -> Values.bool(Ip.parseV4(Values.text(a[0])) != null));
            case "isvalidipv6" -> def("isValidIpV6", 1, 1,
                    (c, r, a) -> Values.bool(Ip.parseV6(Values.text(a[0])) != null));
            case "isipinsubnet" -> def("isIpInSubnet", 2, 2,
                    (c, r, a) -> Values.bool(Ip.inSubnet(Values.text(a[0]), Values.text(a[1]), 0)));
            case "isipv4insubnet" -> def("isIpv4InSubnet", 2, 2,
                    (c, r, a) -> Values.bool(Ip.inSubnet(Values.text(a[0]), Values.text(a[1]), 4)));
            case "isipv6insubnet" -> def("isIpv6InSubnet", 2, 2,
                    (c, r, a) -> Values.bool(Ip.inSubnet(Values.text(a[0]), Values.text(a[1]), 6)));
            case "isprivateip" -> def("isPrivateIP", 1, 1, (c, r, a) -> Values.bool(Ip.isPrivate(Values.text(a[0]))));
            case "isreservedip" -> def("isReservedIP", 1, 1,
                    (c, r, a) -> Values.bool(Ip.isReserved(Values.text(a[0]))));
            case "ispublicip" -> def("isPublicIP", 1, 1, (c, r, a) -> Values.bool(Ip.isPublic(Values.text(a[0]))));
            case "ipv4tonumber" -> def("ipv4ToNumber", 1, 1, (c, r, a) -> Ip.v4ToNumber(Values.text(a[0])));
            // JSON arrays held in strings
            case "jsonarraysize" -> def("jsonArraySize", 1, 1, (c, r, a) -> {
                Object v = a[0] instanceof List ? a[0] : Json.parseStructure(Values.text(a[0]));
                return v instanceof List<?> l ? (Object) (long) l.size() : null;
            });
            case "jsonarraycontains" -> def("jsonArrayContains", 2, 2, (c, r, a) -> {
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
            case "urlencode" -> str1("urlencode", s -> java.net.URLEncoder.encode(s, StandardCharsets.UTF_8));
            case "urldecode" -> str1("urldecode", s -> {
                try {
                    return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            });
            case "base64encode" -> str1("base64encode",
                    s -> java.util.Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
            case "base64decode" -> str1("base64decode", s -> {
                try {
                    return new String(java.util.Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            });
            case "hextodec" -> str1("hexToDec", s -> {
                String h = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
                try {
                    return h.isEmpty() ? null : (Object) Long.parseLong(h, 16);
                } catch (NumberFormatException e) {
                    return null;
                }
            });
            // hashing (AWS "Hashing functions" page): lowercase hex of the UTF-8 bytes' digest
            case "md5" -> str1("md5", s -> hexDigest("MD5", s));
            case "sha256" -> str1("sha256", s -> hexDigest("SHA-256", s));
            case "hextoascii" -> str1("hexToAscii", s -> {
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
            case "dectohex" -> num1("decToHex", n -> {
                long v = n.longValue();
                return v < 0 ? "-0x" + Long.toHexString(-v) : "0x" + Long.toHexString(v);
            });
            default -> null;
        };
    }

    private static Object toLong(Expr.Call c, Rec r, Object[] a) {
        Number x = Values.num(a[0]);
        return x == null ? null : (Object) x.longValue();
    }

    private static Object formatDate(Expr.Call c, Rec r, Object[] a) {
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
