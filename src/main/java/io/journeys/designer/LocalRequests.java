package io.journeys.designer;

import com.sun.net.httpserver.HttpExchange;
import java.util.Locale;
import java.util.Set;

/**
 * Lets in only requests meant for this server by a page of this server. Listening on 127.0.0.1 keeps other
 * machines out, but not other web pages open in the author's browser: a page elsewhere may POST to
 * 127.0.0.1 (a form or a "simple" request needs no CORS preflight), or reach it through a domain that resolves
 * to 127.0.0.1 (DNS rebinding). The Host header names this server in both legitimate cases, and a browser
 * sends Origin with every cross-origin request and every POST or PUT.
 */
final class LocalRequests {

    private final Set<String> hosts;
    private final Set<String> origins;

    LocalRequests(int port) {
        this.hosts = Set.of("127.0.0.1:" + port, "localhost:" + port);
        this.origins = Set.of("http://127.0.0.1:" + port, "http://localhost:" + port);
    }

    /** Why the request is refused, or null when it may go on. */
    String refusal(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
            return "Expected a request to " + hosts + ", but its Host is " + host;
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin != null && !origins.contains(origin.toLowerCase(Locale.ROOT))) {
            return "Expected a request from this server's page, but it comes from " + origin;
        }
        return null;
    }
}
