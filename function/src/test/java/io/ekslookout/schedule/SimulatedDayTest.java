package io.ekslookout.schedule;

import io.ekslookout.detect.InMemoryLogSource;
import io.ekslookout.detect.LocalBackend;
import io.ekslookout.detect.QueryOutcome;
import io.ekslookout.detect.Batch;
import io.ekslookout.query.LogEvent;
import io.ekslookout.query.ResultRow;
import io.ekslookout.settings.SettingsDuration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A simulated day proving "every event exactly once" under each {@link ScanMode}'s stated delivery bound
 * (lookback 15 min for {@code ingestion}, D = 10 min for {@code event-time}), at a 1-, 5- and 15-minute period.
 *
 * <p>A day of synthetic events (fixed seed) with event timestamps and delivery delays: most within the bound, some
 * exactly at it at the worst place in a window, some just outside it at the worst place (which the bound says may
 * be missed: they must be, proving the bound tight), some far beyond it, and decoys the query must never return.
 * Every tick of the day (and the hour its late events need) is planned by {@link WindowPlanner} and run through the
 * embedded engine ({@link LocalBackend} over an {@link InMemoryLogSource}) over the events <i>queryable at the
 * run's wall-clock time</i>: an event becomes queryable one settle delay after its {@code @ingestionTime} (the
 * settle delay's own assumption). Candidates reach the engine from a period either side of the planned range, so the
 * engine's own time-range and ingestion filters decide.
 *
 * <p>Three ticks go wrong, as they do on Lambda: one fails twice and succeeds on Lambda's second retry 3 minutes
 * later (after further ticks ran: at a 1-minute period, three of them), one fails every attempt and is redriven from
 * the dead-letter queue after the day, one starts 4 minutes late (the failed attempts fail before their queries).
 *
 * <p>The test's own accounting, from the documented windows and not from the planner: each event's owning tick
 * ({@code ingestion}: the tile of its {@code @ingestionTime}; {@code event-time}: the window of its
 * {@code @timestamp}), whether it was queryable when that tick's successful attempt ran, and ({@code ingestion})
 * whether its timestamp lies within the lookback. It must be returned exactly that many times (0 or 1), never twice;
 * every event within the bound exactly once. Also measured: how many times each byte was scanned.
 */
class SimulatedDayTest {
    static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");
    static final Duration LOOKBACK = Duration.ofMinutes(15);
    static final Duration DELAY = Duration.ofMinutes(10);
    static final String QUERY = "filter verb != \"watch\" | fields id";

    enum Kind {
        /** delivered within a minute */
        USUAL,
        /** delivered 1 minute to the bound late */
        LATE,
        /** delivered exactly the bound late, anywhere */
        AT_BOUND,
        /** exactly the bound late at the worst place of a window (its end, or the start of an ingestion tile) */
        AT_BOUND_EDGE,
        /** 30-60 s more than the bound late at the worst place: may be missed, and is unless its run is late */
        JUST_OUTSIDE,
        /** more than bound + period late: missed */
        BEYOND,
        /** on a window's first or last millisecond, delivered at once */
        EDGE,
        /** an event the query filters out: never returned */
        DECOY
    }

    record Sim(String id, Kind kind, LogEvent event) {
        long delay() {
            return event.ingestionTime() - event.timestamp();
        }
    }

