package io.ekslookout.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The fuzz harness: plain JUnit, reproducible, one call per target ({@code Fuzz*Test}). A target has named
 * generators (each makes one input from a {@code Random}) and one property every input must satisfy; each input
 * runs on a watchdog thread and fails when it takes longer than {@link #TIMEOUT_SECONDS}.
 *
 * <p>Two modes, chosen by system properties (surefire passes {@code -D} through):
 * <ul>
 *   <li>CI (default): a fixed seed, {@code ciCount} inputs per generator; every target together stays well under
 *       a minute, so the normal {@code mvn verify} runs it;</li>
 *   <li>long: {@code -Dfuzz.seconds=N} runs each target for N seconds (its generators in turn), and
 *       {@code -Dfuzz.seed=random} draws a fresh seed (printed) instead of the fixed one; {@code -Dfuzz.seed=S}
 *       repeats a run.</li>
 * </ul>
 * A failure names the target, the generator, the master seed and the input's own seed, shows the input and saves it
 * under {@code target/fuzz-failures/}; {@code -Dfuzz.replay=GENERATOR:INPUT_SEED} runs exactly that input again.
 *
 * {@code -Dfuzz.keepGoing=true} goes on after failures and prints the first of each kind (to survey bugs).
 *
 * <p>Every generator runs by default: none is known open. The switch stays for the next finding whose fix belongs to
 * another branch: mark its generator {@code .knownOpen("issue N item M: what fails")} so the build stays green
 * meanwhile; it is then skipped (the skip is printed) unless {@code -Dfuzz.knownOpen=true} or a replay names it, and
 * the call is deleted together with the fix.
 */
public final class Fuzz {
    /** The CI seed: fixed so that the default build always runs the same inputs. */
    public static final long CI_SEED = 0x5EED_F022_2024L;
    /** The time bound of one input (a property check), in seconds: {@code -Dfuzz.timeout=N}. */
    public static final long TIMEOUT_SECONDS = Long.getLong("fuzz.timeout", 10);
    /** Run the generators marked known-open too (the integrator's switch once their fixes are merged). */
    public static final boolean KNOWN_OPEN = Boolean.getBoolean("fuzz.knownOpen");

    private static final long SEED = seed(System.getProperty("fuzz.seed"));
    private static final long SECONDS = Long.getLong("fuzz.seconds", 0);
    /** CI counts are multiplied by this ({@code -Dfuzz.ciScale=N}); 2 keeps every target together near 15 s here. */
    private static final int CI_SCALE = Integer.getInteger("fuzz.ciScale", 2);
    private static final String REPLAY = System.getProperty("fuzz.replay");
    /** Go on after a failure, printing the first of each kind (generator + exception class): to survey bugs. */
    private static final boolean KEEP_GOING = Boolean.getBoolean("fuzz.keepGoing");
    private static final Path FAILURES = Path.of(System.getProperty("fuzz.failures", "target/fuzz-failures"));

    /** A property of one input; any exception or assertion error it lets escape is a failure. */
    @FunctionalInterface
    public interface Property<T> {
        void check(T input) throws Exception;
    }

    /**
     * One way of making inputs.
     *
     * @param name      short, kebab-case (used in messages, file names and {@code -Dfuzz.replay})
     * @param make      the input from its own Random (so an input seed alone replays it)
     * @param ciCount   inputs in CI mode
     * @param knownOpen null, or the issue item whose fix this generator waits for (then it is skipped by default)
     */
    public record Generator<T>(String name, Function<Random, T> make, int ciCount, String knownOpen) {
        public static <T> Generator<T> of(String name, int ciCount, Function<Random, T> make) {
            return new Generator<>(name, make, ciCount, null);
        }

        /** A generator that finds a bug another branch fixes: skipped unless {@code -Dfuzz.knownOpen=true}. */
        public Generator<T> knownOpen(String issueItem) {
            return new Generator<>(name, make, ciCount, issueItem);
        }
    }

    /**
     * How an input is shown in a failure message and saved: {@code text} is a readable (escaped) form,
     * {@code bytes} the exact input written beside it.
     */
    public interface Show<T> {
        String text(T input);

        default byte[] bytes(T input) {
            return input instanceof Raw raw ? raw.bytes() : text(input).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** An input that is bytes: saved exactly, not as its escaped text. */
    public interface Raw {
        byte[] bytes();
    }

    private Fuzz() {
    }

    /** True when {@code -Dfuzz.replay} runs one input only (whole-run checks then do not apply). */
    public static boolean replaying() {
        return REPLAY != null;
    }

    /** Runs every enabled generator of {@code target} against {@code property}; prints what ran. */
    public static <T> void run(String target, List<Generator<T>> generators, Show<T> show, Property<T> property) {
        ExecutorService[] worker = {watchdogThread(target)};
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<Generator<T>> active = new ArrayList<>();
        StringBuilder skipped = new StringBuilder();
        for (Generator<T> g : generators) {
            if (g.knownOpen() != null && !KNOWN_OPEN && REPLAY == null) {
                skipped.append("\n  skipped ").append(g.name()).append(" (known open: ").append(g.knownOpen())
                        .append("; run with -Dfuzz.knownOpen=true)");
            } else {
                active.add(g);
                counts.put(g.name(), 0);
            }
        }
        long t0 = System.nanoTime();
        Map<String, Integer> failures = new LinkedHashMap<>();
        Map<String, Long> millis = new LinkedHashMap<>();
        try {
            if (REPLAY != null) {
                replay(target, active, show, property, worker);
                return;
            }
            List<Random> streams = new ArrayList<>();
            for (Generator<T> g : active) {
                streams.add(new Random(SEED ^ (target + "/" + g.name()).hashCode()));
            }
            long deadline = t0 + TimeUnit.SECONDS.toNanos(SECONDS);
            boolean more = true;
            for (int round = 0; more; round++) {
                more = false;
                for (int i = 0; i < active.size(); i++) {
                    Generator<T> g = active.get(i);
                    if (SECONDS > 0 ? System.nanoTime() > deadline : round >= (long) g.ciCount() * CI_SCALE) {
                        continue;
                    }
                    more = true;
                    long inputSeed = streams.get(i).nextLong();
                    counts.merge(g.name(), 1, Integer::sum);
                    long t1 = System.nanoTime();
                    try {
                        runOne(target, g, inputSeed, round, show, property, worker);
                    } catch (AssertionError e) {
                        if (!KEEP_GOING) {
                            throw e;
                        }
                        String kind = g.name() + " " + kind(e.getCause());
                        if (failures.merge(kind, 1, Integer::sum) == 1) {
                            System.out.println("FUZZ FAILURE " + kind + ": " + abbreviate(e.getMessage(), 3000));
                        }
                    } finally {
                        millis.merge(g.name(), (System.nanoTime() - t1) / 1_000_000, Long::sum);
                    }
                }
            }
        } finally {
            worker[0].shutdownNow();
            System.out.printf("fuzz %s: seed %d, %s, %.1f s, inputs %s, ms %s%s%n", target, SEED,
                    SECONDS > 0 ? SECONDS + " s budget" : "CI counts", (System.nanoTime() - t0) / 1e9, counts,
                    millis, skipped);
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("fuzz " + target + ": failures by kind " + failures);
        }
    }

    /** The exception class and where it was thrown from in main code, to tell distinct bugs apart. */
    private static String kind(Throwable t) {
        if (t == null) {
            return "?";
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("io.ekslookout.") && !e.getClassName().startsWith("io.ekslookout.fuzz")) {
                return t.getClass().getSimpleName() + "@" + e.getClassName().replace("io.ekslookout.", "") + "."
                        + e.getMethodName();
            }
        }
        return t.getClass().getSimpleName();
    }

    private static <T> void replay(String target, List<Generator<T>> active, Show<T> show, Property<T> property,
                                   ExecutorService[] worker) {
        int colon = REPLAY.lastIndexOf(':');
        String name = REPLAY.substring(0, Math.max(colon, 0));
        long inputSeed = Long.parseLong(REPLAY.substring(colon + 1));
        for (Generator<T> g : active) {
            if (g.name().equals(name)) {
                runOne(target, g, inputSeed, 0, show, property, worker);
                System.out.printf("fuzz %s: replayed %s:%d, passed%n", target, name, inputSeed);
            }
        }
    }

    private static <T> void runOne(String target, Generator<T> g, long inputSeed, int index, Show<T> show,
                                   Property<T> property, ExecutorService[] worker) {
        T input = g.make().apply(new Random(inputSeed));
        Future<?> f = worker[0].submit(() -> {
            property.check(input);
            return null;
        });
        Throwable failure;
        try {
            f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return;
        } catch (TimeoutException e) {
            f.cancel(true);
            worker[0].shutdownNow();
            worker[0] = watchdogThread(target); // the stuck thread is a daemon: it cannot stop the JVM's exit
            failure = new AssertionError("took more than " + TIMEOUT_SECONDS + " s (the time bound of one input)");
        } catch (ExecutionException e) {
            failure = e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        }
        throw failed(target, g, inputSeed, index, show, input, failure);
    }

    private static <T> AssertionError failed(String target, Generator<T> g, long inputSeed, int index, Show<T> show,
                                             T input, Throwable failure) {
        String text = show.text(input);
        String replay = "-Dfuzz.replay=" + g.name() + ":" + inputSeed;
        String saved;
        try {
            Files.createDirectories(FAILURES);
            String base = target + "-" + g.name() + "-" + Long.toUnsignedString(inputSeed);
            Path txt = FAILURES.resolve(base + ".txt");
            Files.writeString(txt, "target " + target + ", generator " + g.name() + ", master seed " + SEED
                    + ", input seed " + inputSeed + " (" + replay + ")\n" + failure + "\n\n" + text + "\n");
            Files.write(FAILURES.resolve(base + ".input"), show.bytes(input));
            saved = txt.toAbsolutePath().toString();
        } catch (IOException | UncheckedIOException e) {
            saved = "(not saved: " + e + ")";
        }
        return new AssertionError("fuzz target " + target + ", generator " + g.name() + ", input " + (index + 1)
                + " failed (master seed " + SEED + ", input seed " + inputSeed + "; replay with " + replay
                + "; input saved to " + saved + "):\n" + failure + "\ninput: " + abbreviate(text, 2000), failure);
    }

    /** Java-escaped text: controls, non-ASCII and lone surrogates as \\uXXXX, so a message shows them. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\\') {
                sb.append("\\\\");
            } else if (c >= 0x20 && c < 0x7f) {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    /** The head and tail of a long text, with the length between. */
    public static String abbreviate(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        return s.substring(0, max / 2) + " …(" + (s.length() - max) + " more chars)… "
                + s.substring(s.length() - max / 2);
    }

    /** Uniform pick. */
    public static <E> E pick(Random r, List<E> from) {
        return from.get(r.nextInt(from.size()));
    }

    private static ExecutorService watchdogThread(String target) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + target);
            t.setDaemon(true);
            return t;
        });
    }

    private static long seed(String s) {
        if (s == null || s.isBlank()) {
            return CI_SEED;
        }
        if (s.equalsIgnoreCase("random")) {
            return new SecureRandom().nextLong();
        }
        return Long.parseLong(s.strip());
    }
}
