package io.ekslookout.query;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Datetime bucketing, IP functions and the scalar function library, evaluated through queries. */
class FunctionsTest {
    private static final long T = Instant.parse("2024-03-13T10:17:42.123Z").toEpochMilli(); // a Wednesday

    private static String eval(String expr) {
        return eval(expr, "{}");
    }

    private static String eval(String expr, String message) {
        Query.Execution x = Query.parse("fields " + expr + " as v").start(
                new QueryContext(Long.MIN_VALUE, Long.MAX_VALUE, Instant.parse("2024-03-01T12:00:00Z"), "1", "g"));
        x.accept(new LogEvent(T, T + 5, message, "s", "g", "e"));
        return x.finish().rows().get(0).get("v");
    }

    @Test
    void binAndDatefloorBucketsInUtc() {
        assertThat(eval("bin(5m)")).isEqualTo("2024-03-13 10:15:00.000");
        assertThat(eval("bin(1h)")).isEqualTo("2024-03-13 10:00:00.000");
        assertThat(eval("bin(30s)")).isEqualTo("2024-03-13 10:17:30.000");
        assertThat(eval("bin(100ms)")).isEqualTo("2024-03-13 10:17:42.100");
        assertThat(eval("bin(1d)")).isEqualTo("2024-03-13 00:00:00.000");
        assertThat(eval("bin(1w)")).as("weeks start Monday").isEqualTo("2024-03-11 00:00:00.000");
        assertThat(eval("bin(1mo)")).isEqualTo("2024-03-01 00:00:00.000");
        assertThat(eval("bin(1q)")).isEqualTo("2024-01-01 00:00:00.000");
        assertThat(eval("bin(1y)")).isEqualTo("2024-01-01 00:00:00.000");
        assertThat(eval("bin(300s)")).as("seconds capped at 60").isEqualTo("2024-03-13 10:17:00.000");
        assertThat(eval("bin(90m)")).as("minutes capped at 60").isEqualTo("2024-03-13 10:00:00.000");
        assertThat(eval("BIN(15MIN)")).isEqualTo("2024-03-13 10:15:00.000");
        assertThat(eval("datefloor(@timestamp, 1h)")).isEqualTo("2024-03-13 10:00:00.000");
        assertThat(eval("dateceil(@timestamp, 1h)")).isEqualTo("2024-03-13 11:00:00.000");
        assertThat(eval("dateceil(datefloor(@timestamp, 1h), 1h)")).as("on a boundary: unchanged")
                .isEqualTo("2024-03-13 10:00:00.000");
        assertThat(eval("dateceil(@timestamp, 1mo)")).isEqualTo("2024-04-01 00:00:00.000");
        assertThat(eval("toMillis(@timestamp)")).isEqualTo(Long.toString(T));
        assertThat(eval("toMillis(\"2022-01-14T13:18:31.000-08:00\")")).isEqualTo("1642195111000");
        assertThat(eval("fromMillis(0)")).isEqualTo("1970-01-01 00:00:00.000");
        assertThat(eval("parseDate(\"2024-03-01 10:00:00\", \"yyyy-MM-dd HH:mm:ss\")")).isEqualTo("1709287200000");
        assertThat(eval("parseDate(\"2024-03-01 10:00\", \"yyyy-MM-dd HH:mm\", \"Europe/Rome\")"))
                .isEqualTo("1709283600000");
        assertThat(eval("parseDate(\"01/03/2024\", \"dd/MM/yyyy\")")).isEqualTo("1709251200000");
        assertThat(eval("parseDate(\"garbage\", \"yyyy\")")).isNull();
        assertThat(eval("parseDate(\"2024\", \"not a [pattern\")")).isNull();
        assertThat(eval("now()")).isEqualTo("1709294400");
        assertThat(eval("@ingestionTime")).isEqualTo(Long.toString(T + 5));
        assertThat(eval("@log")).isEqualTo("1:g");
    }

