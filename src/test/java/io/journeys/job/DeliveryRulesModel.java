package io.journeys.job;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the rule set of {@link DeliveryRulesITCase} lets through for one profile, worked out from the rules'
 * documented meaning (DESIGN §9.3), not from the engine: at most {@value #DAILY_EMAILS} ruled emails and
 * {@value #DAILY_ENTRIES} entries per local day, at most {@value #CONCURRENT} live instances, higher priority
 * first; inside quiet hours every ruled email is held, and the caps apply when they end. The profile's events
 * all come on one local day, either all inside quiet hours or all outside them (the test makes sure).
 * Emails are named "journey/step".
 */
final class DeliveryRulesModel {

    static final int DAILY_EMAILS = 2;
    static final int DAILY_ENTRIES = 3;
    static final int CONCURRENT = 2;

    /**
     * A journey of the test, as its document says: an unruled receipt first or not, then its ruled emails in
     * order; a journey that stays live (a long wait after its emails) keeps counting against the concurrency cap.
     */
    record Journey(String id, String entryEvent, boolean receiptFirst, List<String> ruledEmails, boolean staysLive) {}

    /** Highest priority first: vip 90, digest 50 (the default), basic 10. */
    static final List<Journey> BY_PRIORITY = List.of(
            new Journey("vip", "promo", false, List.of("vip/mail", "vip/reminder"), true),
            new Journey("digest", "news", true, List.of("digest/mail"), false),
            new Journey("basic", "promo", false, List.of("basic/mail"), true));

    /** What should come out for one profile. */
    static final class Outcome {
        /** Entries per journey. */
        final Map<String, Integer> entered = new TreeMap<>();
        /** Refused entries, "journey RUL-00x", in the order of the events. */
        final List<String> excluded = new ArrayList<>();
        /** Ruled emails sent when their event came. */
        final List<String> sentAtOnce = new ArrayList<>();
        /** Ruled emails skipped (RUL-001) when their event came. */
        final List<String> cappedAtOnce = new ArrayList<>();
        /** The emails that wait at their step with RUL-006. */
        final List<String> held = new ArrayList<>();
        /** The ruled emails reached when the quiet period ends: the held ones and the ones after them. */
        final List<String> dueAtEnd = new ArrayList<>();
        /** How many of {@link #dueAtEnd} the daily cap lets through (the others are skipped, RUL-001, then). */
        int sentAtEnd;
        /** Unruled receipts, sent at once even inside quiet hours. */
        int receipts;

        @Override
        public String toString() {
            return "entered " + entered + ", excluded " + excluded + ", sent at once " + sentAtOnce + ", capped at once "
                    + cappedAtOnce + ", held " + held + ", due at the end " + dueAtEnd + " (" + sentAtEnd + " sent), "
                    + receipts + " receipts";
        }
    }

    private DeliveryRulesModel() {}

    static Outcome expect(List<String> events, boolean quiet) {
        Outcome outcome = new Outcome();
        Set<String> live = new HashSet<>();
        int entries = 0;
        int sent = 0;
        for (String event : events) {
            for (Journey journey : BY_PRIORITY) {
                if (!journey.entryEvent().equals(event) || live.contains(journey.id())) {
                    continue; // a profile inside a journey does not enter it again
                }
                // the entry cap is looked at before the concurrency cap
                if (entries >= DAILY_ENTRIES) {
                    outcome.excluded.add(journey.id() + " RUL-004");
                    continue;
                }
                if (live.size() >= CONCURRENT) {
                    outcome.excluded.add(journey.id() + " RUL-005");
                    continue;
                }
                entries++;
                outcome.entered.merge(journey.id(), 1, Integer::sum);
                live.add(journey.id());
                if (journey.receiptFirst()) {
                    outcome.receipts++;
                }
                if (quiet) {
                    // held at its first ruled email, and live until the period ends
                    outcome.held.add(journey.ruledEmails().get(0));
                    outcome.dueAtEnd.addAll(journey.ruledEmails());
                    continue;
                }
                for (String email : journey.ruledEmails()) {
                    if (sent < DAILY_EMAILS) {
                        sent++;
                        outcome.sentAtOnce.add(email);
                    } else {
                        outcome.cappedAtOnce.add(email);
                    }
                }
                if (!journey.staysLive()) {
                    live.remove(journey.id());
                }
            }
        }
        outcome.sentAtEnd = Math.min(outcome.dueAtEnd.size(), DAILY_EMAILS - sent);
        return outcome;
    }
}
