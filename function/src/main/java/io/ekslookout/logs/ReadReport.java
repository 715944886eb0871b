package io.ekslookout.logs;

import java.util.List;

/**
 * What a read pass saw.
 *
 * @param events           events delivered
 * @param malformed        lines or records that could not be read (never silently dropped: counted here)
 * @param malformedSamples the first few, each "file:line: what was wrong"
 * @param bytes            bytes read (uncompressed)
 */
public record ReadReport(long events, long malformed, List<String> malformedSamples, long bytes) {
    public ReadReport {
        malformedSamples = List.copyOf(malformedSamples);
    }
}