    @Test
    void ipFunctionsParseLiteralsOnly() {
        assertThat(eval("isValidIp(\"10.0.0.1\")")).isEqualTo("1");
        assertThat(eval("isValidIpV4(\"010.0.0.1\")")).as("leading zeros rejected").isEqualTo("0");
        assertThat(eval("isValidIpV4(\"1.2.3\")")).isEqualTo("0");
        assertThat(eval("isValidIpV4(\"256.1.1.1\")")).isEqualTo("0");
        assertThat(eval("isValidIp(\"localhost\")")).as("never DNS").isEqualTo("0");
        assertThat(eval("isValidIp(\"example.com\")")).isEqualTo("0");
        assertThat(eval("isValidIpV6(\"::\")")).isEqualTo("1");
        assertThat(eval("isValidIpV6(\"::1\")")).isEqualTo("1");
        assertThat(eval("isValidIpV6(\"1:2:3:4:5:6:7:8\")")).isEqualTo("1");
        assertThat(eval("isValidIpV6(\"1:2:3:4:5:6:7:8:9\")")).isEqualTo("0");
        assertThat(eval("isValidIpV6(\"1::2::3\")")).isEqualTo("0");
        assertThat(eval("isValidIpV6(\"::ffff:192.0.2.1\")")).isEqualTo("1");
        assertThat(eval("isValidIpV6(\"fe80::1%eth0\")")).as("zone ids rejected").isEqualTo("0");
        assertThat(eval("isValidIpV4(\"::1\")")).isEqualTo("0");
        assertThat(eval("isIpInSubnet(\"10.1.2.3\", \"10.0.0.0/8\")")).isEqualTo("1");
        assertThat(eval("isIpInSubnet(\"11.1.2.3\", \"10.0.0.0/8\")")).isEqualTo("0");
        assertThat(eval("isIpInSubnet(\"10.1.2.3\", \"10.1.2.99/24\")")).as("host bits masked").isEqualTo("1");
        assertThat(eval("isIpInSubnet(\"10.1.2.3\", \"0.0.0.0/0\")")).isEqualTo("1");
        assertThat(eval("isIpInSubnet(\"10.1.2.3\", \"10.1.2.3\")")).isEqualTo("1");
        assertThat(eval("isIpInSubnet(\"10.1.2.3\", \"10.0.0.0/33\")")).isEqualTo("0");
        assertThat(eval("isIpv4InSubnet(\"2001:db8::1\", \"2001:db8::/32\")")).isEqualTo("0");
        assertThat(eval("isIpv6InSubnet(\"2001:db8::1\", \"2001:db8::/32\")")).isEqualTo("1");
        assertThat(eval("isIpv6InSubnet(\"2001:db9::1\", \"2001:db8::/32\")")).isEqualTo("0");
        assertThat(eval("isIpInSubnet(\"::ffff:10.0.0.1\", \"10.0.0.0/8\")")).as("mapped addresses are IPv6")
                .isEqualTo("0");
        assertThat(eval("isIpInSubnet(sourceIPs.0, \"12.34.0.0/16\")", "{\"sourceIPs\":[\"12.34.56.78\"]}"))
                .isEqualTo("1");
    }

    @Test
    void addressClassesEncodingsAndJsonArrays() {
        assertThat(eval("isPrivateIP(\"10.1.2.3\")")).isEqualTo("1");
        assertThat(eval("isPrivateIP(\"172.31.255.255\")")).isEqualTo("1");
        assertThat(eval("isPrivateIP(\"172.32.0.1\")")).isEqualTo("0");
        assertThat(eval("isPrivateIP(\"fd00::1\")")).isEqualTo("1");
        assertThat(eval("isReservedIP(\"127.0.0.1\")")).isEqualTo("1");
        assertThat(eval("isReservedIP(\"169.254.169.254\")")).isEqualTo("1");
        assertThat(eval("isReservedIP(\"::1\")")).isEqualTo("1");
        assertThat(eval("isPublicIP(\"12.34.56.78\")")).isEqualTo("1");
        assertThat(eval("isPublicIP(\"192.168.1.1\")")).isEqualTo("0");
        assertThat(eval("isPublicIP(\"not-an-ip\")")).isEqualTo("0");
        assertThat(eval("ipv4ToNumber(\"1.0.0.255\")")).isEqualTo("16777471");
        assertThat(eval("ipv4ToNumber(\"255.255.255.255\")")).isEqualTo("4294967295");
        assertThat(eval("jsonArraySize(\"[1,2,3]\")")).isEqualTo("3");
        assertThat(eval("jsonArraySize(\"{}\")")).isNull();
        assertThat(eval("jsonArrayContains(\"[\\\"a\\\",2]\", \"a\")")).isEqualTo("1");
        assertThat(eval("jsonArrayContains(\"[\\\"a\\\",2]\", 2)")).isEqualTo("1");
        assertThat(eval("jsonArrayContains(\"[\\\"a\\\",2]\", \"A\")")).isEqualTo("0");
        assertThat(eval("jsonArrayContains(\"nope\", \"a\")")).isEqualTo("0");
        assertThat(eval("urldecode(\"a%3Db%2Cc\")")).isEqualTo("a=b,c");
        assertThat(eval("urlencode(\"a=b c\")")).isEqualTo("a%3Db+c");
        assertThat(eval("base64decode(base64encode(\"héllo\"))")).isEqualTo("héllo");
        assertThat(eval("hexToDec(\"0xff\")")).isEqualTo("255");
        assertThat(eval("decToHex(255)")).isEqualTo("0xff");
        assertThat(eval("decToHex(-255)")).isEqualTo("-0xff");
        assertThat(eval("decToHex(255.9)")).isEqualTo("0xff");
    }

