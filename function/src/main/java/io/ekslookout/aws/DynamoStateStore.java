package io.ekslookout.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ekslookout.state.StateEntry;
import io.ekslookout.state.StateException;
import io.ekslookout.state.StateStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Alert state in a DynamoDB table (Lambda STATE_TABLE, CLI {@code --state-table NAME}): one item per fingerprint,
 * partition key {@value #KEY} (string). Each {@link StateStore} step is one {@code UpdateItem} with a
 * {@code ConditionExpression}, so racing runs agree: a window is counted once ({@code lastWindow <> :w}), a
 * notification is claimed once per period ({@code attribute_not_exists(lastNotified) OR lastNotified <= :cutoff}),
 * a release only undoes its own claim ({@code lastNotified = :claimed}). Times are epoch milliseconds, except
 * {@code expiresAt}, which is epoch seconds because that is what DynamoDB TTL reads.
 *
 * <p>The calls are {@link SignedJsonCall}s (DynamoDB_20120810, AWS JSON 1.0): the SDK's dynamodb module would add
 * megabytes to a Lambda jar that is near its 12 MB limit, for three operations. Needs {@code dynamodb:GetItem} and
 * {@code dynamodb:UpdateItem} on the table only.
 */
public final class DynamoStateStore implements StateStore {
    public static final String KEY = "fingerprint";
    static final int ATTEMPTS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Sends one DynamoDB operation's body and returns the answer. */
    public interface Transport {
        SignedJsonCall.Response call(String operation, byte[] body);
    }

    private final Transport transport;
    private final String table;

    public DynamoStateStore(Transport transport, String table) {
        this.transport = transport;
        this.table = table;
    }

    /** The store for the clients' region, endpoint and credentials. */
    public static DynamoStateStore of(AwsClients clients, String table) {
        SignedJsonCall call = new SignedJsonCall(clients, "dynamodb");
        return new DynamoStateStore((op, body) -> call.target10("DynamoDB_20120810." + op, body), table);
    }

    @Override
    public StateEntry observe(String fp, String ruleId, Instant windowEnd, Instant now, Instant expiresAt) {
        ObjectNode req = update(fp);
        req.put("UpdateExpression", "SET ruleId = :r, firstSeen = if_not_exists(firstSeen, :now), lastSeen = :now,"
                + " lastWindow = :w, expiresAt = :exp ADD #c :one");
        req.put("ConditionExpression", "attribute_not_exists(lastWindow) OR lastWindow <> :w");
        req.putObject("ExpressionAttributeNames").put("#c", "count");
        ObjectNode v = req.putObject("ExpressionAttributeValues");
        v.putObject(":r").put("S", ruleId);
        num(v, ":now", now.toEpochMilli());
        num(v, ":w", windowEnd.toEpochMilli());
        num(v, ":exp", expiresAt.getEpochSecond());
        num(v, ":one", 1);
        req.put("ReturnValues", "ALL_NEW");
        JsonNode r = call("UpdateItem", req);
        if (r == null) { // this window was counted already: read what is there
            ObjectNode get = JSON.createObjectNode();
            get.put("TableName", table);
            get.putObject("Key").putObject(KEY).put("S", fp);
            get.put("ConsistentRead", true);
            r = call("GetItem", get);
            return entry(r == null ? null : r.path("Item"));
        }
        return entry(r.path("Attributes"));
    }

    @Override
    public Claim claim(String fp, Instant now, Instant cutoff) {
        ObjectNode req = update(fp);
        req.put("UpdateExpression", "SET lastNotified = :now");
        req.put("ConditionExpression", "attribute_not_exists(lastNotified) OR lastNotified <= :cutoff");
        ObjectNode v = req.putObject("ExpressionAttributeValues");
        num(v, ":now", now.toEpochMilli());
        num(v, ":cutoff", cutoff.toEpochMilli());
        req.put("ReturnValues", "UPDATED_OLD");
        JsonNode r = call("UpdateItem", req);
        if (r == null) {
            return new Claim(false, null);
        }
        return new Claim(true, time(r.path("Attributes").path("lastNotified")));
    }

    @Override
    public void release(String fp, Instant claimedAt, Instant previous) {
        ObjectNode req = update(fp);
        ObjectNode v = req.putObject("ExpressionAttributeValues");
        num(v, ":claimed", claimedAt.toEpochMilli());
        if (previous == null) {
            req.put("UpdateExpression", "REMOVE lastNotified");
        } else {
            req.put("UpdateExpression", "SET lastNotified = :prev");
            num(v, ":prev", previous.toEpochMilli());
        }
        req.put("ConditionExpression", "lastNotified = :claimed");
        call("UpdateItem", req); // null: a later run claimed it since; its claim stands
    }

    private ObjectNode update(String fp) {
        ObjectNode req = JSON.createObjectNode();
        req.put("TableName", table);
        req.putObject("Key").putObject(KEY).put("S", fp);
        return req;
    }

    private static void num(ObjectNode values, String name, long n) {
        values.putObject(name).put("N", Long.toString(n));
    }

    /** One call, retried when throttled; null when its condition did not hold. */
    JsonNode call(String op, ObjectNode req) {
        byte[] body = req.toString().getBytes(StandardCharsets.UTF_8);
        SignedJsonCall.Response r = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                r = transport.call(op, body);
            } catch (RuntimeException e) {
                throw new StateException("DynamoDB " + op + " on table " + table + ": "
                        + AwsErrors.describe(e, "DynamoDB").message(), e);
            }
            if (r.status() < 300) {
                try {
                    return r.body() == null || r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
                } catch (IOException e) {
                    throw new StateException("DynamoDB " + op + " on table " + table + ": an answer that is not JSON");
                }
            }
            if (conditionFailed(r)) {
                return null;
            }
            if (!r.retryable() || attempt == ATTEMPTS) {
                break;
            }
            try {
                Thread.sleep(100L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new StateException("DynamoDB " + op + " on table " + table + ": " + r.errorText());
    }

    static boolean conditionFailed(SignedJsonCall.Response r) {
        String t = r.errorType();
        if (t == null) {
            try {
                t = JSON.readTree(r.body() == null ? "" : r.body()).path("__type").asText("");
            } catch (IOException e) {
                t = "";
            }
        }
        return t != null && t.contains("ConditionalCheckFailed");
    }

    private static StateEntry entry(JsonNode item) {
        if (item == null || item.isMissingNode() || !item.isObject() || item.isEmpty()) {
            throw new StateException("DynamoDB: the state item was not found after it was written");
        }
        return new StateEntry(item.path("ruleId").path("S").asText(), time(item.path("firstSeen")),
                time(item.path("lastSeen")), item.path("count").path("N").asLong(0), time(item.path("lastNotified")),
                time(item.path("lastWindow")), item.path("expiresAt").has("N")
                ? Instant.ofEpochSecond(item.path("expiresAt").path("N").asLong()) : null);
    }

    private static Instant time(JsonNode attr) {
        return attr.has("N") ? Instant.ofEpochMilli(Long.parseLong(attr.path("N").asText())) : null;
    }
}
