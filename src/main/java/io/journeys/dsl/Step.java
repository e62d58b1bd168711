package io.journeys.dsl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** One named step of a journey. Each step type is a record; transitions name other steps by id. */
public sealed interface Step {

    String id();

    StepType type();

    /** Every step this one can go to, in the order the author wrote them; a missing target is left out. */
    List<String> targets();

    /** The step to go to when an expression of this step fails at run time, or null to end with an error. */
    default String onError() {
        return null;
    }

    private static List<String> present(String... targets) {
        List<String> all = new ArrayList<>();
        for (String target : targets) {
            if (target != null) {
                all.add(target);
            }
        }
        return all;
    }

    /** Sends an action request to a channel and goes on at once. */
    record Action(String id, Channel channel, String template, Map<String, String> params, String next,
            String onError) implements Step {
        public StepType type() {
            return StepType.ACTION;
        }

        public List<String> targets() {
            return present(next, onError);
        }
    }

    /** Takes the first choice whose expression holds, else the default. */
    record Condition(String id, List<Choice> choices, String defaultNext, String onError) implements Step {
        public StepType type() {
            return StepType.CONDITION;
        }

        public List<String> targets() {
            List<String> all = new ArrayList<>();
            choices.forEach(c -> all.add(c.next()));
            all.add(defaultNext);
            all.add(onError);
            all.removeIf(Objects::isNull);
            return all;
        }
    }

    record Choice(String when, String next) {}

    /** Parks the profile for a fixed duration or until the instant an expression gives. */
    record Wait(String id, Duration duration, String until, String next, String onError) implements Step {
        public StepType type() {
            return StepType.WAIT;
        }

        public List<String> targets() {
            return present(next, onError);
        }
    }

    /** Sends the profile down one branch, chosen by a stable hash of profile, journey and step. */
    record Split(String id, List<Branch> branches) implements Step {
        public StepType type() {
            return StepType.SPLIT;
        }

        public List<String> targets() {
            List<String> all = new ArrayList<>();
            branches.forEach(b -> all.add(b.next()));
            all.removeIf(Objects::isNull);
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

        public List<String> targets() {
            List<String> all = new ArrayList<>();
            events.forEach(r -> all.add(r.next()));
            all.add(onTimeout);
            all.add(onError);
            all.removeIf(Objects::isNull);
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

        public List<String> targets() {
            return present(next, onError);
        }
    }

    /** Enters the profile into another journey (its re-entry rules apply) and goes on at once. */
    record Jump(String id, String journey, String next) implements Step {
        public StepType type() {
            return StepType.JUMP;
        }

        public List<String> targets() {
            return present(next);
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

        public List<String> targets() {
            return present(next, onError, onTimeout);
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

        public List<String> targets() {
            return present(next, overflow);
        }
    }

    /** Completes the instance. */
    record End(String id) implements Step {
        public StepType type() {
            return StepType.END;
        }

        public List<String> targets() {
            return List.of();
        }
    }
}
