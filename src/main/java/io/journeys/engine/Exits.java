package io.journeys.engine;

import io.journeys.avro.InstanceState;
import io.journeys.dsl.Journey;
import io.journeys.expr.Evaluation;
import io.journeys.expr.Variables;
import java.time.Instant;
import java.util.List;

/** Exit criteria: an event (with an optional {@code when}) or leaving an audience ends an instance wherever it is. */
final class Exits {

    private final JourneyCatalog catalog;
    private final InstanceLifecycle lifecycle;

    Exits(JourneyCatalog catalog, InstanceLifecycle lifecycle) {
        this.catalog = catalog;
        this.lifecycle = lifecycle;
    }

    /** Ends every live instance that this event is an exit criterion of (the first criterion that holds). */
    void exitOn(ArrivingEvent event, Instant now, ProfileUnit unit) {
        for (InstanceState instance : unit.liveInstancesReactingTo(event.type())) {
            CompiledJourney journey = catalog.version(instance.getJourneyId(), instance.getJourneyVersion());
            if (journey == null) {
                continue;
            }
            List<Journey.ExitCriterion> exits = journey.journey().exits();
            for (int i = 0; i < exits.size(); i++) {
                if (!event.type().equals(exits.get(i).event())) {
                    continue;
                }
                if (journey.exitWhen(i) != null) {
                    StepContext context = new StepContext(journey, instance, now, unit, unit.emitter());
                    Variables variables = context.variables().withEvent(event.type(), event.time(), event.payload());
                    Evaluation<Boolean> holds = journey.exitWhen(i).evaluateBoolean(variables);
                    if (holds.failed()) {
                        lifecycle.end(instance, journey, now, StepStatus.ERROR, ErrorCodes.of(holds.failure()),
                                ExpressionFailures.message("/exit/" + i + "/when", holds.failure()), unit);
                        break;
                    }
                    if (!holds.value()) {
                        continue;
                    }
                }
                lifecycle.end(instance, journey, now, StepStatus.EXITED, null,
                        "exit criterion " + i + " (" + event.type() + ")", unit);
                break;
            }
        }
    }

    /** The profile left an audience: instances of journeys that exit on leaving it exit. */
    void exitOnLeaving(String audienceId, Instant now, ProfileUnit unit) {
        for (InstanceState instance : unit.liveInstances()) {
            CompiledJourney journey = catalog.version(instance.getJourneyId(), instance.getJourneyVersion());
            if (journey != null && journey.journey().exits().stream()
                    .anyMatch(exit -> audienceId.equals(exit.audienceExit()))) {
                lifecycle.end(instance, journey, now, StepStatus.EXITED, null, "left audience " + audienceId, unit);
            }
        }
    }
}