    @ParameterizedTest(name = "{0} every {1}")
    @CsvSource({
        "ingestion,  1m",
        "ingestion,  5m",
        "ingestion,  15m",
        "event-time, 1m",
        "event-time, 5m",
        "event-time, 15m",
    })
    void everyEventWithinTheBoundIsReturnedByExactlyOneTick(String modeName, String periodText) {
        ScanMode mode = ScanMode.parse(modeName);
        Duration periodD = SettingsDuration.parse(periodText);
        Duration settleD = periodD.compareTo(Duration.ofMinutes(1)) <= 0 ? Duration.ofSeconds(30)
                : Duration.ofMinutes(2);
        WindowPlanner planner = new WindowPlanner(mode, periodD, settleD, LOOKBACK, DELAY);
        long p = periodD.toMillis();
        long settle = settleD.toMillis();
        long bound = planner.deliveryBound().toMillis();
        boolean eventTime = mode == ScanMode.EVENT_TIME;
        long day = DAY.toEpochMilli();
        long k0 = day / p;
        long k1 = (day + Duration.ofHours(25).toMillis()) / p; // the day's ticks and the hour its late events need
        Random rnd = new Random(20261120L + 31L * periodD.toMinutes() + mode.ordinal());

        // --- the events
        List<Sim> sims = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            long ts = day + (long) (rnd.nextDouble() * 86_400_000L);
            double r = rnd.nextDouble();
            Kind kind;
            long delay;
            if (r < 0.10) {
                kind = Kind.DECOY;
                delay = rnd.nextInt(60_000);
            } else if (r < 0.60) {
                kind = Kind.USUAL;
                delay = rnd.nextInt(60_000);
            } else if (r < 0.90) {
                kind = Kind.LATE;
                delay = 60_000 + (long) (rnd.nextDouble() * (bound - 60_000));
            } else if (r < 0.95) {
                kind = Kind.AT_BOUND;
                delay = bound;
            } else {
                kind = Kind.BEYOND;
                delay = bound + p + 60_000 + rnd.nextInt(600_000);
            }
            sims.add(sim(sims.size(), kind, ts, ts + delay));
        }
        // the worst places of 150 of the day's windows (the three troubled ticks' among them)
        long kRetry = (day + Duration.ofHours(6).toMillis()) / p;
        long kDlq = (day + Duration.ofHours(12).toMillis()) / p;
        long kLate = (day + Duration.ofHours(18).toMillis()) / p;
        List<Long> placed = new ArrayList<>(List.of(kRetry, kDlq, kLate));
        long firstPlaced = k0 + Duration.ofHours(1).toMillis() / p;
        long lastPlaced = k0 + Duration.ofHours(23).toMillis() / p;
        while (placed.size() < Math.min(150, lastPlaced - firstPlaced)) {
            long k = firstPlaced + rnd.nextInt((int) (lastPlaced - firstPlaced));
            if (!placed.contains(k)) {
                placed.add(k);
            }
        }
        for (long k : placed) {
            long t = k * p - settle; // the tick, as documented
            if (eventTime) {
                long end = t - bound; // the window [t - D - period, t - D)
                sims.add(sim(sims.size(), Kind.AT_BOUND_EDGE, end - 1, end - 1 + bound));
                long ts = end - 1 - rnd.nextInt(10_000);
                sims.add(sim(sims.size(), Kind.JUST_OUTSIDE, ts, ts + bound + 30_000 + rnd.nextInt(30_000)));
                sims.add(sim(sims.size(), Kind.EDGE, end - p, end - p + rnd.nextInt(1000)));
                sims.add(sim(sims.size(), Kind.EDGE, end - 1, end - 1 + rnd.nextInt(1000)));
                sims.add(sim(sims.size(), Kind.EDGE, end, end + rnd.nextInt(1000)));
            } else {
                long tileStart = t - p; // the ingestion tile [t - period, t), the range [t - period - lookback, t)
                sims.add(sim(sims.size(), Kind.AT_BOUND_EDGE, tileStart - bound, tileStart));
                long ing = tileStart + rnd.nextInt(10_000);
                sims.add(sim(sims.size(), Kind.JUST_OUTSIDE, ing - bound - 30_000 - rnd.nextInt(30_000), ing));
                sims.add(sim(sims.size(), Kind.EDGE, tileStart - rnd.nextInt(1000), tileStart));
                sims.add(sim(sims.size(), Kind.EDGE, t - 1 - rnd.nextInt(1000), t - 1));
                sims.add(sim(sims.size(), Kind.EDGE, t - rnd.nextInt(1000), t));
            }
        }
        sims.sort(Comparator.comparingLong(s -> s.event().timestamp()));
        long[] stamps = sims.stream().mapToLong(s -> s.event().timestamp()).toArray();

