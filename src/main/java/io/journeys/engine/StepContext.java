package io.journeys.engine;

import io.journeys.avro.InstanceState;
import io.journeys.expr.JsonValues;
import io.journeys.expr.Variables;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** What a step processor may see and do while one instance runs at one instant. */
final class StepContext {

    private final String profileId;
    private final CompiledJourney journey;
    private final InstanceState instance;
    private final Instant now;
    private final Supplier<Map<String, Object>> profile;
    private final Emitter emitter;
    private Variables variables;

    StepContext(String profileId, CompiledJourney journey, InstanceState instance, Instant now, Supplier<Map<String, Object>> profile,
            Emitter emitter) {
        this.profileId = profileId;
        this.journey = journey;
        this.instance = instance;
        this.now = now;
        this.profile = profile;
        this.emitter = emitter;
    }

    String profileId() {
        return profileId;
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

    /** Expression variables of this instance: its entry event, the profile as it is now, the journey, now. */
    Variables variables() {
        if (variables == null) {
            Map<String, Object> journeyValues = new LinkedHashMap<>();
            journeyValues.put("id", journey.id());
            journeyValues.put("version", (long) journey.version());
            journeyValues.put("instanceId", instance.getInstanceId());
            journeyValues.put("entryTime", Instant.ofEpochMilli(instance.getEnteredAt()));
            journeyValues.put("results", Map.of());
            variables = Variables.inZone(journey.journey().timeZone())
                    .event(instance.getEntryEventType(), Instant.ofEpochMilli(instance.getEntryEventTime()),
                            JsonValues.objectFromText(instance.getEntryEventData()))
                    .profile(profile.get())
                    .journey(journeyValues)
                    .now(now);
        }
        return variables;
    }

    /** A request id unique to this visit of this step by this instance, and the same on every replay. */
    String requestId(String stepId) {
        return Ids.of(instance.getInstanceId(), stepId, instance.getVisits());
    }
}
