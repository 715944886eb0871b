package io.ekslookout.detect;

import java.time.Duration;

/**
 * What a batch cost on the service, all queries and time parts together (zero for a local read).
 *
 * @param queriesStarted StartQuery calls, split parts included
 * @param throttled      calls the service throttled (retried)
 * @param splits         capped results split in time halves
 * @param recordsScanned events scanned
 * @param bytesScanned   bytes scanned (what Logs Insights bills)
 * @param recordsMatched events matched
 * @param duration       wall time of the batch
 * @param bytesOnePass   what one query over the batch's whole window scanned (the largest first part of a query):
 *                       the unit for "how many times was each byte scanned"; 0 when no query completed
 */
public record ScanStats(int queriesStarted, int throttled, int splits, long recordsScanned, long bytesScanned,
                        long recordsMatched, Duration duration, long bytesOnePass) {
    public static final ScanStats NONE = new ScanStats(0, 0, 0, 0, 0, 0, Duration.ZERO, 0);

    /** Bytes scanned in units of one pass over the window (0 when unknown). */
    public double passes() {
        return bytesOnePass <= 0 ? 0 : (double) bytesScanned / bytesOnePass;
    }

    /** Two batches together (the prefilter's and its time parts'): sums, and the larger one-pass unit. */
    public ScanStats plus(ScanStats o) {
        return new ScanStats(queriesStarted + o.queriesStarted, throttled + o.throttled, splits + o.splits,
                recordsScanned + o.recordsScanned, bytesScanned + o.bytesScanned, recordsMatched + o.recordsMatched,
                duration.plus(o.duration), Math.max(bytesOnePass, o.bytesOnePass));
    }
}