    @Test
    void stringAndNumericFunctions() {
        assertThat(eval("ltrim(\"xyZxyfooxyZ\", \"xyZ\")")).isEqualTo("fooxyZ");
        assertThat(eval("rtrim(\"xyZfooxyxyZ\", \"xyZ\")")).isEqualTo("xyZfoo");
        assertThat(eval("trim(\"xyZxyfooxyxyZ\", \"xyZ\")")).isEqualTo("foo");
        assertThat(eval("trim(\"  a b  \")")).isEqualTo("a b");
        assertThat(eval("isempty(missing)")).isEqualTo("1");
        assertThat(eval("isblank(\"   \")")).isEqualTo("1");
        assertThat(eval("isblank(\"x\")")).isEqualTo("0");
        assertThat(eval("strcontains(\"Hello\", \"hello\")")).isEqualTo("0");
        assertThat(eval("strcontains(\"Hello\", \"hello\", true)")).isEqualTo("1");
        assertThat(eval("strcontains(missing, \"x\")")).isEqualTo("0");
        assertThat(eval("concat(\"a\", missing, 1)")).isEqualTo("a1");
        assertThat(eval("substr(\"abc\", 5)")).isEqualTo("");
        assertThat(eval("substr(\"abc\", 1, 99)")).isEqualTo("bc");
        assertThat(eval("replace(\"a.b.c\", \".\", \"-\")")).isEqualTo("a-b-c");
        assertThat(eval("regexReplace(\"a1b22\", \"\\\\d+\", \"#\")")).isEqualTo("a#b#");
        assertThat(eval("7 / 2")).isEqualTo("3.5");
        assertThat(eval("1 / 0")).as("division by zero is null").isNull();
        assertThat(eval("-2 ^ 2")).as("^ binds tighter than unary minus").isEqualTo("-4");
        assertThat(eval("2 ^ 3 ^ 2")).as("^ is right-associative").isEqualTo("512");
        assertThat(eval("1 + 2 * 3")).isEqualTo("7");
        assertThat(eval("0.1 + 0.2")).isEqualTo("0.30000000000000004");
        assertThat(eval("round(2.5)")).isEqualTo("3");
        assertThat(eval("round(3.14159, 2)")).isEqualTo("3.14");
        assertThat(eval("abs(-3)")).isEqualTo("3");
        assertThat(eval("\"10\" + 5")).as("numeric strings are coerced").isEqualTo("15");
        assertThat(eval("\"abc\" + 5")).isNull();
        assertThat(eval("if(1 = 1, \"y\", \"n\")")).isEqualTo("y");
        assertThat(eval("case(1 = 2, \"a\", 2 = 2, \"b\", \"c\")")).isEqualTo("b");
        assertThat(eval("case(1 = 2, \"a\", \"c\")")).isEqualTo("c");
        assertThat(eval("case(1 = 2, \"a\")")).isNull();
        assertThat(eval("jsonStringify(jsonParse(\"{\\\"a\\\":[1,true,\\\"x\\\"]}\"))")).isEqualTo("{\"a\":[1,1,\"x\"]}");
        assertThat(eval("jsonParse(\"{\\\"a\\\":{\\\"b\\\":7}}\").a.b")).isEqualTo("7");
        assertThat(eval("jsonParse(\"[5,6]\")[1]")).isEqualTo("6");
    }

