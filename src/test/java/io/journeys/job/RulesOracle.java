package io.journeys.job;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What jobs/rules must produce, worked out from its events and profiles alone, with no engine class: the three
 * journeys and the rule set {@code marketing} are written out below as plain data, and each profile is played in
 * time order by the rules of README (Delivery rules; DESIGN §9.3): entries in priority order within the entry and
 * concurrency caps, quiet hours held to their end (or discarding, or too long), frequency caps counted at the
 * instant of sending in the profile's zone, transactional receipts outside every rule. Timers of one profile due
 * at the same instant wake in journey id order (the engine's documented order); the sample data never puts an
 * event at the instant of a timer, and this oracle fails rather than guess if it does.
 */
final class RulesOracle {

    /** A sent action request: profile, journey, step, template, instant. */
    record Sent(String profileId, String journeyId, String stepId, String template, Instant at) {
        @Override
        public String toString() {
            return profileId + " " + journeyId + "/" + stepId + " " + template + " @" + at;
        }
    }

    /** A step event a rule caused: skipped, waiting (held), exited or excluded, with its code. */
    record Ruled(String profileId, String journeyId, String stepId, String status, String code, Instant at) {
        @Override
        public String toString() {
            return profileId + " " + journeyId + "/" + stepId + " " + status + " " + code + " @" + at;
        }
    }

    // ---- the documents of jobs/rules, as data ----

    private interface StepDef {}

    private record Action(String channel, String template, boolean ruled, String next) implements StepDef {}

    private record Wait(Duration duration, String next) implements StepDef {}

    private record Await(Duration timeout, String onTimeout, String next) implements StepDef {}

    private record Window(Set<DayOfWeek> days, LocalTime from, LocalTime to, String next) implements StepDef {}

    private record End() implements StepDef {}

    private record JourneyDef(String id, int priority, String start, Map<String, StepDef> steps) {}

    private record Quiet(String id, Set<String> channels, LocalTime from, LocalTime to, boolean discard,
            Duration maxHold) {}

    private record Cap(String id, Set<String> channels, int max, boolean weekly) {}

    private static final Set<DayOfWeek> WEEKDAYS = Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY,
            DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);

    private static final JourneyDef PRICE_DROP = new JourneyDef("price-drop", 90, "sms-alert", Map.of(
            "sms-alert", new Action("sms", "price-drop-sms", true, "email-alert"),
            "email-alert", new Action("email", "price-drop", true, "await-order"),
            "await-order", new Await(Duration.ofHours(12), "email-reminder", "receipt"),
            "email-reminder", new Action("email", "price-drop-reminder", true, "done"),
            "receipt", new Action("email", "receipt", false, "done"),
            "done", new End()));
    private static final JourneyDef NEWSLETTER = new JourneyDef("newsletter", 50, "email", Map.of(
            "email", new Action("email", "newsletter", true, "wait-1d"),
            "wait-1d", new Wait(Duration.ofDays(1), "push"),
            "push", new Action("push", "newsletter-push", true, "done"),
            "done", new End()));
    private static final JourneyDef WINBACK = new JourneyDef("winback", 20, "email", Map.of(
            "email", new Action("email", "winback", true, "wait-2d"),
            "wait-2d", new Wait(Duration.ofDays(2), "office-hours"),
            "office-hours", new Window(WEEKDAYS, LocalTime.of(9, 0), LocalTime.of(17, 0), "sms-offer"),
            "sms-offer", new Action("sms", "winback-offer", true, "done"),
            "done", new End()));

    private static final List<Quiet> QUIET = List.of(
            new Quiet("night", Set.of("email"), LocalTime.of(21, 0), LocalTime.of(8, 0), false, Duration.ofDays(2)),
            new Quiet("push-night", Set.of("push"), LocalTime.of(20, 0), LocalTime.of(9, 0), false, Duration.ofHours(8)),
            new Quiet("sms-night", Set.of("sms"), LocalTime.of(22, 0), LocalTime.of(7, 0), true, null));
    private static final List<Cap> CAPS = List.of(
            new Cap("email-daily", Set.of("email"), 2, false),
            new Cap("marketing-weekly", Set.of("email", "sms", "push"), 5, true));
    private static final int MAX_ENTRIES_PER_WEEK = 3;
    private static final int MAX_CONCURRENT = 2;
    /** The default re-entry wait of a journey (README, reentry). */
    private static final Duration REENTRY_WAIT = Duration.ofMinutes(5);

    final List<Sent> sent = new ArrayList<>();
    final List<Ruled> ruled = new ArrayList<>();
    final Map<String, Integer> entered = new TreeMap<>();

    /** Plays every profile's events; {@code zones} holds the zone of each profile with a valid timeZone attribute. */
    static RulesOracle play(List<JsonNode> events, Map<String, ZoneId> zones) {
        RulesOracle oracle = new RulesOracle();
        Map<String, List<JsonNode>> byProfile = new TreeMap<>();
        events.forEach(e -> byProfile.computeIfAbsent(e.get("profileId").asText(), p -> new ArrayList<>()).add(e));
        byProfile.forEach((profileId, own) -> oracle.new Profile(profileId, zones.getOrDefault(profileId,
                ZoneOffset.UTC)).play(own));
        return oracle;
    }

    /** The zone a timeZone attribute names, if it is a valid zone id. */
    static Optional<ZoneId> zone(String attribute) {
        try {
            return Optional.of(ZoneId.of(attribute));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static final class Instance {
        final JourneyDef journey;
        final JsonNode entry;
        String step;
        Instant stepEnteredAt;
        Instant wakeAt;

        Instance(JourneyDef journey, JsonNode entry) {
            this.journey = journey;
            this.entry = entry;
        }
    }

    private record Delivery(Instant at, String channel) {}

    private final class Profile {
        final String id;
        final ZoneId zone;
        final TreeMap<String, Instance> live = new TreeMap<>();
        final Map<String, Instant> lastEntry = new HashMap<>();
        final List<Instant> entries = new ArrayList<>();
        final List<Delivery> deliveries = new ArrayList<>();

        Profile(String id, ZoneId zone) {
            this.id = id;
            this.zone = zone;
        }

        void play(List<JsonNode> events) {
            List<JsonNode> ordered = new ArrayList<>(events);
            ordered.sort(Comparator.comparing(RulesOracle::time));
            for (JsonNode event : ordered) {
                Instant at = time(event);
                wakeUntil(at);
                handle(event, at);
            }
            wakeUntil(Instant.MAX);
        }

        /** Fires every timer due before {@code until}, in time order, then journey id order. */
        private void wakeUntil(Instant until) {
            while (true) {
                Optional<Instant> next = live.values().stream().map(i -> i.wakeAt).filter(w -> w != null)
                        .min(Comparator.naturalOrder());
                if (next.isEmpty() || next.get().isAfter(until)) {
                    return;
                }
                if (next.get().equals(until)) {
                    throw new IllegalStateException(id + ": an event at the instant of a timer, " + until);
                }
                for (Instance instance : new ArrayList<>(live.values())) {
                    if (next.get().equals(instance.wakeAt)) {
                        instance.wakeAt = null;
                        wake(instance, next.get());
                    }
                }
            }
        }

        private void handle(JsonNode event, Instant at) {
            switch (event.get("type").asText()) {
                case "price.dropped" -> enter(List.of(PRICE_DROP), event, at);
                case "newsletter.issued" -> enter(event.get("data").get("daysInactive").asInt() >= 30
                        ? List.of(NEWSLETTER, WINBACK) : List.of(NEWSLETTER), event, at);
                case "order.placed" -> {
                    Instance waiting = live.get(PRICE_DROP.id());
                    if (waiting != null && waiting.step.equals("await-order") && event.get("data").get("productId")
                            .equals(waiting.entry.get("data").get("productId"))) {
                        waiting.wakeAt = null;
                        moveTo(waiting, ((Await) step(waiting)).next(), at);
                    }
                }
                default -> throw new IllegalStateException("unexpected event type " + event);
            }
        }

        /** Journeys an input starts, highest priority first: each enters (and runs) before the next is decided. */
        private void enter(List<JourneyDef> journeys, JsonNode event, Instant at) {
            List<JourneyDef> ordered = new ArrayList<>(journeys);
            ordered.sort(Comparator.comparingInt((JourneyDef j) -> -j.priority()).thenComparing(JourneyDef::id));
            for (JourneyDef journey : ordered) {
                Instant last = lastEntry.get(journey.id());
                if (live.containsKey(journey.id()) || last != null && Duration.between(last, at).compareTo(REENTRY_WAIT) < 0) {
                    continue;
                }
                Instant weekStart = startOfWeek(at);
                if (entries.stream().filter(e -> !e.isBefore(weekStart)).count() >= MAX_ENTRIES_PER_WEEK) {
                    ruled.add(new Ruled(id, journey.id(), journey.start(), "excluded", "RUL-004", at));
                    continue;
                }
                if (live.size() >= MAX_CONCURRENT) {
                    ruled.add(new Ruled(id, journey.id(), journey.start(), "excluded", "RUL-005", at));
                    continue;
                }
                entries.add(at);
                lastEntry.put(journey.id(), at);
                entered.merge(journey.id(), 1, Integer::sum);
                Instance instance = new Instance(journey, event);
                live.put(journey.id(), instance);
                moveTo(instance, journey.start(), at);
            }
        }

        private void moveTo(Instance instance, String stepId, Instant at) {
            instance.step = stepId;
            instance.stepEnteredAt = at;
            run(instance, at);
        }

        private StepDef step(Instance instance) {
            return instance.journey.steps().get(instance.step);
        }

        /** Runs the instance's current step, and on, until it parks or ends. */
        private void run(Instance instance, Instant at) {
            StepDef step = step(instance);
            if (step instanceof End) {
                live.remove(instance.journey.id());
            } else if (step instanceof Wait wait) {
                instance.wakeAt = at.plus(wait.duration());
            } else if (step instanceof Await await) {
                instance.wakeAt = at.plus(await.timeout());
            } else if (step instanceof Window window) {
                if (inside(window, at)) {
                    moveTo(instance, window.next(), at);
                } else {
                    instance.wakeAt = nextOpening(window, at);
                }
            } else {
                act(instance, (Action) step, at);
            }
        }

        private void wake(Instance instance, Instant at) {
            StepDef step = step(instance);
            if (step instanceof Wait wait) {
                moveTo(instance, wait.next(), at);
            } else if (step instanceof Await await) {
                moveTo(instance, await.onTimeout(), at);
            } else {
                run(instance, at); // a held action, or a window that opens: decided again now
            }
        }

        private void act(Instance instance, Action action, Instant at) {
            String journeyId = instance.journey.id();
            if (action.ruled()) {
                Quiet holding = null;
                Instant holdUntil = null;
                for (Quiet quiet : QUIET) {
                    if (!quiet.channels().contains(action.channel())) {
                        continue;
                    }
                    Optional<Instant> until = quietUntil(quiet, at);
                    if (until.isPresent() && quiet.discard()) {
                        ruled.add(new Ruled(id, journeyId, instance.step, "exited", "RUL-002", at));
                        live.remove(journeyId);
                        return;
                    }
                    if (until.isPresent() && (holdUntil == null || until.get().isAfter(holdUntil))) {
                        holding = quiet;
                        holdUntil = until.get();
                    }
                }
                if (holding != null) {
                    if (Duration.between(instance.stepEnteredAt, holdUntil).compareTo(holding.maxHold()) > 0) {
                        ruled.add(new Ruled(id, journeyId, instance.step, "exited", "RUL-003", at));
                        live.remove(journeyId);
                    } else {
                        ruled.add(new Ruled(id, journeyId, instance.step, "waiting", "RUL-006", at));
                        instance.wakeAt = holdUntil;
                    }
                    return;
                }
                for (Cap cap : CAPS) {
                    if (!cap.channels().contains(action.channel())) {
                        continue;
                    }
                    Instant windowStart = cap.weekly() ? startOfWeek(at) : startOfDay(at);
                    long count = deliveries.stream().filter(d -> !d.at().isBefore(windowStart)
                            && cap.channels().contains(d.channel())).count();
                    if (count >= cap.max()) {
                        ruled.add(new Ruled(id, journeyId, instance.step, "skipped", "RUL-001", at));
                        moveTo(instance, action.next(), at);
                        return;
                    }
                }
                deliveries.add(new Delivery(at, action.channel()));
            }
            sent.add(new Sent(id, journeyId, instance.step, action.template(), at));
            moveTo(instance, action.next(), at);
        }

        // ---- local time, in the profile's zone ----

        /** The end of the quiet period {@code at} is in (every day, crossing midnight), if it is in one. */
        private Optional<Instant> quietUntil(Quiet quiet, Instant at) {
            LocalDate today = at.atZone(zone).toLocalDate();
            for (LocalDate day : List.of(today.minusDays(1), today)) {
                Instant start = ZonedDateTime.of(day, quiet.from(), zone).toInstant();
                Instant end = ZonedDateTime.of(day.plusDays(1), quiet.to(), zone).toInstant();
                if (!at.isBefore(start) && at.isBefore(end)) {
                    return Optional.of(end);
                }
            }
            return Optional.empty();
        }

        private boolean inside(Window window, Instant at) {
            ZonedDateTime local = at.atZone(zone);
            LocalTime time = local.toLocalTime();
            return window.days().contains(local.getDayOfWeek()) && !time.isBefore(window.from())
                    && time.isBefore(window.to());
        }

        private Instant nextOpening(Window window, Instant at) {
            LocalDate day = at.atZone(zone).toLocalDate();
            for (int ahead = 0; ahead <= 7; ahead++, day = day.plusDays(1)) {
                Instant start = ZonedDateTime.of(day, window.from(), zone).toInstant();
                if (window.days().contains(day.getDayOfWeek()) && start.isAfter(at)) {
                    return start;
                }
            }
            throw new IllegalStateException("no opening of " + window + " after " + at);
        }

        private Instant startOfDay(Instant at) {
            return at.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
        }

        private Instant startOfWeek(Instant at) {
            return at.atZone(zone).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                    .atStartOfDay(zone).toInstant();
        }
    }

    private static Instant time(JsonNode event) {
        return Instant.parse(event.get("timestamp").asText());
    }
}
