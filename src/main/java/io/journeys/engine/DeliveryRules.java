package io.journeys.engine;

import io.journeys.avro.Delivery;
import io.journeys.avro.RuleLog;
import io.journeys.dsl.Channel;
import io.journeys.dsl.RuleSet;
import io.journeys.dsl.Step;
import io.journeys.dsl.ZoneChoice;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The rules of a rule set on one action about to be sent: quiet hours first (hold it until they end, or end the
 * instance), then the frequency caps, counted exactly from the profile's own log at the instant of sending.
 * Every local time is read in the rule's zone for this profile, so "21:00" and "a day" are the profile's own.
 */
final class DeliveryRules {

    private DeliveryRules() {}

    /** What the rules decide for the action at {@code context.now()}: empty to send it, else what to do instead. */
    static Optional<StepOutcome> check(RuleSet rules, Step.Action action, StepContext context) {
        // the profile's zone is read once per action, not once per rule: ZoneId.of is a lookup of its own
        ZoneId profileZone = ZoneChoice.PROFILE.zoneFor(context.profile().attributes(), rules.fallbackTimeZone());
        Optional<StepOutcome> quiet = quietHours(rules, action, context, profileZone);
        return quiet.isPresent() ? quiet : frequency(rules, action, context, profileZone);
    }

    private static ZoneId zone(ZoneChoice choice, ZoneId profileZone) {
        return choice.isProfile() ? profileZone : choice.fixed();
    }

    /** Counts a sent action on the caps that cover its channel. */
    static void count(RuleSet rules, Step.Action action, StepContext context) {
        if (rules.capsChannel(action.channel())) {
            context.profile().logDelivery(rules.id(), context.now(), action.channel());
        }
    }

    private static Optional<StepOutcome> quietHours(RuleSet rules, Step.Action action, StepContext context,
            ZoneId profileZone) {
        Instant now = context.now();
        RuleSet.QuietHours holding = null;
        Instant holdUntil = null;
        for (RuleSet.QuietHours rule : rules.quietHours()) {
            if (!rule.channels().contains(action.channel())) {
                continue;
            }
            ZoneId zone = zone(rule.timeZone(), profileZone);
            Optional<Instant> until = rule.period().activeUntil(now, zone);
            if (until.isEmpty()) {
                continue;
            }
            if (rule.discard()) {
                return Optional.of(new StepOutcome.Stop(StepStatus.EXITED, ErrorCodes.QUIET_HOURS_DISCARD,
                        describe(rule, zone) + " discard the " + action.channel().jsonName() + " action"));
            }
            if (holdUntil == null || until.get().isAfter(holdUntil)) {
                holding = rule;
                holdUntil = until.get();
            }
        }
        if (holding == null) {
            return Optional.empty();
        }
        ZoneId zone = zone(holding.timeZone(), profileZone);
        // held since the instance reached the step: a hold renewed by an adjacent period still counts from there
        Duration held = Duration.ofMillis(holdUntil.toEpochMilli() - context.instance().getStepEnteredAt());
        if (held.compareTo(holding.maxHold()) > 0) {
            return Optional.of(new StepOutcome.Stop(StepStatus.EXITED, ErrorCodes.HELD_TOO_LONG,
                    describe(holding, zone) + " would hold the " + action.channel().jsonName() + " action until "
                            + holdUntil + ", longer than their maxHold " + holding.maxHold()));
        }
        return Optional.of(new StepOutcome.Park(holdUntil.toEpochMilli(), ErrorCodes.HELD_BY_QUIET_HOURS,
                describe(holding, zone) + " hold the " + action.channel().jsonName() + " action until " + holdUntil));
    }

    private static Optional<StepOutcome> frequency(RuleSet rules, Step.Action action, StepContext context,
            ZoneId profileZone) {
        RuleLog log = context.profile().ruleLog(rules.id());
        Instant now = context.now();
        for (RuleSet.Frequency rule : rules.frequency()) {
            if (!rule.channels().contains(action.channel())) {
                continue;
            }
            ZoneId zone = zone(rule.timeZone(), profileZone);
            long windowStart = rule.per().startOf(now, zone).toEpochMilli();
            int sent = log == null ? 0 : sentSince(log, windowStart, rule);
            if (sent >= rule.max()) {
                return Optional.of(new StepOutcome.Skip(action.next(), ErrorCodes.FREQUENCY_CAPPED,
                        "frequency rule " + rule.id() + " of " + rules.id() + ": " + sent + " of at most " + rule.max()
                                + " " + channels(rule) + " per " + rule.per().jsonName() + " (" + zone.getId()
                                + ") sent already; not sent"));
            }
        }
        return Optional.empty();
    }

    private static int sentSince(RuleLog log, long windowStart, RuleSet.Frequency rule) {
        int sent = 0;
        for (Delivery delivery : log.getDeliveries()) {
            if (delivery.getAt() >= windowStart && counts(rule, delivery.getChannel())) {
                sent++;
            }
        }
        return sent;
    }

    private static boolean counts(RuleSet.Frequency rule, String channel) {
        for (Channel counted : rule.channels()) {
            if (counted.jsonName().equals(channel)) {
                return true;
            }
        }
        return false;
    }

    private static String channels(RuleSet.Frequency rule) {
        return String.join("/", rule.channels().stream().map(Channel::jsonName).toList());
    }

    private static String describe(RuleSet.QuietHours rule, ZoneId zone) {
        return "quiet hours " + rule.id() + " (" + rule.period().from() + "-" + rule.period().to() + " "
                + zone.getId() + ")";
    }
}
