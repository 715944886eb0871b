package io.ekslookout.schedule;

import io.ekslookout.detect.TimeWindow;

import java.time.Duration;
import java.time.Instant;

/**
 * Which events a scheduled run looks at, so that consecutive runs see every event exactly once.
 *
 * <p>EKS delivers control-plane logs "within a few minutes, best effort", so event time ({@code @timestamp}) is a
 * poor cursor: an event stamped 10:01 may arrive at 10:07, after the 10:00-10:05 run. Time is therefore tiled by
 * <b>ingestion</b> time: the run for tick {@code t} owns the events whose {@code @ingestionTime} lies in
 * {@code [t - period, t)}, where {@code t} is the schedule's time (the ScheduledEvent's {@code time}) floored to the
 * period, minus a settle delay (so events ingested just before {@code t} are queryable when the run starts).
 * Consecutive ticks share a boundary: no gap, no overlap; a retried invocation of the same tick (same event time,
 * or a later wall clock within the same period) gets exactly the same windows.
 *
 * <p>Logs Insights still needs an event-time range to scan. It reaches back {@code lookback} further than the
 * ingestion window: {@code [t - period - lookback, t)}. An event delivered up to {@code lookback} after its own timestamp is always
 * seen; one delivered later may be missed (and is, beyond {@code lookback + period}): raise the lookback if your
 * cluster's delivery delay is larger. <b>Cost:</b> Logs Insights
 * bills the bytes in the scanned {@code @timestamp} range, not the ones the ingestion filter keeps, so every run
 * scans {@code (period + lookback) / period} times the logs of one period: with the defaults (5 min period, 15 min
 * lookback) each byte of logs is scanned 4 times across runs; a 5 min lookback halves that, and a 60 min lookback
 * makes it 13.
 */
public final class WindowPlanner {
    private final Duration period;
    private final Duration settleDelay;
    private final Duration lookback;

    /**
     * One run's windows.
     *
     * @param tick      t, the end of the ingestion window
     * @param ingestion [t - period, t) on {@code @ingestionTime}
     * @param timeRange [t - period - lookback, t) on {@code @timestamp}
     */
    public record Plan(Instant tick, TimeWindow ingestion, TimeWindow timeRange) {
    }

    public WindowPlanner(Duration period, Duration settleDelay, Duration lookback) {
        if (period.isNegative() || period.isZero() || period.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("period must be a positive whole number of seconds, got " + period);
        }
        if (settleDelay.isNegative() || lookback.isNegative()) {
            throw new IllegalArgumentException("settle delay and lookback must not be negative");
        }
        this.period = period;
        this.settleDelay = settleDelay;
        this.lookback = lookback;
    }

    /** The windows of the run scheduled at {@code scheduledTime} (the ScheduledEvent's {@code time}). */
    public Plan plan(Instant scheduledTime) {
        long p = period.toMillis();
        long floored = Math.floorDiv(scheduledTime.toEpochMilli(), p) * p;
        Instant tick = Instant.ofEpochMilli(floored).minus(settleDelay);
        TimeWindow ingestion = new TimeWindow(tick.minus(period), tick);
        TimeWindow range = new TimeWindow(tick.minus(period).minus(lookback), tick);
        return new Plan(tick, ingestion, range);
    }

    public Duration period() {
        return period;
    }

    public Duration settleDelay() {
        return settleDelay;
    }

    public Duration lookback() {
        return lookback;
    }

    /** How many times each byte of logs is scanned across runs: (period + lookback) / period. */
    public double scanMultiplier() {
        return (double) (period.toMillis() + lookback.toMillis()) / period.toMillis();
    }
}
