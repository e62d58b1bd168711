package io.journeys.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.journeys.dsl.DefinitionParser;
import io.journeys.dsl.Journey;
import io.journeys.report.JourneyReport.ArmResult;
import io.journeys.report.JourneyReport.EdgeCount;
import io.journeys.report.JourneyReport.StepCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReportBuilderTest {

    /**
     * An experiment (a holdout straight to the end, an email arm), a condition whose choice and default both
     * lead to {@code send}, an action with onError, an await with onTimeout; two goals.
     */
    static final String CART = """
            {"id": "cart", "version": 1, "entry": {"type": "event", "event": "cart.abandoned"},
             "goals": [{"id": "purchase", "event": "purchase", "within": "P7D"},
                       {"id": "click", "event": "email.clicked", "within": "P1D"}],
             "start": "exp",
             "steps": {
               "exp": {"type": "experiment", "goal": "purchase",
                       "arms": [{"id": "holdout", "percent": 20, "next": "done", "control": true},
                                {"id": "email", "percent": 80, "next": "check"}]},
               "check": {"type": "condition", "choices": [{"when": "profile.vip == true", "next": "send"}],
                         "default": "send"},
               "send": {"type": "action", "channel": "email", "template": "t", "next": "wait", "onError": "done"},
               "wait": {"type": "await", "events": [{"event": "email.opened", "next": "done"}], "timeout": "P2D",
                        "onTimeout": "done"},
               "done": {"type": "end"}}}""";

    private final StepEvents cart = new StepEvents("cart", 1);

    /** Six instances through CART; see each for what it shows. */
    private List<List<String>> cartInstances() {
        return List.of(
                // converts after it has ended: stepId null
                cart.instance("i1").entered("exp").assigned("exp", 1, "email", "check", false)
                        .executed("check", "choices/0", "send").executed("send", "next", "wait").waiting("wait")
                        .resumed("wait", "events/0", "done").completed("done").converted(null, "purchase").lines(),
                // still parked at the end, though a conversion came while it waited
                cart.instance("i2").entered("exp").assigned("exp", 1, "email", "check", false)
                        .executed("check", "default", "send").executed("send", "next", "wait").waiting("wait")
                        .converted("wait", "click").lines(),
                // the holdout; two conversions on one goal count once
                cart.instance("i3").entered("exp").assigned("exp", 0, "holdout", "done", false).completed("done")
                        .converted(null, "purchase").converted(null, "purchase").lines(),
                // an expression of send failed: onError to done
                cart.instance("i4").entered("exp").assigned("exp", 1, "email", "check", false)
                        .executed("check", "default", "send").executedWithError("send", "EXP-001", "done")
                        .completed("done").lines(),
                // assigned as the winner; converts while waiting, then the await times out
                cart.instance("i5").entered("exp").assigned("exp", 1, "email", "check", true)
                        .executed("check", "choices/0", "send").executed("send", "next", "wait").waiting("wait")
                        .converted("wait", "purchase").resumed("wait", "onTimeout", "done").completed("done").lines(),
                // a refused entry
                cart.instance("i6").excluded("exp", "RUL-004").lines());
    }

    @Test
    void shouldCountEntriesOutcomesAndInstancesInside() {
        JourneyReport report = build(documents(CART), flatten(cartInstances()));

        assertThat(report.entered()).isEqualTo(5);
        assertThat(report.completed()).isEqualTo(4);
        assertThat(report.exited()).isZero();
        assertThat(report.timedOut()).isZero();
        assertThat(report.errors()).isZero();
        assertThat(report.inside()).isEqualTo(1);
        assertThat(report.excluded()).isEqualTo(1);
    }

    @Test
    void shouldCountArrivalsAtEachStepInTheGraphsOrder() {
        JourneyReport report = build(documents(CART), flatten(cartInstances()));

        assertThat(report.steps().keySet()).containsExactly("exp", "check", "send", "wait", "done");
        // a refused entry reaches nothing; it and its rule's code are the start step's
        assertThat(report.steps().get("exp")).isEqualTo(
                new StepCounts("experiment", 5, 0, 0, 5, 0, 0, 0, 0, 1, Map.of(), Map.of("RUL-004", 1L)));
        assertThat(report.steps().get("check")).isEqualTo(
                new StepCounts("condition", 4, 0, 0, 4, 0, 0, 0, 0, 0, Map.of(), Map.of()));
        assertThat(report.steps().get("send")).isEqualTo(
                new StepCounts("action", 4, 0, 0, 4, 0, 0, 0, 0, 0, Map.of("EXP-001", 1L), Map.of()));
        // timedOut: the await's onTimeout port taken, though the instance went on
        assertThat(report.steps().get("wait")).isEqualTo(
                new StepCounts("await", 3, 1, 0, 0, 0, 0, 1, 0, 0, Map.of(), Map.of()));
        assertThat(report.steps().get("done")).isEqualTo(
                new StepCounts("end", 4, 0, 0, 0, 4, 0, 0, 0, 0, Map.of(), Map.of()));
    }

    @Test
    void shouldCountTwoBranchesToTheSameStepAsTwoEdgesAndListEveryPort() {
        JourneyReport report = build(documents(CART), flatten(cartInstances()));

        assertThat(report.edges()).containsExactly(
                new EdgeCount("exp", "done", "arms/0", 1),
                new EdgeCount("exp", "check", "arms/1", 4),
                new EdgeCount("check", "send", "choices/0", 2),
                new EdgeCount("check", "send", "default", 2),
                new EdgeCount("send", "wait", "next", 3),
                new EdgeCount("send", "done", "onError", 1),
                new EdgeCount("wait", "done", "events/0", 1),
                new EdgeCount("wait", "done", "onTimeout", 1));
        assertThat(report.departures("check")).isEqualTo(4);
    }

    @Test
    void shouldCountDistinctConversionsPerGoalIncludingThoseAfterTheEnd() {
        JourneyReport report = build(documents(CART), flatten(cartInstances()));

        assertThat(report.goals().keySet()).containsExactly("purchase", "click");
        assertThat(report.goals().get("purchase").conversions()).isEqualTo(3);
        assertThat(report.goals().get("purchase").rate()).isEqualTo(0.6);
        // Wilson's 95% interval of 3 out of 5
        assertThat(report.goals().get("purchase").ci95().low()).isCloseTo(0.2307, within(1e-4));
        assertThat(report.goals().get("purchase").ci95().high()).isCloseTo(0.8824, within(1e-4));
        assertThat(report.goals().get("click").conversions()).isEqualTo(1);
        assertThat(report.goals().get("click").rate()).isEqualTo(0.2);
        assertThat(report.steps()).doesNotContainKey(null);
    }

    @Test
    void shouldCountExperimentArmsTheirConversionsOnTheGoalAndTheWinner() {
        JourneyReport report = build(documents(CART), flatten(cartInstances()));

        JourneyReport.ExperimentResult experiment = report.experiments().get("exp");
        assertThat(experiment.goal()).isEqualTo("purchase");
        assertThat(experiment.winner()).isEqualTo("email");
        assertThat(experiment.arms().keySet()).containsExactly("holdout", "email");
        ArmResult holdout = experiment.arms().get("holdout");
        ArmResult email = experiment.arms().get("email");
        assertThat(holdout.profiles()).isEqualTo(1);
        assertThat(holdout.conversions()).isEqualTo(1);
        assertThat(holdout.control()).isTrue();
        // i2 converted on the other goal only
        assertThat(email.profiles()).isEqualTo(4);
        assertThat(email.conversions()).isEqualTo(2);
        assertThat(email.rate()).isEqualTo(0.5);
        assertThat(email.control()).isFalse();
        assertThat(email.ci95().low()).isCloseTo(0.1500, within(1e-4));
        assertThat(email.ci95().high()).isCloseTo(0.8500, within(1e-4));
        // Beta(2, 1) against Beta(3, 3): the holdout's posterior mean, 2/3, is the higher
        assertThat(holdout.probabilityBest() + email.probabilityBest()).isCloseTo(1.0, within(1e-9));
        assertThat(holdout.probabilityBest()).isGreaterThan(email.probabilityBest()).isLessThan(1.0);
    }

    @Test
    void shouldCountForAnArmOnlyConversionsAfterTheAssignmentAsTheEnginesCounterDoes() {
        // converted while it waited before the experiment (a goal without exit), then assigned
        List<String> early = new StepEvents("cart", 1).instance("early").entered("exp").converted("exp", "purchase")
                .assigned("exp", 1, "email", "check", false).executed("check", "default", "send")
                .executed("send", "next", "wait").waiting("wait").lines();
        JourneyReport report = build(documents(CART), early);

        assertThat(report.goals().get("purchase").conversions()).isEqualTo(1);
        assertThat(report.experiments().get("exp").arms().get("email").profiles()).isEqualTo(1);
        assertThat(report.experiments().get("exp").arms().get("email").conversions()).isZero();
    }

    @Test
    void shouldLeaveTheProbabilityOfBeingBestOutForASingleArm() {
        StepEvents events = new StepEvents("solo", 1);
        JourneyReport report = build(List.of(), events.instance("a").entered("exp")
                .assigned("exp", 0, "only", "done", false).completed("done").lines());

        assertThat(report.experiments().get("exp").arms().get("only").probabilityBest()).isNull();
        assertThat(report.experiments().get("exp").arms().get("only").profiles()).isEqualTo(1);
    }

    @Test
    void shouldCountAReplayedEventOnce() {
        List<String> events = flatten(cartInstances());
        List<String> replayed = new ArrayList<>(events);
        replayed.addAll(events.subList(3, 20)); // an at-least-once sink wrote these again

        ReportBuilder builder = new ReportBuilder(documents(CART));
        replayed.forEach(builder::addLine);

        assertThat(ReportJson.render(builder.build())).isEqualTo(ReportJson.render(report(documents(CART), events)));
        assertThat(builder.duplicates()).isEqualTo(17);
        assertThat(builder.events()).isEqualTo(events.size());
    }

    @Test
    void shouldGiveTheSameReportWhateverTheInterleavingOfInstances() {
        List<List<String>> instances = cartInstances();
        String expected = ReportJson.render(report(documents(CART), flatten(instances)));
        Random random = new Random(42);
        for (int attempt = 0; attempt < 200; attempt++) {
            List<String> interleaved = interleave(instances, random);
            // and replays of earlier events anywhere after them
            for (int copy = 0; copy < 3; copy++) {
                int at = random.nextInt(interleaved.size());
                interleaved.add(at + random.nextInt(interleaved.size() - at) + 1, interleaved.get(at));
            }
            assertThat(ReportJson.render(report(documents(CART), interleaved))).as("interleaving %d", attempt)
                    .isEqualTo(expected);
        }
    }

    @Test
    void shouldShowWhatTheEventsNameWithoutDocuments() {
        JourneyReport report = build(List.of(), flatten(cartInstances()));

        // the order comes from the events: layers of the paths taken, from the step instances entered at
        assertThat(report.steps().keySet()).containsExactly("exp", "check", "send", "wait", "done");
        assertThat(report.steps().get("send").type()).isNull();
        assertThat(report.edges()).extracting(EdgeCount::count).doesNotContain(0L);
        assertThat(report.edges()).hasSize(8);
        assertThat(report.goals().keySet()).containsExactly("click", "purchase");
        JourneyReport.ExperimentResult experiment = report.experiments().get("exp");
        assertThat(experiment.goal()).isNull();
        assertThat(experiment.arms().keySet()).containsExactly("email", "holdout");
        // without the goal, a conversion on any goal counts: i1, i2 (click) and i5
        assertThat(experiment.arms().get("email").conversions()).isEqualTo(3);
        assertThat(experiment.arms().get("email").control()).isNull();
        assertThat(experiment.winner()).isEqualTo("email");
    }

    @Test
    void shouldListEveryStepPortGoalAndArmOfADocumentWithNoEvents() {
        Report report = new ReportBuilder(documents(CART)).build();

        JourneyReport journey = report.journey("cart", 1);
        assertThat(journey.entered()).isZero();
        assertThat(journey.steps()).hasSize(5).allSatisfy((id, counts) -> assertThat(counts.reached()).isZero());
        assertThat(journey.edges()).hasSize(8).allSatisfy(e -> assertThat(e.count()).isZero());
        assertThat(journey.goals().get("purchase").rate()).isZero();
        assertThat(journey.goals().get("purchase").ci95()).isEqualTo(new JourneyReport.Interval(0, 1));
        assertThat(journey.experiments().get("exp").arms().get("email").profiles()).isZero();
    }

    @Test
    void shouldKeepEachJourneyVersionApart() {
        StepEvents v2 = new StepEvents("cart", 2);
        StepEvents other = new StepEvents("another", 1);
        List<String> events = new ArrayList<>(flatten(cartInstances()));
        events.addAll(v2.instance("j1").entered("exp").assigned("exp", 0, "holdout", "done", false).completed("done")
                .lines());
        events.addAll(other.instance("k1").entered("a").executed("a", "next", "b").waiting("b").lines());

        Report report = report(documents(CART), events);

        assertThat(report.journeys()).extracting(j -> j.key().toString())
                .containsExactly("another v1", "cart v1", "cart v2");
        assertThat(report.journey("cart", 2).entered()).isEqualTo(1);
        assertThat(report.journey("cart", 2).definition()).isNull();
        assertThat(report.journey("cart", 1).entered()).isEqualTo(5);
        assertThat(report.journey("another", 1).steps().get("b").waiting()).isEqualTo(1);
        assertThat(report.journey("another", 1).inside()).isEqualTo(1);
    }

    @Test
    void shouldCountASkippedActionAndFollowItsNext() {
        StepEvents events = new StepEvents("rules", 1);
        List<String> lines = new ArrayList<>();
        lines.addAll(events.instance("a").entered("send").skipped("send", "RUL-001", "done").completed("done").lines());
        lines.addAll(events.instance("b").entered("send").executed("send", "next", "done").completed("done").lines());

        JourneyReport report = build(List.of(), lines);

        assertThat(report.steps().get("send").skipped()).isEqualTo(1);
        assertThat(report.steps().get("send").executed()).isEqualTo(1);
        // a rule's code is not an error
        assertThat(report.steps().get("send").errors()).isEmpty();
        assertThat(report.steps().get("send").rules()).isEqualTo(Map.of("RUL-001", 1L));
        assertThat(report.rules()).isEqualTo(Map.of("RUL-001", 1L));
        assertThat(report.steps().get("done").reached()).isEqualTo(2);
        assertThat(report.edges()).containsExactly(new EdgeCount("send", "done", "next", 2));
    }

    /** A journey under a rule set: an email, a wait, a window for the SMS, the SMS, the end. */
    static final String PROMO = """
            {"id": "promo", "version": 1, "rules": "marketing", "entry": {"event": "promo"}, "start": "mail",
             "steps": {
               "mail": {"type": "action", "channel": "email", "template": "a", "next": "w"},
               "w": {"type": "wait", "duration": "PT1H", "next": "win"},
               "win": {"type": "window", "days": [1, 2, 3, 4, 5], "from": "09:00", "to": "17:00", "next": "sms"},
               "sms": {"type": "action", "channel": "sms", "template": "s", "next": "done"},
               "done": {"type": "end"}}}""";

    private final StepEvents promo = new StepEvents("promo", 1);

    /** Instances through PROMO, every delivery rule's code among them. */
    private List<List<String>> promoInstances() {
        return List.of(
                // no rule in the way; the window was open
                promo.instance("a").entered("mail").executed("mail", "next", "w").waiting("w").resumed("w", "next", "win")
                        .executed("win", "next", "sms").executed("sms", "next", "done").completed("done").lines(),
                // held, the hold renewed by a second period, then sent: one arrival, one held; the window parked
                // it until it opened; the SMS capped
                promo.instance("b").entered("mail").held("mail").held("mail").executed("mail", "next", "w").waiting("w")
                        .resumed("w", "next", "win").waiting("win").resumed("win", "next", "sms")
                        .skipped("sms", "RUL-001", "done").completed("done").lines(),
                // the email capped; still waiting
                promo.instance("c").entered("mail").skipped("mail", "RUL-001", "w").waiting("w").lines(),
                // quiet hours that discard
                promo.instance("d").entered("mail").exitedBy("mail", "RUL-002").lines(),
                // held, then a renewed hold would be longer than maxHold
                promo.instance("e").entered("mail").held("mail").exitedBy("mail", "RUL-003").lines(),
                // refused entries: the entry cap, the concurrency cap
                promo.instance("f").excluded("mail", "RUL-004").lines(),
                promo.instance("g").excluded("mail", "RUL-005").lines(),
                // still held at the end of the stream
                promo.instance("h").entered("mail").held("mail").lines());
    }

    @Test
    void shouldCountWhatEachDeliveryRuleDidByItsCode() {
        JourneyReport report = build(documents(PROMO), flatten(promoInstances()));

        assertThat(report.rules()).containsExactly(Map.entry("RUL-001", 2L), Map.entry("RUL-002", 1L),
                Map.entry("RUL-003", 1L), Map.entry("RUL-004", 1L), Map.entry("RUL-005", 1L),
                Map.entry("RUL-006", 4L));
        assertThat(report.entered()).isEqualTo(6);
        assertThat(report.excluded()).isEqualTo(2);
        assertThat(report.exited()).isEqualTo(2);
        assertThat(report.completed()).isEqualTo(2);
        assertThat(report.errors()).isZero();
        assertThat(report.inside()).isEqualTo(2);
    }

    @Test
    void shouldCountHeldSkippedAndExcludedAtTheirStepsApartFromErrors() {
        JourneyReport report = build(documents(PROMO), flatten(promoInstances()));

        // reached once each however long held: a hold then the sending is one arrival; a refused entry is none
        assertThat(report.steps().get("mail")).isEqualTo(new StepCounts("action", 6, 1, 3, 2, 0, 2, 0, 1, 2, Map.of(),
                Map.of("RUL-001", 1L, "RUL-002", 1L, "RUL-003", 1L, "RUL-004", 1L, "RUL-005", 1L, "RUL-006", 4L)));
        assertThat(report.steps().get("w")).isEqualTo(
                new StepCounts("wait", 3, 1, 0, 0, 0, 0, 0, 0, 0, Map.of(), Map.of()));
        // a window parks and resumes as a wait does, and holds nothing
        assertThat(report.steps().get("win")).isEqualTo(
                new StepCounts("window", 2, 0, 0, 1, 0, 0, 0, 0, 0, Map.of(), Map.of()));
        assertThat(report.steps().get("sms")).isEqualTo(
                new StepCounts("action", 2, 0, 0, 1, 0, 0, 0, 1, 0, Map.of(), Map.of("RUL-001", 1L)));
        assertThat(report.steps().get("done").reached()).isEqualTo(2);
        assertThat(report.edges()).contains(new EdgeCount("mail", "w", "next", 3), new EdgeCount("sms", "done", "next", 2));
    }

    @Test
    void shouldCountAHoldOncePerArrivalAtTheStep() {
        // a loop back to the held step: each arrival held is one more
        List<String> loop = new StepEvents("loop", 1).instance("l").entered("mail").held("mail")
                .executed("mail", "next", "w").waiting("w").resumed("w", "next", "mail").held("mail").held("mail")
                .executed("mail", "next", "w").lines();

        JourneyReport report = build(List.of(), loop);

        assertThat(report.steps().get("mail").reached()).isEqualTo(2);
        assertThat(report.steps().get("mail").held()).isEqualTo(2);
        assertThat(report.rules()).isEqualTo(Map.of("RUL-006", 3L));
    }

    @Test
    void shouldListEveryRuleCodeForADocumentNamingARuleSetAndNoneOtherwise() {
        Report report = new ReportBuilder(documents(PROMO, CART)).build();

        assertThat(report.journey("promo", 1).rules()).hasSize(6).allSatisfy((code, n) -> assertThat(n).isZero());
        assertThat(report.journey("cart", 1).rules()).isEmpty();
    }

    @Test
    void shouldCountRuleEventsOnceWhateverTheReplaysAndInterleaving() {
        List<List<String>> instances = promoInstances();
        String expected = ReportJson.render(report(documents(PROMO), flatten(instances)));
        Random random = new Random(7);
        for (int attempt = 0; attempt < 100; attempt++) {
            List<String> interleaved = interleave(instances, random);
            for (int copy = 0; copy < 3; copy++) {
                int at = random.nextInt(interleaved.size());
                interleaved.add(at + random.nextInt(interleaved.size() - at) + 1, interleaved.get(at));
            }
            assertThat(ReportJson.render(report(documents(PROMO), interleaved))).as("interleaving %d", attempt)
                    .isEqualTo(expected);
        }
    }

    @Test
    void shouldEndInstancesThatTimeOutErrOrExitWhereTheyAre() {
        StepEvents events = new StepEvents("ends", 1);
        List<String> lines = new ArrayList<>();
        lines.addAll(events.instance("a").entered("w").waiting("w").timedOut("w").lines());
        lines.addAll(events.instance("b").entered("w").waiting("w").exited("w").lines());
        lines.addAll(events.instance("c").entered("w").error("w", "ENG-002").lines());
        lines.addAll(events.instance("d").entered("w").waiting("w").lines());

        JourneyReport report = build(List.of(), lines);

        assertThat(report.timedOut()).isEqualTo(1);
        assertThat(report.exited()).isEqualTo(1);
        assertThat(report.errors()).isEqualTo(1);
        assertThat(report.inside()).isEqualTo(1);
        assertThat(report.steps().get("w")).isEqualTo(
                new StepCounts(null, 4, 1, 0, 0, 0, 1, 1, 0, 0, Map.of("ENG-002", 1L), Map.of()));
        assertThat(report.rules()).isEmpty();
    }

    /** A campaign email at the best hour within a week, a push after it at the best push hour, then a plain wait. */
    static final String SALE = """
            {"id": "sale", "version": 1, "entry": {"event": "campaign.started"}, "start": "mail",
             "steps": {"mail": {"type": "action", "channel": "email", "template": "t",
                                "sendTime": {"optimize": "opens", "within": "P7D"}, "next": "pause"},
                       "pause": {"type": "wait", "sendTime": {"within": "P2D", "channel": "push"}, "next": "push"},
                       "push": {"type": "action", "channel": "push", "template": "p", "next": "later"},
                       "later": {"type": "wait", "duration": "P1D", "next": "done"},
                       "done": {"type": "end"}}}""";

    /** Each instance arrives at mail at 2026-02-02T09:00:00Z (a Monday). */
    static List<String> saleEvents() {
        StepEvents sale = new StepEvents("sale", 1);
        List<String> events = new ArrayList<>();
        // Tue 19:00 local by its own habit, 33 h later; the executed event once it went carries no choice
        events.addAll(sale.instance("s1").entered("mail").waitingToSend("mail", "2026-02-03T18:00:00Z", 24 + 19,
                "profile").executed("mail", "next", "pause").executedToSend("pause", "push", 24 + 19, "atOnce")
                .executed("push", "next", "later").waiting("later").lines());
        // Mon 20:00 local by the population, 10 h later; it exits before: still scheduled there
        events.addAll(sale.instance("s2").entered("mail").waitingToSend("mail", "2026-02-02T19:00:00Z", 20,
                "population").exited("mail").lines());
        // Thu 10:00 local, exploring, 72 h later; its waiting event replayed counts once
        List<String> s3 = sale.instance("s3").entered("mail").waitingToSend("mail", "2026-02-05T09:00:00Z",
                3 * 24 + 10, "explore").lines();
        events.addAll(s3);
        events.add(s3.get(1));
        // at once (no history, no population): Mon 20:00 local is now in its zone
        events.addAll(sale.instance("s4").entered("mail").executedToSend("mail", "pause", 20, "atOnce")
                .waitingToSend("pause", "2026-02-03T10:00:00Z", 24 + 21, "profile").lines());
        // an older engine's waiting event, without the fields: not a choice the report can place
        events.addAll(sale.instance("s5").entered("mail").waiting("mail").lines());
        return events;
    }

    @Test
    void shouldCountWhenEachStepWithSendTimeScheduledItsMessagesByHourDayBasisAndDelay() {
        JourneyReport report = report(documents(SALE), saleEvents()).journey("sale", 1);

        // the steps with sendTime, in the graph's order; a plain wait and the push without sendTime have none
        assertThat(report.sendTimes().keySet()).containsExactly("mail", "pause");
        JourneyReport.SendTimeCounts mail = report.sendTimes().get("mail");
        assertThat(mail.scheduled()).isEqualTo(4);
        assertThat(mail.byBasis()).containsExactly(Map.entry("profile", 1L), Map.entry("population", 1L),
                Map.entry("atOnce", 1L), Map.entry("explore", 1L));
        long[] hours = new long[24];
        hours[19] = 1;
        hours[20] = 2;
        hours[10] = 1;
        assertThat(mail.localHours()).containsExactlyElementsOf(java.util.Arrays.stream(hours).boxed().toList());
        assertThat(mail.localDays()).containsExactly(2L, 1L, 0L, 1L, 0L, 0L, 0L);
        // delays 0, 10 h, 33 h, 72 h: the nearest-rank median is the 2nd, the 90th percentile the 4th
        assertThat(mail.delayMedian()).isEqualTo(java.time.Duration.ofHours(10));
        assertThat(mail.delayP90()).isEqualTo(java.time.Duration.ofHours(72));

        JourneyReport.SendTimeCounts pause = report.sendTimes().get("pause");
        assertThat(pause.scheduled()).isEqualTo(2);
        assertThat(pause.byBasis()).containsEntry("atOnce", 1L).containsEntry("profile", 1L)
                .containsEntry("population", 0L);
        assertThat(pause.localHours().get(19)).isEqualTo(1);
        assertThat(pause.localHours().get(21)).isEqualTo(1);
        assertThat(pause.delayMedian()).isEqualTo(java.time.Duration.ZERO);
        assertThat(pause.delayP90()).isEqualTo(java.time.Duration.ofHours(25));
        // the step counts are as before: the choice's fields change none of them
        assertThat(report.steps().get("mail").reached()).isEqualTo(5);
        assertThat(report.steps().get("mail").waiting()).isEqualTo(2);
    }

    @Test
    void shouldListAStepWithSendTimeOfTheDocumentWithNothingScheduledAndNoneWithoutOne() {
        JourneyReport withDocument = new ReportBuilder(documents(SALE)).build().journey("sale", 1);
        JourneyReport.SendTimeCounts mail = withDocument.sendTimes().get("mail");
        assertThat(mail.scheduled()).isZero();
        assertThat(mail.localHours()).hasSize(24).containsOnly(0L);
        assertThat(mail.delayMedian()).isNull();

        // without the document, the steps whose events carry a choice; none for the cart's events
        assertThat(report(List.of(), saleEvents()).journey("sale", 1).sendTimes().keySet())
                .containsExactly("mail", "pause");
        assertThat(build(documents(CART), flatten(cartInstances())).sendTimes()).isEmpty();
    }

    @Test
    void shouldRefuseALineThatIsNotAStepEvent() {
        ReportBuilder builder = new ReportBuilder();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.addLine("{\"eventId\": \"x\"}"))
                .isInstanceOf(StepEventLine.Malformed.class).hasMessageContaining("journeyVersion");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.addLine("not json"))
                .isInstanceOf(StepEventLine.Malformed.class).hasMessageContaining("not JSON");
    }

    // ---- helpers ----

    static List<Journey> documents(String... texts) {
        List<Journey> journeys = new ArrayList<>();
        for (String text : texts) {
            DefinitionParser.Definition definition = DefinitionParser.parse(text);
            assertThat(definition.problems()).as("problems of a test journey").isEmpty();
            journeys.add(definition.journey().journey());
        }
        return journeys;
    }

    private static Report report(List<Journey> documents, List<String> lines) {
        ReportBuilder builder = new ReportBuilder(documents);
        lines.forEach(builder::addLine);
        return builder.build();
    }

    private static JourneyReport build(List<Journey> documents, List<String> lines) {
        return report(documents, lines).journey("cart".equals(journeyOf(lines)) ? "cart" : journeyOf(lines), 1);
    }

    private static String journeyOf(List<String> lines) {
        return StepEventLine.parse(lines.get(0)).journeyId();
    }

    static List<String> flatten(List<List<String>> instances) {
        return instances.stream().flatMap(List::stream).toList();
    }

    /** A random merge of the instances' events that keeps each instance's own order. */
    static List<String> interleave(List<List<String>> instances, Random random) {
        List<String> merged = new ArrayList<>();
        int[] next = new int[instances.size()];
        int left = instances.stream().mapToInt(List::size).sum();
        while (left > 0) {
            int pick = random.nextInt(instances.size());
            if (next[pick] < instances.get(pick).size()) {
                merged.add(instances.get(pick).get(next[pick]++));
                left--;
            }
        }
        return merged;
    }
}
