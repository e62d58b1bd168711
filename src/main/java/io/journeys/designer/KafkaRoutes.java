package io.journeys.designer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.dsl.DefinitionParser;
import io.journeys.dsl.Problem;
import io.journeys.job.DefinitionPublisher;
import io.journeys.report.ReportJson;
import java.time.Duration;
import java.util.List;

/**
 * What the designer does with Kafka ({@code --bootstrap-servers}): publishes a document to the definitions
 * topic, where the running job picks it up, and serves the live counts of the step-events topic.
 */
final class KafkaRoutes {

    static final String PUBLISH = "/api/publish";
    static final String LIVE = "/api/live";
    /** How long {@code GET /api/live?since=N} waits for newer counts: below the usual proxies' and browsers' idle limits. */
    static final Duration LONG_POLL = Duration.ofSeconds(25);

    private final FolderValidation validation;
    private final DefinitionPublisher publisher;
    private final String definitionsTopic;
    private final int maxSteps;
    private final LiveCounts live;

    KafkaRoutes(FolderValidation validation, DefinitionPublisher publisher, String definitionsTopic, int maxSteps,
            LiveCounts live) {
        this.validation = validation;
        this.publisher = publisher;
        this.definitionsTopic = definitionsTopic;
        this.maxSteps = maxSteps;
        this.live = live;
    }

    void register(Router router) {
        router.on("POST", PUBLISH, this::publish).on("GET", LIVE, this::live);
    }

    /** Without Kafka both answer 404, saying why, so the page can tell "not started with Kafka" from a typo. */
    static void registerUnavailable(Router router) {
        Router.Handler unavailable = request -> {
            throw ApiException.notFound("Publishing and live counts need Kafka: start the designer with "
                    + "--bootstrap-servers HOST:PORT");
        };
        router.on("POST", PUBLISH, unavailable).on("GET", LIVE, unavailable);
    }

    /**
     * Validates the body as {@code POST /api/validate} does ({@code ?file=NAME} too), then publishes it; answers
     * {@code {"published": {kind, id, version}, "topic"}} or 400 with the problems.
     */
    private Answer publish(Request request) throws Exception {
        String text = request.bodyText();
        String replacing = FolderValidation.replacedFile(request);
        List<Problem> problems = validation.validate(text, replacing);
        if (!problems.isEmpty()) {
            ObjectNode answer = Answer.errorBody(problems.size() + " problem(s); nothing was published");
            answer.set("problems", ProblemsJson.array(problems));
            return Answer.json(400, answer);
        }
        DefinitionParser.Definition definition = DefinitionParser.parse(text, maxSteps);
        ObjectNode published = Answer.JSON.createObjectNode();
        try {
            if (definition.isAction()) {
                publisher.publishActions(List.of(definition.action().action()));
                published.put("kind", "action").put("id", definition.action().action().id())
                        .put("version", definition.action().action().version());
            } else if (definition.isRules()) {
                publisher.publishRules(List.of(definition.rules().rules()));
                published.put("kind", "rules").put("id", definition.rules().rules().id())
                        .put("version", definition.rules().rules().version());
            } else {
                publisher.publish(List.of(definition.journey().journey()));
                published.put("kind", "journey").put("id", definition.journey().journey().id())
                        .put("version", definition.journey().journey().version());
                live.published(definition.journey().journey());
            }
        } catch (Exception e) {
            throw new ApiException(502, "Expected to publish to " + definitionsTopic + ", but could not: "
                    + Failures.describe(e));
        }
        ObjectNode answer = Answer.JSON.createObjectNode();
        answer.set("published", published);
        answer.put("topic", definitionsTopic);
        return Answer.ok(answer);
    }

    /**
     * {@code {"events": N, "report": report.json, "warning": null | "..."}}: the counts after N distinct step
     * events ({@code warning} says why they may be stale). With {@code ?since=N} it waits for counts of more than
     * N events and answers the same counts when none came; {@code &wait=S} waits at most S seconds (0 to 25,
     * default 25). Before the first counts (the topic is read from its beginning) it waits for them as long;
     * 503 when there are none by then.
     */
    private Answer live(Request request) throws Exception {
        long since = request.query("since") == null ? -1 : count("since", request.query("since"), Long.MAX_VALUE);
        long wait = request.query("wait") == null ? LONG_POLL.toSeconds()
                : count("wait", request.query("wait"), LONG_POLL.toSeconds());
        LiveCounts.Snapshot snapshot = live.newerThan(since, Duration.ofSeconds(wait));
        if (snapshot == null) {
            throw new ApiException(503, "No live counts yet: " + live.trouble());
        }
        ObjectNode answer = Answer.JSON.createObjectNode();
        answer.put("events", snapshot.events());
        answer.set("report", ReportJson.tree(snapshot.report()));
        answer.put("warning", live.trouble());
        return Answer.ok(answer);
    }

    private static long count(String name, String text, long most) throws ApiException {
        try {
            long value = Long.parseLong(text);
            if (value >= 0 && value <= most) {
                return value;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw ApiException.badRequest("Expected " + name + "=N with N from 0 to " + most + ", but got \"" + text + "\"");
    }
}
