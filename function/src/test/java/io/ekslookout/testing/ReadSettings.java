package io.ekslookout.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Restores the parallel read's settings (system properties a test sets to force small files through it) after each
 * test, so no other test reads in a way it did not ask for: {@code @ExtendWith(ReadSettings.class)}.
 */
public final class ReadSettings implements BeforeEachCallback, AfterEachCallback {
    private static final List<String> KEYS = List.of("ekslookout.readThreads", "ekslookout.chunkBytes",
            "ekslookout.parallelMinBytes");
    private final Map<String, String> before = new HashMap<>();

    @Override
    public void beforeEach(ExtensionContext context) {
        KEYS.forEach(k -> before.put(k, System.getProperty(k)));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        before.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }
}
