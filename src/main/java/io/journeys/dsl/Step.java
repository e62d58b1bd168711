package io.journeys.dsl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One named step of a journey. Each step type is a record; transitions name other steps by id. */
public sealed interface Step {

    String id();

    StepType type();

    /**
     * Every way out of this step, in the order the author wrote them: a port's name is the JSON pointer of
     * its field within the step ({@code next}, {@code choices/0}, {@code default}, {@code branches/1},
     * {@code arms/0}, {@code events/0}, {@code onTimeout}, {@code onError}, {@code overflow}); a port with no
     * target (a missing field) is left out. Step events name the port an instance took, so a report can tell
     * two branches to the same step apart.
     */
    List<Port> ports();

    /** Every step this one can go to, in the order the author wrote them; a missing target is left out. */
    default List<String> targets() {
        return ports().stream().map(Port::target).toList();
    }

    /** A way out of a step: its name (see {@link #ports()}) and the step it leads to. */
    record Port(String name, String target) {

        public static final String NEXT = "next";
        public static final String DEFAULT = "default";
        public static final String ON_ERROR = "onError";
        public static final String ON_TIMEOUT = "onTimeout";
        public static final String OVERFLOW = "overflow";

        /** The name of the port of item {@code index} of a list field: {@code choices/0}. */
        public static String item(String field, int index) {
            return field + "/" + index;
        }
    }

    /** The step to go to when an expression of this step fails at run time, or null to end with an error. */
    default String onError() {
        return null;
    }

    /** Ports from name, target pairs; a null target is left out. */
    private static List<Port> present(String... namesAndTargets) {
        List<Port> all = new ArrayList<>();
        for (int i = 0; i < namesAndTargets.length; i += 2) {
            if (namesAndTargets[i + 1] != null) {
                all.add(new Port(namesAndTargets[i], namesAndTargets[i + 1]));
            }
        }
        return all;
    }

