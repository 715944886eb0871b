package io.ekslookout.query;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The function table the parser checks calls against: every function's name, arity and period argument, found in
 * any letter case (the table is built on first use of each name, {@link Functions#lookup}); anything else unknown.
 */
class FunctionTableTest {
    /** name, min arity, max arity (-1: any), whether the last argument is a time period literal. */
    private static final List<String> TABLE = List.of(
            "abs 1 1 -",
            "ceil 1 1 -",
            "floor 1 1 -",
            "log 1 1 -",
            "sqrt 1 1 -",
            "haversine 4 4 -",
            "round 1 2 -",
            "greatest 1 -1 -",
            "least 1 -1 -",
            "toNumber 1 1 -",
            "toDouble 1 1 -",
            "toInt 1 1 -",
            "toLong 1 1 -",
            "ispresent 1 1 -",
            "coalesce 1 -1 -",
            "if 3 3 -",
            "case 2 21 -",
            "isNumeric 1 1 -",
            "messageSize 1 1 -",
            "isempty 1 1 -",
            "isblank 1 1 -",
            "concat 1 -1 -",
            "ltrim 1 2 -",
            "rtrim 1 2 -",
            "trim 1 2 -",
            "strlen 1 1 -",
            "toupper 1 1 -",
            "tolower 1 1 -",
            "substr 2 3 -",
            "replace 3 3 -",
            "strcontains 2 3 -",
            "startsWith 2 2 -",
            "endsWith 2 2 -",
            "regexReplace 3 3 -",
            "split 2 2 -",
            "bin 1 1 period",
            "datefloor 2 2 period",
            "dateceil 2 2 period",
            "fromMillis 1 1 -",
            "toMillis 1 1 -",
            "parseDate 2 3 -",
            "now 0 0 -",
            "queryStartTime 0 0 -",
            "queryEndTime 0 0 -",
            "queryTimeRange 0 0 -",
            "formatDate 2 3 -",
            "strftime 2 3 -",
            "jsonParse 1 1 -",
            "jsonStringify 1 1 -",
            "isValidIp 1 1 -",
            "isValidIpV4 1 1 -",
            "isValidIpV6 1 1 -",
            "isIpInSubnet 2 2 -",
            "isIpv4InSubnet 2 2 -",
            "isIpv6InSubnet 2 2 -",
            "isPrivateIP 1 1 -",
            "isReservedIP 1 1 -",
            "isPublicIP 1 1 -",
            "ipv4ToNumber 1 1 -",
            "jsonArraySize 1 1 -",
            "jsonArrayContains 2 2 -",
            "urlencode 1 1 -",
            "urldecode 1 1 -",
            "base64encode 1 1 -",
            "base64decode 1 1 -",
            "hexToDec 1 1 -",
            "md5 1 1 -",
            "sha256 1 1 -",
            "hexToAscii 1 1 -",
            "decToHex 1 1 -");

    @Test
    void everyFunctionIsFoundInAnyCaseWithItsArity() {
        for (String row : TABLE) {
            String[] f = row.split(" ");
            for (String name : List.of(f[0], f[0].toLowerCase(Locale.ROOT), f[0].toUpperCase(Locale.ROOT))) {
                Functions.Spec spec = Functions.lookup(name);
                assertThat(spec).as(name).isNotNull();
                assertThat(spec.name()).as(name).isEqualTo(f[0]);
                assertThat(spec.min()).as(name).isEqualTo(Integer.parseInt(f[1]));
                assertThat(spec.max()).as(name).isEqualTo(Integer.parseInt(f[2]));
                assertThat(spec.periodArgLast()).as(name).isEqualTo(f[3].equals("period"));
                assertThat(spec.fn()).as(name).isNotNull();
            }
        }
        assertThat(TABLE).hasSize(70);
    }

    @Test
    void anythingElseIsUnknown() {
        for (String name : List.of("", "nope", "abs_", "to_number", "count", "sum", "stats", "ABSX", "bin5m")) {
            assertThat(Functions.lookup(name)).as(name).isNull();
        }
    }
}
