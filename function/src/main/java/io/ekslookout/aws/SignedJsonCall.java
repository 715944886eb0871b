package io.ekslookout.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A SigV4-signed JSON POST to an AWS REST-JSON API, with the SDK's own signer, HTTP client and credentials (those of
 * {@link AwsClients}: region, endpoint override, profile). For an API the project calls once and whose SDK module
 * would cost more jar than it is worth (Security Hub: 9 MB, EventBridge: 0.9 MB even trimmed to PutEvents, against
 * the Lambda jar's 12 MB limit); the caller builds the body and reads the answer.
 */
public final class SignedJsonCall {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AwsClients clients;
    private final String service;
    private SdkHttpClient http;
    private software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials;

    /** An answer: HTTP status, body, and the AWS error type header (null on success). */
    public record Response(int status, String body, String errorType) {
        /** Throttled or a server error: worth another attempt. */
        public boolean retryable() {
            return status == 429 || status >= 500
                    || (errorType != null && (errorType.contains("Throttl") || errorType.contains("TooManyRequests")));
        }

        /** An error in one line: status, AWS error code and message. */
        public String errorText() {
            String code = errorType == null ? null : errorType.split(":", 2)[0];
            String message = null;
            try {
                JsonNode n = JSON.readTree(body == null ? "" : body);
                if (n != null) {
                    message = n.hasNonNull("Message") ? n.get("Message").asText()
                            : n.hasNonNull("message") ? n.get("message").asText() : null;
                    if (code == null && n.hasNonNull("Code")) {
                        code = n.get("Code").asText();
                    }
                }
            } catch (IOException notJson) {
                message = body == null ? null : body.strip();
            }
            if (message != null && message.length() > 300) {
                message = message.substring(0, 300) + "…";
            }
            return "HTTP " + status + (code == null ? "" : " " + code) + (message == null ? "" : ": " + message);
        }
    }

    public SignedJsonCall(AwsClients clients, String service) {
        this.clients = clients;
        this.service = service;
    }

    /** The service's endpoint: the override when given, else https://SERVICE.REGION.amazonaws.com(.cn). */
    URI endpoint(String region) {
        if (clients.endpoint() != null) {
            return clients.endpoint();
        }
        String suffix = region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
        return URI.create("https://" + service + "." + region + "." + suffix);
    }

    /** An answer's JSON body; an empty object for an empty or unreadable body (the caller then sees no entries). */
    static JsonNode json(String body) {
        try {
            return body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (java.io.IOException e) {
            return JSON.createObjectNode();
        }
    }

    /** A REST-JSON POST (Security Hub). */
    public Response post(String path, byte[] body) {
        return post(path, null, "application/json", body);
    }

    /** An AWS JSON 1.1 call: POST / with the X-Amz-Target header naming the operation (EventBridge). */
    public Response target(String target, byte[] body) {
        return post("/", target, "application/x-amz-json-1.1", body);
    }

    /** An AWS JSON 1.0 call (DynamoDB): POST / with the X-Amz-Target header naming the operation. */
    public Response target10(String target, byte[] body) {
        return post("/", target, "application/x-amz-json-1.0", body);
    }

    private Response post(String path, String target, String contentType, byte[] body) {
        String region = clients.regionName();
        if (region == null) {
            throw SdkClientException.create("Unable to load region: give --region or set AWS_REGION");
        }
        URI base = endpoint(region);
        SdkHttpRequest.Builder rb = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
                .uri(base.resolve(path))
                .putHeader("Content-Type", contentType)
                .putHeader("Content-Length", String.valueOf(body.length));
        if (target != null) {
            rb.putHeader("X-Amz-Target", target);
        }
        SdkHttpRequest request = rb.build();
        AwsCredentialsIdentity identity = credentials().resolveCredentials();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request)
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        try {
            HttpExecuteResponse resp = http().prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(ContentStreamProvider.fromByteArray(body)))
                    .build()).call();
            String text = "";
            if (resp.responseBody().isPresent()) {
                try (InputStream in = resp.responseBody().get()) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            int status = resp.httpResponse().statusCode();
            String type = status >= 300 ? resp.httpResponse().firstMatchingHeader("x-amzn-ErrorType").orElse(null)
                    : null;
            return new Response(status, text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(service + " " + path + " at " + base + ": " + e.getMessage(), e);
        }
    }

    /** One provider for the life of this call object (the default chain caches what it resolved). */
    private synchronized software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials() {
        if (credentials == null) {
            credentials = clients.credentialsProvider();
        }
        return credentials;
    }

    private synchronized SdkHttpClient http() {
        if (http == null) {
            http = UrlConnectionHttpClient.builder().socketTimeout(clients.callTimeout())
                    .connectionTimeout(java.time.Duration.ofSeconds(10)).build();
        }
        return http;
    }
}
