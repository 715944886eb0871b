package io.ekslookout.query;

import java.util.Random;
import java.util.function.Function;

/**
 * Reproducible randomized testing with plain JUnit: {@code tries} inputs drawn from a generator, each from its own
 * {@code Random} whose seed derives from a fixed master seed. A failure names the master seed, the trial, the
 * trial's seed and the input, so it can be replayed ({@code new Random(trialSeed)} regenerates the input). The master
 * seed can be changed with {@code -Dquery.trials.seed=N} to explore further.
 */
final class Trials {
    static final long MASTER_SEED = Long.getLong("query.trials.seed", 0x5EED_1E55_0C7AL);

    @FunctionalInterface
    interface Property<T> {
        void check(T input) throws Exception;
    }

    private Trials() {
    }

    /** Runs {@code property} on {@code tries} inputs; {@code salt} keeps the input streams of two tests apart. */
    static <T> void forAll(String salt, int tries, Function<Random, T> generator, Property<T> property) {
        Random master = new Random(MASTER_SEED ^ salt.hashCode());
        for (int i = 0; i < tries; i++) {
            long trialSeed = master.nextLong();
            T input = generator.apply(new Random(trialSeed));
            try {
                property.check(input);
            } catch (Throwable t) {
                throw new AssertionError("trial " + (i + 1) + "/" + tries + " failed (master seed " + MASTER_SEED
                        + ", salt \"" + salt + "\", trial seed " + trialSeed + ") on input:\n" + input
                        + "\n" + t, t);
            }
        }
    }

    /** Uniform pick. */
    static <E> E pick(Random r, java.util.List<E> from) {
        return from.get(r.nextInt(from.size()));
    }
}