    @Test
    void likeWithLiteralAndRealRegexes() {
        assertThat(eval("@logStream like /^s/", "{}")).isEqualTo("1");
        assertThat(eval("\"kube-apiserver-audit-1\" like /^kube-apiserver-audit/")).isEqualTo("1");
        assertThat(eval("\"x-kube-apiserver-audit\" like /^kube-apiserver-audit/")).isEqualTo("0");
        assertThat(eval("\"x-kube-apiserver-audit\" like /kube-apiserver-audit/")).isEqualTo("1");
        assertThat(eval("\"/api/v1/x\" like /\\/api\\/v1/")).isEqualTo("1");
        assertThat(eval("\"axb\" like /a.b/")).as("a dot is a regex wildcard").isEqualTo("1");
        assertThat(eval("\"a1b\" like /a\\db/")).isEqualTo("1");
        assertThat(eval("\"adb\" like /a\\db/")).isEqualTo("0");
        assertThat(eval("\"ADMIN\" like /(?i)admin/")).isEqualTo("1");
        assertThat(eval("\"ADMIN\" not like /admin/")).isEqualTo("1");
        assertThat(eval("\"a*b\" like \"a*b\"")).isEqualTo("1");
        assertThat(eval("\"axxb\" like \"a*b\"")).isEqualTo("0");
        assertThat(eval("200 like /2\\d\\d/")).as("numbers match by their text").isEqualTo("1");
        assertThat(eval("missing like /x/")).isNull();
        assertThat(eval("missing not like /x/")).isNull();
    }

