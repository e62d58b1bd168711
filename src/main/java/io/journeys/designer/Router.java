package io.journeys.designer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Sends each request to the handler of its method and path, and turns every failure into the API's JSON
 * error: a refusal ({@link ApiException}) with its status, anything else as a 500 with its message, so that no
 * request, whatever it does, takes the server down or goes unanswered.
 */
final class Router implements HttpHandler {

    /** Handles one request; throws {@link ApiException} to refuse it. */
    @FunctionalInterface
    interface Handler {
        Answer handle(Request request) throws Exception;
    }

    /** A path, or a prefix followed by one segment that the handler gets as {@link Request#parameter}. */
    private record Route(String method, String path, boolean withParameter, Handler handler) {

        /** The parameter when the route takes this path (the path itself when it has none), else null. */
        String match(String requestPath) {
            if (!withParameter) {
                return requestPath.equals(path) ? requestPath : null;
            }
            return requestPath.startsWith(path) && requestPath.length() > path.length()
                    ? requestPath.substring(path.length()) : null;
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final LocalRequests local;
    private final int bodyLimit;
    private final Consumer<String> log;
    private final AtomicInteger inFlight = new AtomicInteger();

    Router(LocalRequests local, int bodyLimit, Consumer<String> log) {
        this.local = local;
        this.bodyLimit = bodyLimit;
        this.log = log;
    }

    Router on(String method, String path, Handler handler) {
        routes.add(new Route(method, path, false, handler));
        return this;
    }

    /** A route of {@code prefix} + one segment, e.g. {@code /api/documents/} + a file name. */
    Router onParameter(String method, String prefix, Handler handler) {
        routes.add(new Route(method, prefix, true, handler));
        return this;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try (exchange) {
            send(exchange, answer(exchange));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Whether no request is being answered: the JDK's server waits out its whole stop delay even then. */
    boolean idle() {
        return inFlight.get() == 0;
    }

    private Answer answer(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath(); // decoded: %2F is a slash, which no file name holds
        try {
            String refusal = local.refusal(exchange);
            if (refusal != null) {
                throw ApiException.forbidden(refusal);
            }
            TreeSet<String> allowed = new TreeSet<>();
            for (Route route : routes) {
                String parameter = path == null ? null : route.match(path);
                if (parameter == null) {
                    continue;
                }
                if (route.method().equals(method)) {
                    return route.handler().handle(new Request(exchange, route.withParameter() ? parameter : null,
                            bodyLimit));
                }
                allowed.add(route.method());
            }
            if (!allowed.isEmpty()) {
                exchange.getResponseHeaders().set("Allow", String.join(", ", allowed));
                throw new ApiException(405, "Expected " + String.join(" or ", allowed) + " on " + path
                        + ", but got " + method);
            }
            throw ApiException.notFound("Expected one of the API's paths (see GET /), but got " + path);
        } catch (ApiException e) {
            return Answer.error(e.status(), e.getMessage());
        } catch (Exception | LinkageError | StackOverflowError e) {
            String message = Failures.describe(e);
            log.accept("designer: " + method + " " + path + " failed: " + message);
            return Answer.error(500, message);
        }
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store"); // documents change under the page
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        byte[] body = answer.body();
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
