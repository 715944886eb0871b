package io.ekslookout.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.ekslookout.query.LogEvent;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads the JSON the AWS CLI writes for {@code aws logs filter-log-events} (an object whose {@code events} array
 * holds {logStreamName, timestamp, message, ingestionTime, eventId}) or {@code aws logs get-log-events} (the same
 * without logStreamName: the stream is named after the file), also a bare array of events and several such
 * documents one after another (pages). Streams the array with Jackson; never loads the document. One event is
 * capped like a line of the other formats: an event spanning more than {@code maxRecordBytes} is skipped as
 * "too long", and no string is buffered beyond that cap (the factory's string-length constraint: JSON cannot be
 * resumed inside a cut string, so such a string ends the read of that file, counted as "too long").
 */
final class ExportReader {
    private final JsonFactory factory;
    private final EventFields fields = new EventFields();
    private final long maxRecordBytes;

    ExportReader(JsonFactory factory, long maxRecordBytes) {
        this.factory = factory;
        this.maxRecordBytes = maxRecordBytes;
    }

    void read(InputStream in, String file, String defaultStream, String logGroup, Consumer<LogEvent> sink,
              ReadTally tally) throws IOException {
        try (JsonParser p = factory.createParser(in)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_ARRAY) {
                    events(p, file, defaultStream, logGroup, sink, tally);
                } else if (t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        JsonToken v = p.nextToken();
                        if (name.equals("events") && v == JsonToken.START_ARRAY) {
                            events(p, file, defaultStream, logGroup, sink, tally);
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    tally.skip(SkipReason.NOT_AN_EVENT, file, p.currentTokenLocation().getLineNr(),
                            "expected an object with an \"events\" array, found " + EventFields.describe(t));
                    return;
                }
            }
        } catch (JsonProcessingException e) {
            tally.skip(JsonLinesReader.reasonOf(e), file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "invalid JSON: " + JsonLinesReader.firstLine(e.getOriginalMessage())
                            + "; the rest of this file was not read");
        } catch (java.io.CharConversionException e) {
            // Jackson guessed UTF-16/32 from NUL bytes and found no such text: not a JsonProcessingException
            tally.skip(SkipReason.INVALID_JSON, file, 0, "invalid JSON: not UTF-8 text ("
                    + JsonLinesReader.firstLine(e.getMessage()) + "); the rest of this file was not read");
        }
    }

    private void events(JsonParser p, String file, String defaultStream, String logGroup, Consumer<LogEvent> sink,
                        ReadTally tally) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
            int line = p.currentTokenLocation().getLineNr();
            long from = p.currentTokenLocation().getByteOffset();
            if (t != JsonToken.START_OBJECT) {
                tally.skip(SkipReason.NOT_AN_EVENT, file, line, "expected an event object, found "
                        + EventFields.describe(t));
                p.skipChildren();
                continue;
            }
            fields.read(p);
            long size = p.currentLocation().getByteOffset() - from;
            LogEvent event = fields.toCloudWatchEvent(defaultStream, logGroup);
            if (from >= 0 && size > maxRecordBytes) {
                tally.skip(SkipReason.TOO_LONG, file, line, "event longer than " + maxRecordBytes + " bytes, skipped");
            } else if (event == null) {
                tally.skip(fields.reason, file, line, fields.problem);
            } else {
                tally.events++;
                tally.at(file, line);
                sink.accept(event);
            }
        }
    }
}
