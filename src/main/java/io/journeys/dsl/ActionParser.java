package io.journeys.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an action definition and checks it completely, like {@link JourneyParser}: every problem at once,
 * each with a code and a JSON pointer.
 *
 * <pre>{@code
 * ActionParser.Result result = ActionParser.parse(Files.readString(Path.of("crm-lookup.json")));
 * }</pre>
 */
public final class ActionParser extends DocumentReader {

    /** The result: the definition when there is no problem. */
    public record Result(ActionDefinition action, List<Problem> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** {@code ${env:NAME}} or {@code ${file:PATH}}. */
    public static final Pattern SECRET_REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");
    private static final Pattern ANY_REFERENCE = Pattern.compile("\\$\\{[^}]*}");
    /** Headers whose value is a credential: it must come from a reference. */
    private static final Pattern CREDENTIAL_HEADER =
            Pattern.compile("(?i)authorization|proxy-authorization|cookie|.*(token|secret|key|password|auth).*");

    private static final Set<String> FIELDS = Set.of("kind", "id", "version", "name", "description", "method", "url",
            "headers", "timeout", "retries", "capping", "throttling", "maxResponseBytes");

    private ActionParser() {}

    public static Result parse(String document) {
        return new ActionParser().read(document);
    }

    /** The {@code {name}} placeholders of a URL template, in order. */
    public static List<String> placeholders(String url) {
        List<String> names = new java.util.ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(url);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private Result read(String document) {
        JsonNode root = readRoot(document);
        if (root == null) {
            return new Result(null, List.copyOf(problems));
        }
        unknownFields(root, "", FIELDS);
        requiredString(root, "", "kind").filter(kind -> !kind.equals("action")).ifPresent(kind ->
                problem(ProblemCode.UNKNOWN_KIND, "/kind", "Expected kind \"action\", but found \"" + kind + "\""));
        String id = requiredString(root, "", "id").orElse(null);
        if (id != null && !ID.matcher(id).matches()) {
            problem(ProblemCode.BAD_ID, "/id", "Expected an id matching [a-z0-9][a-z0-9._-]{0,63}, but found \""
                    + id + "\"");
        }
        int version = (int) wholeNumber(root, "", "version", 1, Integer.MAX_VALUE, null, ProblemCode.BAD_VERSION);
        optionalString(root, "", "name");
        optionalString(root, "", "description");
        String method = requiredString(root, "", "method").map(m -> m.toUpperCase(Locale.ROOT)).orElse(null);
        if (method != null && !METHODS.contains(method)) {
            problem(ProblemCode.BAD_METHOD, "/method", "Expected one of " + new java.util.TreeSet<>(METHODS)
                    + ", but found \"" + method + "\"");
        }
        String url = requiredString(root, "", "url").orElse(null);
        if (url != null) {
            checkUrl(url);
        }
        Map<String, String> headers = readHeaders(root.get("headers"));
        Duration timeout = optionalString(root, "", "timeout")
                .flatMap(text -> duration(text, "/timeout", ActionDefinition.LONGEST_TIMEOUT))
                .orElse(ActionDefinition.DEFAULT_TIMEOUT);
        int retries = (int) wholeNumber(root, "", "retries", 0, ActionDefinition.MOST_RETRIES,
                (long) ActionDefinition.DEFAULT_RETRIES, ProblemCode.BAD_LIMIT);
        int maxCallsPerMinute = limitObject(root, "capping", "maxCallsPerMinute");
        int maxConcurrent = limitObject(root, "throttling", "maxConcurrent");
        int maxResponseBytes = (int) wholeNumber(root, "", "maxResponseBytes", 1, ActionDefinition.LARGEST_RESPONSE_BYTES,
                (long) ActionDefinition.DEFAULT_MAX_RESPONSE_BYTES, ProblemCode.BAD_LIMIT);
        if (!problems.isEmpty()) {
            return new Result(null, List.copyOf(problems));
        }
        return new Result(new ActionDefinition(id, version, method, url, headers, timeout, retries, maxCallsPerMinute,
                maxConcurrent, maxResponseBytes, document), List.of());
    }

    private void checkUrl(String url) {
        for (String name : placeholders(url)) {
            if (!PARAM_NAME.matcher(name).matches()) {
                problem(ProblemCode.BAD_URL, "/url", "Expected placeholders such as {customerId}, but found {" + name + "}");
            }
        }
        try {
            URI uri = new URI(PLACEHOLDER.matcher(url).replaceAll("x"));
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                problem(ProblemCode.BAD_URL, "/url", "Expected an http or https URL with a host, but found \"" + url + "\"");
            } else if (authorityOf(url).contains("{")) {
                // a param must never choose where a request goes
                problem(ProblemCode.BAD_URL, "/url", "Expected placeholders in the path or query only, not in the host");
            }
        } catch (URISyntaxException e) {
            problem(ProblemCode.BAD_URL, "/url", "Expected a URL, but \"" + url + "\" does not parse: " + e.getReason());
        }
    }

    /** What follows "scheme://" up to the path, query or fragment. */
    private static String authorityOf(String url) {
        int start = url.indexOf("://") + 3;
        int end = start;
        while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
            end++;
        }
        return url.substring(start, end);
    }

    private Map<String, String> readHeaders(JsonNode node) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (node == null || !isObject(node, "/headers")) {
            return headers;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            String at = pointer("/headers", header.getKey());
            if (!header.getValue().isTextual()) {
                wrongType(at, "a string", header.getValue());
                continue;
            }
            String value = header.getValue().textValue();
            Matcher reference = ANY_REFERENCE.matcher(value);
            boolean referenced = false;
            while (reference.find()) {
                if (!SECRET_REFERENCE.matcher(reference.group()).matches()) {
                    problem(ProblemCode.SECRET_IN_DEFINITION, at,
                            "Expected ${env:NAME} or ${file:PATH}, but found " + reference.group());
                }
                referenced = true;
            }
            if (!referenced && CREDENTIAL_HEADER.matcher(header.getKey()).matches()) {
                // the value itself is not repeated: it may be the very secret
                problem(ProblemCode.SECRET_IN_DEFINITION, at, "Expected the credential of header " + header.getKey()
                        + " as ${env:NAME} or ${file:PATH}, but it is written into the definition");
            }
            headers.put(header.getKey(), value);
        }
        return headers;
    }

    /** {@code {"field": N}} under {@code object}, N ≥ 1; 0 when the object is absent. */
    private int limitObject(JsonNode root, String object, String field) {
        JsonNode node = root.get(object);
        if (node == null || !isObject(node, "/" + object)) {
            return 0;
        }
        unknownFields(node, "/" + object, Set.of(field));
        return (int) wholeNumber(node, "/" + object, field, 1, Integer.MAX_VALUE, null, ProblemCode.BAD_LIMIT);
    }

}
