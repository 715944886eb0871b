package io.ekslookout.cli;

import io.ekslookout.query.QueryResult;
import io.ekslookout.query.ResultRow;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResultPrinterTest {
    private static ResultRow row(String... kv) {
        List<ResultRow.Field> fields = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            fields.add(new ResultRow.Field(kv[i], kv[i + 1]));
        }
        return new ResultRow(fields);
    }

    private static final QueryResult RESULT = new QueryResult(List.of("@timestamp", "user.username", "verb"), List.of(
            row("@timestamp", "2026-11-20 10:00:01.000", "user.username", "kubernetes-admin", "verb", "patch",
                    "@ptr", "p1"),
            row("@timestamp", "2026-11-20 10:00:00.000", "verb", "get", "@ptr", "p2"),
            row("@timestamp", "2026-11-20 09:59:59.000", "user.username", "eve, \"the\" admin\nx", "verb", "delete",
                    "@ptr", "p3")), false, 10, 3);

    private static String print(ResultPrinter.Format format, QueryResult result) {
        StringWriter sw = new StringWriter();
        new ResultPrinter(format).print(result, new PrintWriter(sw));
        return sw.toString();
    }

    @Test
    void tableIsAlignedWithEscapedControlCharacters() {
        assertThat(print(ResultPrinter.Format.TABLE, RESULT)).isEqualTo(
                "@timestamp              | user.username       | verb\n"
                        + "----------------------- | ------------------- | ------\n"
                        + "2026-11-20 10:00:01.000 | kubernetes-admin    | patch\n"
                        + "2026-11-20 10:00:00.000 |                     | get\n"
                        + "2026-11-20 09:59:59.000 | eve, \"the\" admin\\nx | delete\n");
    }

    @Test
    void csvQuotesAsRfc4180() {
        assertThat(print(ResultPrinter.Format.CSV, RESULT)).isEqualTo(
                "@timestamp,user.username,verb\r\n"
                        + "2026-11-20 10:00:01.000,kubernetes-admin,patch\r\n"
                        + "2026-11-20 10:00:00.000,,get\r\n"
                        + "2026-11-20 09:59:59.000,\"eve, \"\"the\"\" admin\nx\",delete\r\n");
    }

    @Test
    void jsonIsOneObjectPerRowInDisplayOrderWithoutAbsentFields() {
        assertThat(print(ResultPrinter.Format.JSON, RESULT)).isEqualTo(
                "{\"@timestamp\":\"2026-11-20 10:00:01.000\",\"user.username\":\"kubernetes-admin\",\"verb\":\"patch\"}\n"
                        + "{\"@timestamp\":\"2026-11-20 10:00:00.000\",\"verb\":\"get\"}\n"
                        + "{\"@timestamp\":\"2026-11-20 09:59:59.000\",\"user.username\":\"eve, \\\"the\\\" admin\\nx\","
                        + "\"verb\":\"delete\"}\n");
    }

    @Test
    void terminalEscapesFromLogsAreNeutralized() {
        QueryResult r = new QueryResult(List.of("m"), List.of(row("m", "a\u001b[2Jb\u202ec")), false, 1, 1);
        assertThat(print(ResultPrinter.Format.TABLE, r)).isEqualTo("m\n------------------\na\\u001b[2Jb\\u202ec\n");
    }

    @Test
    void aggregateColumnsAndEmptyResults() {
        QueryResult r = new QueryResult(List.of("responseStatus.code", "count"), List.of(), true, 0, 0);
        assertThat(print(ResultPrinter.Format.TABLE, r)).isEqualTo(
                "responseStatus.code | count\n------------------- | -----\n");
        assertThat(print(ResultPrinter.Format.CSV, r)).isEqualTo("responseStatus.code,count\r\n");
        assertThat(print(ResultPrinter.Format.JSON, r)).isEmpty();
    }

    @Test
    void formatNames() {
        assertThat(ResultPrinter.Format.parse("CSV")).isEqualTo(ResultPrinter.Format.CSV);
        assertThatThrownBy(() -> ResultPrinter.Format.parse("xml")).hasMessageContaining("table, csv or json");
    }
}