    private static void addItems(List<Port> all, String field, List<String> targets) {
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i) != null) {
                all.add(new Port(Port.item(field, i), targets.get(i)));
            }
        }
    }

    /**
     * Sends an action request to a channel and goes on at once. Under a rule set ({@code ruled}: true, the default),
     * quiet hours may hold it and frequency caps may skip it; {@code "rules": false} exempts a transactional message
     * from every rule, and it does not count against the caps.
     */
    record Action(String id, Channel channel, String template, Map<String, String> params, String next,
            String onError, boolean ruled, SendTime sendTime) implements Step {

        public Action(String id, Channel channel, String template, Map<String, String> params, String next,
                String onError) {
            this(id, channel, template, params, next, onError, true, null);
        }

        public StepType type() {
            return StepType.ACTION;
        }

        public List<Port> ports() {
            return present(Port.NEXT, next, Port.ON_ERROR, onError);
        }
    }

    /** Takes the first choice whose expression holds, else the default. */
    record Condition(String id, List<Choice> choices, String defaultNext, String onError) implements Step {
        public StepType type() {
            return StepType.CONDITION;
        }

        public List<Port> ports() {
            List<Port> all = new ArrayList<>();
            addItems(all, "choices", choices.stream().map(Choice::next).toList());
            all.addAll(present(Port.DEFAULT, defaultNext, Port.ON_ERROR, onError));
            return all;
        }
    }

    record Choice(String when, String next) {}

    /**
     * Send-time optimisation: within {@code within} of reaching the step, the instant the profile is most likely
     * to engage on {@code channel} (email or push) by {@code optimize} ("opens" or "clicks").
     */
    record SendTime(String optimize, Duration within, Channel channel) {
        public static final Duration SHORTEST = Duration.ofHours(2);
        public static final Duration LONGEST = Duration.ofDays(7);

        /** The engagement it learns from, as kept per profile: "email/opens", "push/opens", "email/clicks". */
        public String engagement() {
            return channel.jsonName() + "/" + optimize;
        }
    }

    /** Parks the profile for a fixed duration, until the instant an expression gives, or until its best send time. */
    record Wait(String id, Duration duration, String until, String next, String onError, SendTime sendTime)
            implements Step {

        public Wait(String id, Duration duration, String until, String next, String onError) {
            this(id, duration, until, next, onError, null);
        }
        public StepType type() {
            return StepType.WAIT;
        }

        public List<Port> ports() {
            return present(Port.NEXT, next, Port.ON_ERROR, onError);
        }
    }

    /** Sends the profile down one branch, chosen by a stable hash of profile, journey and step. */
    record Split(String id, List<Branch> branches) implements Step {
        public StepType type() {
            return StepType.SPLIT;
        }

        public List<Port> ports() {
            List<Port> all = new ArrayList<>();
            addItems(all, "branches", branches.stream().map(Branch::next).toList());
            return all;
        }
    }

    /** A share of a split, in percent (up to two decimals). */
    record Branch(double percent, String next) {}

    /** Parks the profile until one of the awaited events arrives, or until the timeout. */
    record Await(String id, List<Reaction> events, Duration timeout, String onTimeout, String onError)
            implements Step {
        public StepType type() {
            return StepType.AWAIT;
        }

        public List<Port> ports() {
            List<Port> all = new ArrayList<>();
            addItems(all, "events", events.stream().map(Reaction::next).toList());
            all.addAll(present(Port.ON_TIMEOUT, onTimeout, Port.ON_ERROR, onError));
            return all;
        }
    }

    /**
     * An awaited event: its type, an optional filter, and optionally the action step of this instance it
     * must react to (the event carries that action's request id).
     */
    record Reaction(String event, String when, String to, String next) {}

    /** Sets profile attributes from expressions, writes them out and goes on at once. */
    record UpdateProfile(String id, Map<String, String> set, String next, String onError) implements Step {
        public StepType type() {
            return StepType.UPDATE_PROFILE;
        }

        public List<Port> ports() {
            return present(Port.NEXT, next, Port.ON_ERROR, onError);
        }
    }

    /** Enters the profile into another journey (its re-entry rules apply) and goes on at once. */
    record Jump(String id, String journey, String next) implements Step {
        public StepType type() {
            return StepType.JUMP;
        }

        public List<Port> ports() {
            return present(Port.NEXT, next);
        }
    }

    /**
     * Calls a published action (an HTTP request) with params, and waits for its answer, readable
     * afterwards as {@code journey.results['<step>']}: an http 2xx goes on to {@code next}, any other answer
     * to {@code onError}, no answer in time (or "timedout") to {@code onTimeout}.
     */
    record Call(String id, String action, Map<String, String> params, String next, String onError, String onTimeout)
            implements Step {
        public StepType type() {
            return StepType.CALL;
        }

        public List<Port> ports() {
            return present(Port.NEXT, next, Port.ON_ERROR, onError, Port.ON_TIMEOUT, onTimeout);
        }
    }

    /**
     * Admits exactly the first {@code limit} profiles of the journey version that reach it, across the
     * whole job, to {@code next}; the others go to {@code overflow}.
     */
    record Cap(String id, long limit, String next, String overflow) implements Step {
        public StepType type() {
            return StepType.CAP;
        }

        public List<Port> ports() {
            return present(Port.NEXT, next, Port.OVERFLOW, overflow);
        }
    }

    /**
     * Assigns the profile to one arm of an experiment on a goal of the journey, by a stable hash of
     * profile, journey and step (as a split), and counts arms and conversions job-wide; with a
     * {@code winner} rule, once an arm is known to convert best, every later profile takes it.
     */
    record Experiment(String id, String goal, List<Arm> arms, Winner winner) implements Step {
        public StepType type() {
            return StepType.EXPERIMENT;
        }

        public List<Port> ports() {
            List<Port> all = new ArrayList<>();
            addItems(all, "arms", arms.stream().map(Arm::next).toList());
            return all;
        }

        /** The arm of this id, or null. */
        public Arm arm(String armId) {
            return arms.stream().filter(a -> a.id().equals(armId)).findFirst().orElse(null);
        }
    }

    /** An arm of an experiment: its share in percent, where it leads, and whether it is the holdout. */
    record Arm(String id, double percent, String next, boolean control) {}

    /**
     * When an experiment picks its winner: {@code after} the first profile reached the step, with at least
     * {@code minPerArm} profiles in every arm, the non-control arm whose rate is the highest with probability
     * at least {@code confidence}.
     */
    record Winner(Duration after, double confidence, long minPerArm) {}

    /**
     * Goes on at once inside a weekly {@code period} (local time in {@code timeZone}; the profile's zone falls back
     * to the journey's), else waits for the period's next opening.
     */
    record Window(String id, WeeklyPeriod period, ZoneChoice timeZone, String next) implements Step {
        public StepType type() {
            return StepType.WINDOW;
        }

        public List<Port> ports() {
            return present(Port.NEXT, next);
        }
    }

    /** Completes the instance. */
    record End(String id) implements Step {
        public StepType type() {
            return StepType.END;
        }

        public List<Port> ports() {
            return List.of();
        }
    }
}