        // --- every tick of the day: when its successful attempt runs, and what it returns
        Map<Long, Long> wallOf = new HashMap<>();
        Map<String, Integer> returned = new HashMap<>();
        Map<String, Integer> scanned = new HashMap<>();
        long bytesBilled = 0;
        for (long k = k0; k < k1; k++) {
            long wall;
            if (k == kRetry) {
                wall = k * p + 180_000;                 // attempts at +0 and +1 min failed; Lambda's 2nd retry
            } else if (k == kDlq) {
                continue;                               // every attempt failed: the event is in the DLQ
            } else if (k == kLate) {
                wall = k * p + 240_000;                 // the invocation started 4 minutes late
            } else {
                wall = k * p + rnd.nextInt(15_000);     // on time, a few seconds after the schedule
            }
            bytesBilled += runTick(planner, k * p + rnd.nextInt(20_000), wall, sims, stamps, p, settle, returned,
                    scanned);
            wallOf.put(k, wall);
        }
        long redrive = day + Duration.ofHours(26).toMillis(); // the operator invokes the function with the DLQ event
        bytesBilled += runTick(planner, kDlq * p, redrive, sims, stamps, p, settle, returned, scanned);
        wallOf.put(kDlq, redrive);

        // --- the accounting
        List<String> wrong = new ArrayList<>();
        Map<Kind, int[]> tally = new EnumMap<>(Kind.class); // kind -> {events, returned once, missed}
        int caughtLate = 0;
        long dayBytes = 0;
        for (Sim s : sims) {
            LogEvent e = s.event();
            if (e.timestamp() >= day && e.timestamp() < day + 86_400_000L) {
                dayBytes += e.message().length();
            }
            int times = returned.getOrDefault(s.id(), 0);
            if (s.kind() == Kind.DECOY) {
                if (times != 0) {
                    wrong.add(s + " (a decoy) returned " + times + " times");
                }
                continue;
            }
            long owner = eventTime ? Math.floorDiv(e.timestamp() + settle + bound, p) + 1
                    : Math.floorDiv(e.ingestionTime() + settle, p) + 1;
            assertThat(owner).as("owner of %s", s).isBetween(k0, k1 - 1);
            long t = owner * p - settle;
            boolean queryable = e.ingestionTime() + settle <= wallOf.get(owner);
            boolean inRange = eventTime || e.timestamp() >= t - p - bound;
            int expected = queryable && inRange ? 1 : 0;
            if (s.delay() <= bound && expected != 1) {
                wrong.add("the accounting misses " + s + " although it is within the bound");
            }
            if (times != expected) {
                wrong.add(s + " (owner tick " + Instant.ofEpochMilli(owner * p) + ", its run at "
                        + Instant.ofEpochMilli(wallOf.get(owner)) + ") returned " + times + " times, expected "
                        + expected);
            }
            int[] n = tally.computeIfAbsent(s.kind(), x -> new int[3]);
            n[0]++;
            n[times == 1 ? 1 : 2]++;
            boolean lateRun = owner == kRetry || owner == kDlq || owner == kLate;
            if ((s.kind() == Kind.JUST_OUTSIDE || s.kind() == Kind.BEYOND) && !lateRun && times != 0) {
                wrong.add(s + " is outside the bound in an on-time tick's window, yet was returned");
            }
            if (s.kind() == Kind.JUST_OUTSIDE && lateRun && times == 1) {
                caughtLate++;
            }
        }
        assertThat(wrong).as("events returned other than the accounting says").isEmpty();
        assertThat(returned.values()).as("no event twice").allMatch(n -> n == 1);
        for (Kind k : List.of(Kind.USUAL, Kind.LATE, Kind.AT_BOUND, Kind.AT_BOUND_EDGE, Kind.EDGE)) {
            assertThat(tally.get(k)[0]).as("%s events", k).isPositive();
            assertThat(tally.get(k)[2]).as("%s events missed", k).isZero();
        }
        // the bound is tight: just outside it, at the worst place, events are missed (except by late runs)
        assertThat(tally.get(Kind.JUST_OUTSIDE)[2]).as("just-outside events missed")
                .isEqualTo(placed.size() - (eventTime ? 3 : 0));
        assertThat(tally.get(Kind.BEYOND)[2]).as("events far beyond the bound missed").isGreaterThan(100);
        if (eventTime) {
            assertThat(caughtLate).as("late runs catch their windows' late events (once)").isEqualTo(3);
        }

