package io.ekslookout.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.ekslookout.query.LogEvent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads pretty-printed JSON spread over many lines ({@code jq .}, {@code kubectl -o json}, {@code json.dumps(...,
 * indent=2)}): one audit Event, several concatenated, an audit {@code EventList}, or CloudWatch events. Each
 * top-level object is re-written compactly, the way the API server and CloudWatch Logs write it (same keys in the
 * same order, no whitespace: rules that match the raw text such as {@code "roleRef":\{} see what they would see
 * in CloudWatch), then read exactly like one line of a JSON Lines file, so audit events, EventLists and CloudWatch
 * events all work and every problem is reported at the line where its object starts. A document bigger than the
 * record cap is skipped as "too long"; invalid JSON ends the read of the file (JSON cannot be resumed), counted
 * once with its location.
 */
final class JsonDocumentsReader {
    private final JsonFactory factory;
    private final JsonLinesReader lines;
    private final int maxRecordBytes;

    JsonDocumentsReader(JsonFactory factory, JsonLinesReader lines, int maxRecordBytes) {
        this.factory = factory;
        this.lines = lines;
        this.maxRecordBytes = maxRecordBytes;
    }

    void read(InputStream in, String file, String logGroup, Consumer<LogEvent> sink, ReadTally tally)
            throws IOException {
        ByteArrayOutputStream compact = new ByteArrayOutputStream(1 << 12);
        try (JsonParser p = factory.createParser(in)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                long line = p.currentTokenLocation().getLineNr();
                if (t != JsonToken.START_OBJECT) {
                    tally.skip(SkipReason.NOT_AN_EVENT, file, line, "expected a JSON object, found "
                            + EventFields.describe(t));
                    p.skipChildren();
                    continue;
                }
                long from = p.currentTokenLocation().getByteOffset();
                compact.reset();
                try (JsonGenerator g = factory.createGenerator(compact)) {
                    g.copyCurrentStructure(p);
                }
                long size = p.currentLocation().getByteOffset() - from;
                if (compact.size() > maxRecordBytes || (from >= 0 && size > maxRecordBytes)) {
                    tally.skip(SkipReason.TOO_LONG, file, line, "JSON object longer than " + maxRecordBytes
                            + " bytes, skipped");
                    continue;
                }
                byte[] bytes = compact.toByteArray();
                lines.line(bytes, 0, bytes.length, file, line, logGroup, sink, tally);
            }
        } catch (JsonProcessingException e) {
            tally.skip(JsonLinesReader.reasonOf(e), file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "invalid JSON: " + JsonLinesReader.firstLine(e.getOriginalMessage())
                            + "; the rest of this file was not read");
        }
    }
}
