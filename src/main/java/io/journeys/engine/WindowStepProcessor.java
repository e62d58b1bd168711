package io.journeys.engine;

import io.journeys.dsl.Step;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Goes on at once inside the step's weekly period, in the profile's zone (else the journey's) or a fixed one; else
 * parks until the period next opens. At the wake-up the period is checked again, so a profile that moved to
 * another zone meanwhile waits for its own opening.
 */
final class WindowStepProcessor implements StepProcessor<Step.Window> {

    @Override
    public StepOutcome run(Step.Window window, StepContext context) {
        Instant now = context.now();
        ZoneId zone = window.timeZone().zoneFor(context.profile().attributes(), context.journey().journey().timeZone());
        if (window.period().contains(now, zone)) {
            return StepOutcome.Next.to(window.next(), Step.Port.NEXT);
        }
        return new StepOutcome.Park(window.period().nextStartAfter(now, zone).toEpochMilli());
    }

    @Override
    public StepOutcome wakeUp(Step.Window window, StepContext context) {
        return run(window, context);
    }
}
