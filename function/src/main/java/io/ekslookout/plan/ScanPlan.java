package io.ekslookout.plan;

import io.ekslookout.query.Query;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@link Planner} decided for one set of queries: the prefilter queries that fetch, in one pass each, every
 * event the rules they cover can keep, and the rules that must still run as their own query.
 *
 * @param prefilters the combined queries (usually one)
 * @param separate   rules left to run alone, each with the reason
 * @param leftOut    per planned rule, the leading filters not in its prefilter condition and why (the rule's full
 *                   query still applies them locally); rules with nothing left out are absent
 */
public record ScanPlan(List<Prefilter> prefilters, List<Separate> separate, Map<String, List<String>> leftOut) {
    public ScanPlan {
        prefilters = List.copyOf(prefilters);
        separate = List.copyOf(separate);
        leftOut = Map.copyOf(leftOut);
    }

    /**
     * One combined query.
     *
     * @param text    the Logs Insights text: {@code filter (rule 1) or (rule 2) ... | fields @timestamp, ...}
     * @param query   the text parsed by the project's parser (a non-stats query: its rows are raw events)
     * @param ruleIds the rules whose events it fetches, in input order
     */
    public record Prefilter(String text, Query query, List<String> ruleIds) {
        public Prefilter {
            ruleIds = List.copyOf(ruleIds);
        }
    }

    /** A rule that runs as its own query, and why it cannot share a prefilter. */
    public record Separate(String ruleId, String reason) {
    }

    /** Number of rules in the plan. */
    public int ruleCount() {
        return prefilters.stream().mapToInt(p -> p.ruleIds().size()).sum() + separate.size();
    }

    /** Queries one run starts (before any split of a capped result): the prefilters plus the separate rules. */
    public int queryCount() {
        return prefilters.size() + separate.size();
    }

    /**
     * How many times each byte of logs is scanned on a schedule: each run scans {@code period + lookback} of logs
     * per query, and runs come every {@code period}, so one query scans each byte {@code (period+lookback)/period}
     * times.
     *
     * @return one query per rule ({@code rules × (period+lookback)/period}) and planned
     *         ({@code (prefilters + separate rules) × (period+lookback)/period})
     */
    public Multiplier multiplier(Duration period, Duration lookback) {
        if (period.isZero() || period.isNegative() || lookback.isNegative()) {
            throw new IllegalArgumentException("the period must be positive and the lookback not negative");
        }
        return multiplier((double) period.plus(lookback).toMillis() / period.toMillis());
    }

    /**
     * How many times each byte of logs is scanned when every byte lies in {@code runsPerByte} runs' time ranges
     * (the schedule's {@code WindowPlanner.scanMultiplier()}: {@code (period+lookback)/period} in ingestion mode, 1
     * in event-time mode): each query of a run scans its range once.
     */
    public Multiplier multiplier(double runsPerByte) {
        if (!(runsPerByte > 0) || Double.isInfinite(runsPerByte)) {
            throw new IllegalArgumentException("runs per byte must be positive, got " + runsPerByte);
        }
        return new Multiplier(ruleCount() * runsPerByte, queryCount() * runsPerByte);
    }

    /** Scan multipliers: how many times each byte is scanned, one query per rule vs planned. */
    public record Multiplier(double perRule, double planned) {
    }
}
