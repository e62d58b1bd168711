package io.journeys.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.avro.InstanceState;
import io.journeys.avro.RuleLog;
import io.journeys.dsl.ActionDefinition;
import io.journeys.dsl.Channel;
import io.journeys.dsl.RuleSet;
import io.journeys.expr.EventCounter;
import io.journeys.http.InlineCalls;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/** What steps may read and change of the profile being handled, beyond their own instance. */
interface ProfileSession {

    String profileId();

    /** The profile's attributes as they are now. */
    Map<String, Object> attributes();

    /** The audiences the profile is a member of, for {@code inAudience}. */
    Set<String> memberships();

    /** A JSON object text (an event's payload) as expression values, parsed once however many steps read it. */
    Map<String, Object> payload(String json);

    /** Counts of the profile's recent events, for {@code countEvents}. */
    EventCounter eventCounter();

    /** Sets attributes at once (a null value removes one); later expressions see the new values. */
    void setAttributes(ObjectNode attributes) throws Exception;

    /** The highest published version of an action, or null when none is published. */
    ActionDefinition action(String actionId);

    /** The version of a rule set that applies at {@code now}, or null when it is not loaded. */
    RuleSet ruleSet(String ruleSetId, Instant now);

    /** What the caps of a rule set count for this profile, or null when nothing is counted yet. */
    RuleLog ruleLog(String ruleSetId);

    /** Counts an action request sent under the rule set's frequency caps. */
    void logDelivery(String ruleSetId, Instant at, Channel channel);

    /** Send-time optimisation: the chooser, and the population's engagement in simulation. */
    SendTimes sendTimes();

    /** When the profile engages, by kind ("email/opens"), or null when it never did. */
    io.journeys.avro.EngagementHours engagement(String kind);

    /** In simulation, what answers calls at once; null in production (answers come back on action-results). */
    InlineCalls inlineCalls();

    /** In simulation, the in-line counters of cap steps; null in production. */
    InlineCaps inlineCaps();

    /** In simulation, the in-line counters of experiment steps; null in production. */
    InlineExperiments inlineExperiments();

    /** In production, the experiments' winners as this subtask has heard of them. */
    ExperimentWinners experimentWinners();

    /**
     * Enters the profile into the highest live version of another journey at its start, with the entry
     * event of {@code from}; re-entry rules and guard rails apply. Whether it entered.
     */
    boolean enter(String journeyId, InstanceState from, Instant now) throws Exception;
}
