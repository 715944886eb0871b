package io.ekslookout.schedule;

import io.ekslookout.detect.TimeWindow;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Which events a scheduled run looks at, so that consecutive runs see every event exactly once. Pure: the windows are
 * a function of the schedule's time alone, so nothing needs remembering between runs.
 *
 * <p>Every run has a <b>tick</b> {@code t}: the schedule's time (the ScheduledEvent's {@code time}) floored to the
 * period, minus a settle delay, so that events ingested before {@code t} are queryable when the run starts. Then,
 * by {@link ScanMode}:
 *
 * <p><b>{@code ingestion} (the default): tile ingestion time, scan with a lookback.</b> EKS delivers control-plane
 * logs "within a few minutes, best effort", so event time ({@code @timestamp}) is a poor cursor: an event stamped
 * 10:01 may arrive at 10:07, after the 10:00-10:05 run. The run for tick {@code t} owns the events whose
 * {@code @ingestionTime} lies in {@code [t - period, t)}. Consecutive ticks share a boundary: no gap, no overlap.
 * Logs Insights still needs an event-time range to scan; it reaches back {@code lookback} further than the ingestion
 * window: {@code [t - period - lookback, t)}. An event delivered up to {@code lookback} after its own timestamp is
 * always seen; one delivered later may be missed (and is, beyond {@code lookback + period}): raise the lookback if
 * your cluster's delivery delay is larger. A finding is reported settle delay + up to one period after its event
 * was <i>ingested</i>. <b>Cost:</b> Logs Insights bills the bytes in the scanned {@code @timestamp} range, not the
 * ones the ingestion filter keeps, so every run scans {@code (period + lookback) / period} times the logs of one
 * period: with the defaults (5 min period, 15 min lookback) each byte of logs is scanned 4 times across runs; a
 * 5 min lookback halves that, and a 60 min lookback makes it 13.
 *
 * <p><b>{@code event-time}: tile event time, a scan delay D behind the tick.</b> The run for tick {@code t} owns, and
 * scans, the events whose {@code @timestamp} lies in {@code [t - D - period, t - D)}, with no ingestion filter.
 * Consecutive ticks tile event time: no gap, no overlap, and no byte is in two runs' ranges, so <b>each byte is
 * scanned once</b> (multiplier 1, against 4 for the ingestion default). <b>Delivery bound:</b> an event is seen
 * when it was ingested before its window's tick {@code t}; since its timestamp is before {@code t - D}, an event
 * delivered at most D after its own timestamp ({@code @ingestionTime - @timestamp <= D}) is always seen; one
 * delivered later is seen only if its timestamp is early enough in its window, and one delivered {@code D + period}
 * or more late is always missed, <i>silently</i>: no later run scans its timestamp again. The price is latency: a
 * finding is reported settle delay + D + up to one period after its event happened. D does not need to be a
 * multiple of, or larger than, the period: the windows tile event time whatever D is; D alone sets the bound.
 * Choose it above your cluster's worst delivery delay (EKS: within a few minutes; the default 10 minutes).
 *
 * <p><b>Retries, late and missed runs</b> (both modes): a retried invocation of the same tick (Lambda's and
 * EventBridge's retries resend the same event) or a late one (the same event time, a later wall clock) gets exactly
 * the same windows, so it neither repeats another tick's events nor skips its own. A late run can only see more:
 * in event-time mode it also catches the events of its window delivered later than D (still once: no other tick
 * scans their timestamps). A tick whose every attempt failed leaves its window unscanned in either mode; its event
 * goes to the dead-letter queue, and invoking the function with it later scans exactly that window.
 */
public final class WindowPlanner {
    private final ScanMode mode;
    private final Duration period;
    private final Duration settleDelay;
    private final Duration lookback;
    private final Duration scanDelay;

    /**
     * One run's windows.
     *
     * @param tick      t (the schedule's time floored to the period, minus the settle delay)
     * @param ingestion {@code ingestion} mode: [t - period, t) on {@code @ingestionTime}; {@code event-time}: null
     *                  (no ingestion filter)
     * @param timeRange the {@code @timestamp} range scanned: [t - period - lookback, t) in {@code ingestion} mode,
     *                  [t - D - period, t - D) in {@code event-time} mode
     */
    public record Plan(Instant tick, TimeWindow ingestion, TimeWindow timeRange) {
    }

    /** The {@code ingestion} mode (today's default). */
    public WindowPlanner(Duration period, Duration settleDelay, Duration lookback) {
        this(ScanMode.INGESTION, period, settleDelay, lookback, Duration.ZERO);
    }

    /**
     * A planner for {@code mode}: {@code lookback} is used in {@code ingestion} mode, {@code scanDelay} (D) in
     * {@code event-time} mode; both are kept so a run can log them.
     */
    public WindowPlanner(ScanMode mode, Duration period, Duration settleDelay, Duration lookback,
                         Duration scanDelay) {
        this.mode = Objects.requireNonNull(mode, "mode");
        if (period.isNegative() || period.isZero() || period.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("period must be a positive whole number of seconds, got " + period);
        }
        if (settleDelay.isNegative() || lookback.isNegative() || scanDelay.isNegative()) {
            throw new IllegalArgumentException("settle delay, lookback and scan delay must not be negative");
        }
        this.period = period;
        this.settleDelay = settleDelay;
        this.lookback = lookback;
        this.scanDelay = scanDelay;
    }

    /** The windows of the run scheduled at {@code scheduledTime} (the ScheduledEvent's {@code time}). */
    public Plan plan(Instant scheduledTime) {
        long p = period.toMillis();
        long floored = Math.floorDiv(scheduledTime.toEpochMilli(), p) * p;
        Instant tick = Instant.ofEpochMilli(floored).minus(settleDelay);
        if (mode == ScanMode.EVENT_TIME) {
            Instant end = tick.minus(scanDelay);
            return new Plan(tick, null, new TimeWindow(end.minus(period), end));
        }
        TimeWindow ingestion = new TimeWindow(tick.minus(period), tick);
        TimeWindow range = new TimeWindow(tick.minus(period).minus(lookback), tick);
        return new Plan(tick, ingestion, range);
    }

    public ScanMode mode() {
        return mode;
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

    /** D, the {@code event-time} mode's delay between a tick and the end of the event time it scans. */
    public Duration scanDelay() {
        return scanDelay;
    }

    /**
     * How long an event may take to be delivered and still certainly be seen: the lookback ({@code ingestion}) or
     * D ({@code event-time}).
     */
    public Duration deliveryBound() {
        return mode == ScanMode.EVENT_TIME ? scanDelay : lookback;
    }

    /**
     * How many times each byte of logs is scanned across runs, per query: {@code (period + lookback) / period}
     * ({@code ingestion}), 1 ({@code event-time}).
     */
    public double scanMultiplier() {
        if (mode == ScanMode.EVENT_TIME) {
            return 1.0;
        }
        return (double) (period.toMillis() + lookback.toMillis()) / period.toMillis();
    }
}
