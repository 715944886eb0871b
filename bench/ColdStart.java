import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Cold start of the Lambda handler in a fresh JVM, from the shaded jar: how long the handler's constructor takes
 * (configuration, rules, SDK clients: the Lambda "init" phase after the JVM is up) and the first invocation.
 * Run by bench/cold-start.sh against a local moto server; prints one JSON line.
 */
public final class ColdStart {
    public static void main(String[] args) throws Exception {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long mainAt = System.currentTimeMillis();
        long t0 = System.nanoTime();
        Class<?> type = Class.forName("io.ekslookout.lambda.Handler");
        Object handler = type.getConstructor().newInstance();
        long t1 = System.nanoTime();
        Class<?> context = Class.forName("com.amazonaws.services.lambda.runtime.Context");
        Method handle = type.getMethod("handleRequest", InputStream.class, OutputStream.class, context);
        String event = "{\"detail-type\":\"Scheduled Event\",\"time\":\"" + Instant.now() + "\"}";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handle.invoke(handler, new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        long t2 = System.nanoTime();
        System.out.println("{\"jvmToMainMs\":" + (mainAt - jvmStart) + ",\"initMs\":" + (t1 - t0) / 1_000_000
                + ",\"firstInvokeMs\":" + (t2 - t1) / 1_000_000 + ",\"response\":"
                + out.toString(StandardCharsets.UTF_8) + "}");
    }
}
