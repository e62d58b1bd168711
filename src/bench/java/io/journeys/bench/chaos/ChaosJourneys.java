package io.journeys.bench.chaos;

import io.journeys.dsl.ActionParser;
import io.journeys.dsl.JourneyParser;
import io.journeys.dsl.RulesParser;
import io.journeys.job.DefinitionPublisher;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The chaos run's documents (src/bench/resources/io/journeys/bench/chaos): the onboarding (cap, call, wait, send time, await,
 * updateProfile, condition, jump, exit), its sequel (experiment on a goal, a wait), an offer, their rule set (a
 * daily SMS cap) and the HTTP action. Each is a template: its version, the cap's limit, the await's timeout and
 * the service's URL are filled in, so that the run can republish them as version 2 half-way.
 */
final class ChaosJourneys {

    static final String ONBOARD = "chaos-onboard";
    static final String SEQUEL = "chaos-sequel";
    static final String OFFER = "chaos-offer";
    /** The steps of the journeys that send an action request (the call's included), each visited once per instance. */
    static final List<String> ACTION_STEPS = List.of("lookup", "welcome", "gold", "late", "overflowed", "bye", "code");

    private final int cap;
    private final String await;
    private final String url;

    ChaosJourneys(int cap, String await, String url) {
        this.cap = cap;
        this.await = await;
        this.url = url;
    }

    int cap() {
        return cap;
    }

    /** Publishes every document at {@code version}: the action and the rule set first, as the journeys name them. */
    void publish(String bootstrapServers, String topic, int version) throws Exception {
        DefinitionPublisher publisher = new DefinitionPublisher(bootstrapServers, topic);
        Map<String, String> values = Map.of("VERSION", String.valueOf(version), "CAP", String.valueOf(cap),
                "AWAIT", await, "URL", url);
        publisher.publishActions(List.of(ActionParser.parse(document("crm.json", values)).action()));
        publisher.publishRules(List.of(RulesParser.parse(document("rules.json", values)).rules()));
        publisher.publish(List.of(document("offer.json", values), document("sequel.json", values),
                document("onboard.json", values)).stream().map(text -> {
                    io.journeys.dsl.ParseResult parsed = JourneyParser.parse(text);
                    if (parsed.journey() == null) {
                        throw new IllegalStateException("Expected a valid chaos journey, but: " + parsed);
                    }
                    return parsed.journey();
                }).toList());
    }

    static String document(String name, Map<String, String> values) {
        try (InputStream in = ChaosJourneys.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Expected the resource " + name + " beside ChaosJourneys in the bench jar");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> value : values.entrySet()) {
                text = text.replace("${" + value.getKey() + "}", value.getValue());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
