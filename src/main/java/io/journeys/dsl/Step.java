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

    /** Sends an action request to a channel and goes on at once. */
    record Action(String id, Channel channel, String template, Map<String, String> params, String next)
            implements Step {
        public StepType type() {
            return StepType.ACTION;
        }

        public List<String> targets() {
            return next == null ? List.of() : List.of(next);
        }
    }

    /** Takes the first choice whose expression holds, else the default. */
    record Condition(String id, List<Choice> choices, String defaultNext) implements Step {
        public StepType type() {
            return StepType.CONDITION;
        }

        public List<String> targets() {
            List<String> all = new ArrayList<>();
            choices.forEach(c -> all.add(c.next()));
            all.add(defaultNext);
            all.removeIf(Objects::isNull);
            return all;
        }
    }

    record Choice(String when, String next) {}

    /** Parks the profile for a fixed duration or until the instant an expression gives. */
    record Wait(String id, Duration duration, String until, String next) implements Step {
        public StepType type() {
            return StepType.WAIT;
        }

        public List<String> targets() {
            return next == null ? List.of() : List.of(next);
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
