package io.journeys.engine;

import io.journeys.http.InlineCalls;
import io.journeys.sendtime.EngagementTypes;
import java.io.Serializable;
import java.util.List;

/**
 * What the journey processor is configured with.
 *
 * @param journeys journey documents, already validated
 * @param timeMode which clock drives waits
 * @param horizon in event time, the last instant to simulate (epoch ms); later timers and inputs are left alone
 * @param guardRails limits on journeys, profiles and inputs
 * @param inlineCalls in simulation, answers calls and caps at the instant their step runs; null in production,
 *     where answers come back on action-results
 * @param engagements which event types send-time optimisation learns from (job option sendTime.engagements)
 */
public record EngineSettings(List<String> journeys, TimeMode timeMode, long horizon, GuardRails guardRails,
        InlineCalls inlineCalls, EngagementTypes engagements) implements Serializable {

    public EngineSettings {
        journeys = List.copyOf(journeys);
        if (timeMode == null || guardRails == null || engagements == null) {
            throw new IllegalArgumentException("Expected a time mode, guard rails and engagement types, but found "
                    + timeMode + ", " + guardRails + ", " + engagements);
        }
    }

    public static EngineSettings eventTime(List<String> journeys) {
        return new EngineSettings(journeys, TimeMode.EVENT_TIME, Long.MAX_VALUE, GuardRails.DEFAULTS, null,
                EngagementTypes.DEFAULT);
    }

    public static EngineSettings processingTime(List<String> journeys) {
        return new EngineSettings(journeys, TimeMode.PROCESSING_TIME, Long.MAX_VALUE, GuardRails.DEFAULTS, null,
                EngagementTypes.DEFAULT);
    }

    public EngineSettings withHorizon(long horizon) {
        return new EngineSettings(journeys, timeMode, horizon, guardRails, inlineCalls, engagements);
    }

    public EngineSettings withGuardRails(GuardRails guardRails) {
        return new EngineSettings(journeys, timeMode, horizon, guardRails, inlineCalls, engagements);
    }

    public EngineSettings withInlineCalls(InlineCalls inlineCalls) {
        return new EngineSettings(journeys, timeMode, horizon, guardRails, inlineCalls, engagements);
    }

    public EngineSettings withEngagements(EngagementTypes engagements) {
        return new EngineSettings(journeys, timeMode, horizon, guardRails, inlineCalls, engagements);
    }
}