        // --- what it cost: the bytes of the runs' time ranges, over the day's bytes
        double measured = (double) bytesBilled / dayBytes;
        // the same for the events delivered within a minute (most of EKS's): close to the nominal factor
        double prompt = sims.stream().filter(s -> s.kind() == Kind.USUAL)
                .mapToInt(s -> scanned.getOrDefault(s.id(), 0)).average().orElseThrow();
        int maxScans = scanned.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat((double) maxScans).as("most runs one event was scanned by").isEqualTo(planner.scanMultiplier());
        // below the nominal factor only by what was not yet ingested when the earlier ranges were scanned
        assertThat(measured).isBetween(0.7 * planner.scanMultiplier(), planner.scanMultiplier());
        assertThat(prompt).isBetween(0.9 * planner.scanMultiplier(), planner.scanMultiplier());
        int within = 0;
        int missed = 0;
        for (Map.Entry<Kind, int[]> en : tally.entrySet()) {
            if (en.getKey() != Kind.JUST_OUTSIDE && en.getKey() != Kind.BEYOND) {
                within += en.getValue()[0];
            } else {
                missed += en.getValue()[2];
            }
        }
        System.out.printf(Locale.ROOT, "simulated day, scan mode %s every %s (bound %s): %d events within the bound"
                        + " returned exactly once, %d outside it missed (%d of them just outside, %d caught by late"
                        + " runs), %d decoys never; each byte scanned %.2f times (%.2f for events delivered within a minute;"
                        + " nominal %.2f)%n", mode.label(),
                periodText, SettingsDuration.show(planner.deliveryBound()), within, missed,
                tally.get(Kind.JUST_OUTSIDE)[2], caughtLate, sims.stream().filter(s -> s.kind() == Kind.DECOY).count(),
                measured, prompt, planner.scanMultiplier());
    }

    private static Sim sim(int n, Kind kind, long ts, long ingestion) {
        String id = (kind == Kind.DECOY ? "d" : "e") + n;
        String verb = kind == Kind.DECOY ? "watch" : "get";
        return new Sim(id, kind, new LogEvent(ts, ingestion, "{\"verb\":\"" + verb + "\",\"id\":\"" + id + "\"}",
                "kube-apiserver-audit-1", "/aws/eks/prod/cluster", id));
    }

    /**
     * One successful run of the tick scheduled at {@code scheduled}, at wall-clock time {@code wall}: plan, hand the
     * engine the events queryable then (from a period either side of the range), count what it returns.
     *
     * @return the bytes Logs Insights would bill: every queryable event in the scanned {@code @timestamp} range
     */
    private static long runTick(WindowPlanner planner, long scheduled, long wall, List<Sim> sims, long[] stamps,
                                long p, long settle, Map<String, Integer> returned, Map<String, Integer> scanned) {
        WindowPlanner.Plan plan = planner.plan(Instant.ofEpochMilli(scheduled));
        long from = plan.timeRange().start().toEpochMilli();
        long to = plan.timeRange().end().toEpochMilli();
        List<LogEvent> queryable = new ArrayList<>();
        long billed = 0;
        for (int i = lowerBound(stamps, from - p); i < stamps.length && stamps[i] < to + p; i++) {
            Sim s = sims.get(i);
            if (s.event().ingestionTime() + settle > wall) {
                continue; // not queryable yet
            }
            queryable.add(s.event());
            if (stamps[i] >= from && stamps[i] < to) {
                billed += s.event().message().length();
                scanned.merge(s.id(), 1, Integer::sum);
            }
        }
        QueryOutcome o = new LocalBackend(new InMemoryLogSource(queryable)).run(Batch.of(
                List.of(Batch.Entry.parse("all", QUERY)), plan.timeRange(), plan.ingestion())).outcomes().get(0);
        assertThat(o.error()).isNull();
        for (ResultRow r : o.result().rows()) {
            returned.merge(r.get("id"), 1, Integer::sum);
        }
        return billed;
    }

    private static int lowerBound(long[] a, long key) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
