package io.journeys.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.avro.ActionRequest;
import io.journeys.avro.HttpCall;
import io.journeys.avro.InstanceState;
import io.journeys.dsl.EntryType;
import io.journeys.dsl.RuleSet;
import io.journeys.expr.ExpressionMap;
import io.journeys.expr.JsonValues;
import io.journeys.expr.Variables;
import io.journeys.http.CallAnswers;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a step processor may see and do while one instance runs at one instant. */
final class StepContext {

    private final CompiledJourney journey;
    private final InstanceState instance;
    private final Instant now;
    private final ProfileSession profile;
    private final Emitter emitter;
    private Variables variables;

    StepContext(CompiledJourney journey, InstanceState instance, Instant now, ProfileSession profile, Emitter emitter) {
        this.journey = journey;
        this.instance = instance;
        this.now = now;
        this.profile = profile;
        this.emitter = emitter;
    }

    String profileId() {
        return profile.profileId();
    }

    CompiledJourney journey() {
        return journey;
    }

    InstanceState instance() {
        return instance;
    }

    Instant now() {
        return now;
    }

    Emitter emitter() {
        return emitter;
    }

    ProfileSession profile() {
        return profile;
    }

    /** Expression variables of this instance: its entry event, the profile as it is now, the journey, now. */
    Variables variables() {
        if (variables == null) {
            Map<String, Object> entryData = profile.payload(instance.getEntryEventData());
            Instant entryTime = Instant.ofEpochMilli(instance.getEntryEventTime());
            Map<String, Object> journeyValues = new LinkedHashMap<>();
            journeyValues.put("id", journey.id());
            journeyValues.put("version", (long) journey.version());
            journeyValues.put("instanceId", instance.getInstanceId());
            journeyValues.put("entryTime", Instant.ofEpochMilli(instance.getEnteredAt()));
            journeyValues.put("entry", ExpressionMap.of(Map.of("type", instance.getEntryEventType(), "time", entryTime,
                    "data", entryData)));
            journeyValues.put("results", results());
            journeyValues.put("events", capturedEvents());
            Map<String, Object> attributes = profile.attributes();
            variables = Variables.inZone(zone(attributes))
                    .event(instance.getEntryEventType(), entryTime, entryData)
                    .profile(attributes)
                    .journey(journeyValues)
                    .eventCounter(profile.eventCounter())
                    .memberships(profile.memberships())
                    .now(now);
            if (journey.journey().entry().type() == EntryType.AUDIENCE) {
                variables.audience(entryData);
            }
        }
        return variables;
    }

    /** The rule set the journey follows, in its version at this instant, or null when it follows none. */
    RuleSet ruleSet() {
        String ruleSetId = journey.journey().rules();
        return ruleSetId == null ? null : profile.ruleSet(ruleSetId, now);
    }

    /** Keeps a call's or a cap's answer for {@code journey.results}; later expressions see it. */
    void keepResult(String stepId, String answer) {
        instance.getResults().put(stepId, answer);
        variables = null;
    }

    /** Keeps the event an await took, for {@code journey.events}; later expressions see it. */
    void keepCaptured(String stepId, String capturedEvent) {
        instance.getCaptured().put(stepId, capturedEvent);
        variables = null;
    }

    /** Sets the profile's attributes at once (a null value removes one); later expressions see them. */
    void setAttributes(ObjectNode attributes) {
        try {
            profile.setAttributes(attributes);
        } catch (Exception e) {
            throw new IllegalStateException("Expected to write the profile state, but could not", e);
        }
        variables = null;
    }

    /** The journey's time zone, or the profile's {@code timeZone} attribute where the journey asks for it. */
    private ZoneId zone(Map<String, Object> attributes) {
        ZoneId journeyZone = journey.journey().timeZone();
        if (!journey.journey().useProfileTimeZone() || !(attributes.get("timeZone") instanceof String name)) {
            return journeyZone;
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException notAZone) {
            return journeyZone;
        }
    }

    /** Answers of the calls and caps this instance made, by step id. */
    private Map<String, Object> results() {
        if (instance.getResults().isEmpty()) {
            return ExpressionMap.empty();
        }
        return ExpressionMap.of(new ResultsOnUse(instance.getResults()));
    }

    private Map<String, Object> capturedEvents() {
        if (instance.getCaptured().isEmpty()) {
            return ExpressionMap.empty(); // what ExpressionMap.of gives an empty map, without building one
        }
        Map<String, Object> events = new LinkedHashMap<>();
        instance.getCaptured().forEach((stepId, json) -> {
            Map<String, Object> captured = new LinkedHashMap<>(JsonValues.objectFromText(json));
            captured.computeIfPresent("time", (k, time) -> Instant.parse((String) time));
            events.put(stepId, ExpressionMap.of(captured));
        });
        return ExpressionMap.of(events);
    }

    /**
     * Sends an action request from a step: its request id is kept on the instance (awaits, calls and caps
     * match answers by it) and returned.
     */
    String sendRequest(String stepId, String channel, String template, String params, HttpCall call) {
        String requestId = recordRequest(stepId);
        emitter.action(new ActionRequest(requestId, instance.getJourneyId(),
                instance.getJourneyVersion(), instance.getInstanceId(), stepId, profileId(), channel, template, params,
                now.toEpochMilli(), call));
        return requestId;
    }

    /** The request id of this visit of a step; the visit is kept on the instance so that its answer can be matched. */
    String recordRequest(String stepId) {
        instance.getRequestVisits().put(stepId, instance.getVisits());
        return requestId(stepId);
    }

    /** The id of the last request {@code stepId} of this instance sent, or null when it sent none. */
    String sentRequestId(String stepId) {
        Integer visit = instance.getRequestVisits().get(stepId);
        return visit == null ? null : Ids.within(instance.getInstanceId(), stepId, visit, null);
    }

    /** Whether the event is the answer (on action-results) to the request this step of the instance sent. */
    boolean isAnswerTo(String stepId, ArrivingEvent event) {
        String sent = sentRequestId(stepId);
        return event.type().equals(CallAnswers.RESULT_EVENT) && sent != null
                && sent.equals(event.event().getRequestId());
    }

    /** A request id unique to this visit of this step by this instance, and the same on every replay. */
    String requestId(String stepId) {
        return Ids.within(instance.getInstanceId(), stepId, instance.getVisits(), null);
    }
}
