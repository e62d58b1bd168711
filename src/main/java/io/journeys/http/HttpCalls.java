package io.journeys.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.avro.HttpCall;
import io.journeys.dsl.ActionDefinition;
import io.journeys.dsl.ActionParser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders the HTTP request of an action from its definition and a call's params: {@code {name}}
 * placeholders in the URL take the params of that name, URL-encoded; the other params form the JSON body
 * of a POST, PUT or PATCH, or the query string of a GET or DELETE.
 */
public final class HttpCalls {

    private HttpCalls() {}

    /** A param the URL needs is missing. */
    public static final class MissingParam extends Exception {
        MissingParam(String message) {
            super(message, null, false, false);
        }
    }

    public static HttpCall render(ActionDefinition action, ObjectNode params, boolean awaited) throws MissingParam {
        List<String> placeholders = ActionParser.placeholders(action.url());
        String url = action.url();
        for (String name : placeholders) {
            JsonNode value = params.get(name);
            if (value == null || value.isNull()) {
                throw new MissingParam("Expected param " + name + " for the URL of action " + action.id()
                        + ", but there is none");
            }
            url = url.replace("{" + name + "}", encode(value.isTextual() ? value.textValue() : value.toString()));
        }
        ObjectNode rest = params.deepCopy();
        rest.remove(placeholders);
        String body = null;
        if (action.sendsBody()) {
            body = rest.toString();
        } else if (!rest.isEmpty()) {
            StringBuilder query = new StringBuilder(url).append(url.contains("?") ? '&' : '?');
            for (Iterator<Map.Entry<String, JsonNode>> it = rest.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> param = it.next();
                JsonNode value = param.getValue();
                query.append(encode(param.getKey())).append('=')
                        .append(encode(value.isTextual() ? value.textValue() : value.toString()));
                if (it.hasNext()) {
                    query.append('&');
                }
            }
            url = query.toString();
        }
        return new HttpCall(action.id(), action.version(), action.method(), url, new HashMap<>(action.headers()), body,
                action.timeout().toMillis(), action.retries(), action.maxCallsPerMinute(), action.maxConcurrent(),
                action.maxResponseBytes(), awaited);
    }

    /**
     * How long a call step waits for its answer before it takes onTimeout: every attempt's timeout, the
     * backoff between attempts at its longest, and a minute for the answer's way back.
     */
    public static long answerWithinMillis(ActionDefinition action) {
        long attempts = action.retries() + 1L;
        long backoff = 0;
        for (int retry = 1; retry <= action.retries(); retry++) {
            backoff += Backoff.longestDelayMillis(retry);
        }
        return action.timeout().toMillis() * attempts + backoff + 60_000;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
