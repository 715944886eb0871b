package io.ekslookout.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.export.EventEntries;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends finding events to an EventBridge bus with {@code PutEvents}, in the batches {@link EventEntries} makes
 * (10 entries, 256 KB). {@code PutEvents} can accept a call and still refuse some entries: each result entry is
 * checked, the entries refused for throttling or an internal failure are sent again (only those, up to
 * {@value #ATTEMPTS} attempts), and every entry that did not go out is reported with its rule, fingerprint and
 * EventBridge's error. A call that fails whole (after the same retries when it was throttled) fails its entries,
 * and the other batches are still sent.
 *
 * <p>The call is a {@link SignedJsonCall} ({@code AWSEvents.PutEvents}, AWS JSON 1.1): the SDK's eventbridge module
 * adds 0.9 MB to the Lambda jar even trimmed to this one operation, which would pass the jar's 12 MB limit.
 */
public final class EventBridgeSender {
    static final int ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Sends one PutEvents body and returns the answer. */
    public interface Transport {
        SignedJsonCall.Response putEvents(byte[] body);
    }

    /**
     * What was sent.
     *
     * @param sent      events EventBridge accepted
     * @param calls     PutEvents calls made (retries included)
     * @param failures  one line per event that did not go out
     * @param shortened one line per event sent with fewer rows to fit
     */
    public record Result(int sent, int calls, List<String> failures, List<String> shortened) {
        public Result {
            failures = List.copyOf(failures);
            shortened = List.copyOf(shortened);
        }
    }

    private final Transport transport;
    private final String busName;
    private final SecurityHubImporter.Sleeper sleeper;

    /** @param busName the bus name or ARN; null for the account's default bus */
    public EventBridgeSender(Transport transport, String busName, SecurityHubImporter.Sleeper sleeper) {
        this.transport = transport;
        this.busName = busName;
        this.sleeper = sleeper;
    }

    /** The sender for the clients' region, endpoint and credentials. */
    public static EventBridgeSender of(AwsClients clients, String busName) {
        SignedJsonCall call = new SignedJsonCall(clients, "events");
        return new EventBridgeSender(body -> call.target("AWSEvents.PutEvents", body), busName, Thread::sleep);
    }

    public Result send(List<EventEntries.Entry> entries) {
        int sent = 0;
        int calls = 0;
        List<String> failures = new ArrayList<>();
        List<String> shortened = new ArrayList<>();
        EventEntries.Batches b = EventEntries.batches(entries, busName);
        for (EventEntries.Entry e : b.tooLarge()) {
            failures.add(name(e) + ": not sent: larger than EventBridge's 256 KB even without rows");
        }
        for (List<EventEntries.Entry> batch : b.batches()) {
            List<EventEntries.Entry> pending = batch;
            for (int attempt = 1; attempt <= ATTEMPTS && !pending.isEmpty(); attempt++) {
                if (attempt > 1 && !sleeper.pause(200L << (attempt - 2))) {
                    pending.forEach(e -> failures.add(name(e) + ": not sent: interrupted"));
                    break;
                }
                calls++;
                SignedJsonCall.Response r;
                try {
                    r = transport.putEvents(body(pending));
                } catch (RuntimeException ex) {
                    String why = AwsErrors.describe(ex, "EventBridge").message();
                    pending.forEach(e -> failures.add(name(e) + ": not sent: " + why));
                    break;
                }
                if (r.status() >= 300) {
                    if (r.retryable() && attempt < ATTEMPTS) {
                        continue;
                    }
                    String why = r.errorText();
                    pending.forEach(e -> failures.add(name(e) + ": not sent: " + why));
                    break;
                }
                JsonNode results = SignedJsonCall.json(r.body()).path("Entries");
                List<EventEntries.Entry> retry = new ArrayList<>();
                for (int i = 0; i < pending.size(); i++) {
                    EventEntries.Entry e = pending.get(i);
                    JsonNode res = results.path(i);
                    String code = res.path("ErrorCode").asText(null);
                    if (code == null && res.hasNonNull("EventId")) {
                        sent++;
                        if (e.shortened() != null) {
                            shortened.add(name(e) + ": " + e.shortened());
                        }
                    } else if (retryable(code) && attempt < ATTEMPTS) {
                        retry.add(e);
                    } else {
                        failures.add(name(e) + ": not sent: " + (res.isMissingNode() ? "no result for the entry"
                                : code + ": " + res.path("ErrorMessage").asText("")));
                    }
                }
                pending = retry;
            }
        }
        return new Result(sent, calls, failures, shortened);
    }

    /** The PutEvents request body of some entries. */
    byte[] body(List<EventEntries.Entry> entries) {
        ObjectNode req = JSON.createObjectNode();
        ArrayNode arr = req.putArray("Entries");
        for (EventEntries.Entry e : entries) {
            ObjectNode o = arr.addObject();
            o.put("Source", EventEntries.SOURCE);
            o.put("DetailType", EventEntries.DETAIL_TYPE);
            o.put("Detail", e.detail());
            ArrayNode rs = o.putArray("Resources");
            e.resources().forEach(rs::add);
            if (busName != null) {
                o.put("EventBusName", busName);
            }
        }
        return req.toString().getBytes(StandardCharsets.UTF_8);
    }

    static boolean retryable(String code) {
        return code != null && (code.contains("Throttl") || code.contains("InternalFailure")
                || code.contains("InternalException"));
    }

    private static String name(EventEntries.Entry e) {
        return "finding " + e.ruleId() + " (" + e.fingerprint() + ")";
    }
}
