package io.journeys.designer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The designer's API as the page calls it: real HTTP requests to a running {@link DesignerServer}. */
final class DesignerClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    DesignerClient(DesignerServer server) {
        this.base = "http://127.0.0.1:" + server.port();
    }

    HttpResponse<byte[]> get(String path) {
        return send(request(path).GET());
    }

    HttpResponse<byte[]> put(String path, byte[] body) {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    HttpResponse<byte[]> post(String path, String body) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<byte[]> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request of a raw path: percent escapes stay as written, as a hostile client would send them. */
    HttpRequest.Builder request(String rawPath) {
        return HttpRequest.newBuilder(URI.create(base + rawPath)).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json");
    }

    static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(new String(response.body(), StandardCharsets.UTF_8), e);
        }
    }

    /** A JSON string of {@code text}, for request bodies. */
    static String quoted(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
