package io.journeys.designer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The router on a real server: a handler that fails is a JSON 500 with its message, and the server goes on. */
class RouterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Router router = new Router(new LocalRequests(server.getAddress().getPort()), 1024, log::add)
                .on("GET", "/fails", request -> {
                    throw new IllegalStateException("the run broke", new ArithmeticException("/ by zero"));
                })
                .on("GET", "/overflows", request -> overflow(1))
                .on("GET", "/refuses", request -> {
                    throw new ApiException(409, "not now");
                })
                .on("GET", "/works", request -> Answer.ok(JSON.createObjectNode().put("ok", true)));
        server.createContext("/", router);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void shouldAnswerAFailureAsA500WithItsMessageAndGoOnServing() throws Exception {
        HttpResponse<String> failed = get("/fails");

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(failed.body()).get("error").asText())
                .isEqualTo("IllegalStateException: the run broke: ArithmeticException: / by zero");
        assertThat(log).singleElement().asString().contains("GET /fails", "the run broke");
        assertThat(get("/overflows").statusCode()).isEqualTo(500);
        assertThat(get("/works").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerARefusalWithItsStatus() throws Exception {
        HttpResponse<String> refused = get("/refuses");

        assertThat(refused.statusCode()).isEqualTo(409);
        JsonNode body = JSON.readTree(refused.body());
        assertThat(body.toString()).isEqualTo("{\"error\":\"not now\"}");
        assertThat(log).isEmpty();
    }

    private static Answer overflow(int depth) {
        return overflow(depth + 1);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
