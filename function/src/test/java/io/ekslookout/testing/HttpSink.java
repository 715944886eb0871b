package io.ekslookout.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A local HTTP endpoint that records every request body and answers 200: an HTTPS subscriber of an SNS topic
 * standing in for AWS Chatbot in the moto tests.
 */
public final class HttpSink implements AutoCloseable {
    private final HttpServer server;
    private final List<String> delivered = Collections.synchronizedList(new ArrayList<>());

    public HttpSink() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", ex -> {
            delivered.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    /** The URL of {@code path} on this endpoint. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The request bodies received so far, in order. */
    public List<String> delivered() {
        return delivered;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