    @Test
    void catastrophicBacktrackingIsALocatedEventErrorAndTheQueryGoesOn() {
        StringBuilder evil = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            evil.append(i).append(',');
        }
        Query.Execution x = Query.parse("fields @message\n| filter @message like /^(.*?,){11}P/")
                .start(QueryContext.unbounded(Instant.EPOCH));
        x.accept(new LogEvent(1, 1, evil.toString(), "s", "g", "e"));
        QueryResult r = x.finish();
        org.assertj.core.api.Assertions.assertThat(r.eventErrors()).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThat(r.firstEventError())
                .contains("2:19: the regex /^(.*?,){11}P/ backtracks too much");
        Query.Execution ok = Query.parse("filter @message like /.*zzz.*/ | parse @message \"* [*] *\" as a, b, c")
                .start(QueryContext.unbounded(Instant.EPOCH));
        ok.accept(new LogEvent(1, 1, "x".repeat(20_000) + "zzz", "s", "g", "e"));
        org.assertj.core.api.Assertions.assertThat(ok.finish().rows()).hasSize(1);
    }

    @Test
    void comparisonsWithMissingFieldsAreNeitherTrueNorFalse() {
        List<String> rows = NaturalOrderTest.run(
                "filter f != \"x\" | fields id", List.of(
                        new LogEvent(1, 0, "{\"id\":\"a\",\"f\":\"x\"}", "s", "g", "1"),
                        new LogEvent(2, 0, "{\"id\":\"b\",\"f\":\"y\"}", "s", "g", "2"),
                        new LogEvent(3, 0, "{\"id\":\"c\"}", "s", "g", "3")))
                .rows().stream().map(r -> r.get("id")).toList();
        assertThat(rows).containsExactly("b");
        List<String> negated = NaturalOrderTest.run(
                "filter not (f = \"x\") | fields id", List.of(
                        new LogEvent(1, 0, "{\"id\":\"a\",\"f\":\"x\"}", "s", "g", "1"),
                        new LogEvent(3, 0, "{\"id\":\"c\"}", "s", "g", "3")))
                .rows().stream().map(r -> r.get("id")).toList();
        assertThat(negated).as("not(null) is null: the record is dropped").isEmpty();
        List<String> idiom = NaturalOrderTest.run(
                "filter not ispresent(f) or f != \"x\" | fields id", List.of(
                        new LogEvent(1, 0, "{\"id\":\"a\",\"f\":\"x\"}", "s", "g", "1"),
                        new LogEvent(3, 0, "{\"id\":\"c\"}", "s", "g", "3")))
                .rows().stream().map(r -> r.get("id")).toList();
        assertThat(idiom).containsExactly("c");
    }

    @Test
    void formatDateAndStrftimeFormatLikeCStrftime() {
        assertThat(eval("formatDate(@timestamp, \"%Y-%m-%d %H:%M:%S.%L\")")).isEqualTo("2024-03-13 10:17:42.123");
        assertThat(eval("strftime(@timestamp, \"%a %A %d %b %B %Y %I:%M %p %j %u %w %y %C [%e] %z %s %f %%\")"))
                .isEqualTo("Wed Wednesday 13 Mar March 2024 10:17 AM 073 3 3 24 20 [13] +0000 1710325062 123000 %");
        assertThat(eval("formatDate(@timestamp, \"%F %T\", \"+05:30\")")).isEqualTo("2024-03-13 15:47:42");
        assertThat(eval("formatDate(@timestamp, \"%H:%M %z\", \"America/Los_Angeles\")"))
                .as("PDT starts 2024-03-10").isEqualTo("03:17 -0700");
        assertThat(eval("formatDate(1710325062123, \"%D %R\")")).as("epoch ms").isEqualTo("03/13/24 10:17");
        assertThat(eval("formatDate(\"2024-03-13T10:17:42.123-08:00\", \"%F %T\")")).as("ISO-8601 text")
                .isEqualTo("2024-03-13 18:17:42");
        assertThat(eval("formatDate(t, \"%Y\")", "{\"t\":\"1710325062123\"}")).isEqualTo("2024");
        assertThat(eval("formatDate(@timestamp, \"%Q %\")")).as("unknown conversions stay as written")
                .isEqualTo("%Q %");
        assertThat(eval("formatDate(@timestamp, \"%Y\", \"Nowhere/City\")")).as("unknown zone").isNull();
        assertThat(eval("formatDate(missing, \"%Y\")")).isNull();
        assertThat(eval("formatDate(\"not a date\", \"%Y\")")).isNull();
        assertThat(eval("formatDate(@timestamp, missing)")).isNull();
    }

    @Test
    void hexToAsciiDecodesPairsOfHexDigits() {
        assertThat(eval("hexToAscii(\"48656c6c6f\")")).isEqualTo("Hello");
        assertThat(eval("hexToAscii(\"0x4869\")")).isEqualTo("Hi");
        assertThat(eval("hexToAscii(\"4A4b\")")).as("either case").isEqualTo("JK");
        assertThat(eval("hexToAscii(\"486\")")).as("odd length").isNull();
        assertThat(eval("hexToAscii(\"zz\")")).isNull();
        assertThat(eval("hexToAscii(\"0x\")")).isNull();
        assertThat(eval("hexToAscii(missing)")).isNull();
        assertThat(eval("hexToAscii(decToHex(hexToDec(\"0x41\")))")).isEqualTo("A");
    }

    @Test
    void haversineGivesGreatCircleKilometres() {
        assertThat(Double.parseDouble(eval("haversine(51.5007, 0.1246, 40.6892, 74.0445)")))
                .isCloseTo(5574.840456848555, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Double.parseDouble(eval("haversine(48.8566, 2.3522, 41.9028, 12.4964)")))
                .isCloseTo(1105.2801487141146, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Double.parseDouble(eval("haversine(0, 0, 0, 180)"))).as("half the equator")
                .isCloseTo(Math.PI * 6371.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(eval("haversine(10, 20, 10, 20)")).isEqualTo("0");
        assertThat(eval("haversine(lat, 0, 0, 0)", "{\"lat\":\"0\"}")).as("numeric strings").isEqualTo("0");
        assertThat(eval("haversine(missing, 0, 0, 0)")).isNull();
        assertThat(eval("haversine(\"north\", 0, 0, 0)")).isNull();
    }

    @Test
    void queryTimeRangeIsTheWindowLengthInMillis() {
        long start = T - 3_600_000;
        Query.Execution x = Query.parse("fields queryTimeRange() as r, queryStartTime() as s, queryEndTime() as e")
                .start(new QueryContext(start, T + 1, Instant.parse("2024-03-13T10:20:00Z"), "1", "g"));
        x.accept(new LogEvent(T, T, "{}", "s", "g", "e"));
        ResultRow row = x.finish().rows().get(0);
        assertThat(row.get("r")).isEqualTo("3600001");
        assertThat(Long.parseLong(row.get("e")) - Long.parseLong(row.get("s"))).isEqualTo(3_600_001L);
        assertThat(eval("queryTimeRange()")).as("an unbounded local run has no window").isNull();
    }

    @Test
    void md5AndSha256AreLowercaseHexOfTheUtf8Bytes() {
        assertThat(eval("md5(\"\")")).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(eval("md5(\"kubernetes-admin\")")).isEqualTo("e16c40557a88702ed3185af342a7429e");
        assertThat(eval("MD5(\"abc\")")).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
        assertThat(eval("sha256(\"abc\")"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(eval("sha256(u)", "{\"u\":\"caf\u00e9\"}"))
                .as("UTF-8 bytes").isEqualTo("850f7dc43910ff890f8879c0ed26fe697c93a067ad93a7d50f466a7028a9bf4e");
        assertThat(eval("sha256(n)", "{\"n\":42}")).as("numbers hash their text")
                .isEqualTo("73475cb40a568e8da8a045ced110137e159f890ac4da883b6b17dc651b3a8049");
        assertThat(eval("md5(missing)")).isNull();
        assertThat(eval("sha256(jsonParse(\"[1]\"))")).as("structures are not strings").isNull();
    }
}
