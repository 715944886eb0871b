package io.ekslookout.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Dummy AWS keys (moto accepts any) as the SDK's system properties for each test, cleared after it: the CLI's default
 * credential chain reads these first, so the CLI run in process signs its calls to the moto server without touching the machine's own credentials.
 */
public final class MotoCredentials implements BeforeEachCallback, AfterEachCallback {
    @Override
    public void beforeEach(ExtensionContext context) {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }
}
