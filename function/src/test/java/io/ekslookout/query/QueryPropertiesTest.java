package io.ekslookout.query;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The properties callers read from a parsed query instead of matching its text: {@link Query#aggregate()} (a stats
 * command: rows are groups) and {@link Query#cutsRows()} (a command returns fewer rows than it matched on purpose).
 * One row per command, and the near misses a text regex got wrong (the word inside a string, a regex, a field name).
 */
class QueryPropertiesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', textBlock = """
            fields a                                            ; false ; false
            display a                                           ; false ; false
            filter a = 1                                        ; false ; false
            filter a = 1 | where b = 2                          ; false ; false
            parse @message "x=*" as x                           ; false ; false
            sort @timestamp desc                                ; false ; false
            unnest a into b                                     ; false ; false
            filterIndex a = "1"                                 ; false ; false
            stats count(*) by a                                 ; true  ; false
            filter a = 1 | stats count(*) as n by b | sort n    ; true  ; false
            STATS count(*)                                      ; true  ; false
            limit 5                                             ; false ; true
            fields a | limit 5                                  ; false ; true
            fields a | head 5                                   ; false ; true
            fields a | dedup a                                  ; false ; true
            stats count(*) as n by a | limit 3                  ; true  ; true
            fields stats_value | filter x like /stats /         ; false ; false
            filter msg = "a | limit 5"                          ; false ; false
            filter msg like /\\| dedup x/                       ; false ; false
            fields limit_count, dedup_key                       ; false ; false
            """)
    void aggregateAndCutsRowsComeFromTheCommands(String text, boolean aggregate, boolean cutsRows) {
        Query q = Query.parse(text.strip());
        assertThat(q.aggregate()).as("aggregate of %s", text).isEqualTo(aggregate);
        assertThat(q.cutsRows()).as("cutsRows of %s", text).isEqualTo(cutsRows);
        assertThat(q.text()).isEqualTo(text.strip()); // the text kept for Logs Insights is the one parsed
    }
}
