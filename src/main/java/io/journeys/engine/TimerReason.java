package io.journeys.engine;

/**
 * Why a profile must be woken at an instant. The profile's record keeps, per instant, the reasons as text;
 * {@link #encode()} gives exactly the text earlier releases stored, so savepoints keep their meaning.
 */
sealed interface TimerReason {

    /** The text kept in the profile's record. */
    String encode();

    /** Something of the live instance of a journey is due: its wake-up, its journey timeout, or a stop. */
    record Instance(String journeyId) implements TimerReason {
        static final String PREFIX = "instance:";

        @Override
        public String encode() {
            return PREFIX + journeyId;
        }
    }

    /** An audience entry held back by its journey's rate has its slot. */
    record Deferred(String journeyId) implements TimerReason {
        static final String PREFIX = "deferred:";

        @Override
        public String encode() {
            return PREFIX + journeyId;
        }
    }

    /** The goal windows of an ended instance have closed: its watch is forgotten. */
    record GoalWindow(String instanceId) implements TimerReason {
        static final String PREFIX = "goals:";

        @Override
        public String encode() {
            return PREFIX + instanceId;
        }
    }

    /** Entries and event ids to forget, when they are all the record keeps. */
    record Forget() implements TimerReason {
        @Override
        public String encode() {
            return "forget";
        }
    }

    /** The profile's event history (for {@code countEvents}) has events to drop. */
    record History() implements TimerReason {
        @Override
        public String encode() {
            return "history";
        }
    }

    /** In event time, inputs held until the watermark passes their instant. */
    record Pending() implements TimerReason {
        @Override
        public String encode() {
            return "pending";
        }
    }

    TimerReason FORGET = new Forget();
    TimerReason HISTORY = new History();
    TimerReason PENDING = new Pending();

    /** The reason a stored text names. */
    static TimerReason decode(String text) {
        if (text.startsWith(Instance.PREFIX)) {
            return new Instance(text.substring(Instance.PREFIX.length()));
        }
        if (text.startsWith(GoalWindow.PREFIX)) {
            return new GoalWindow(text.substring(GoalWindow.PREFIX.length()));
        }
        if (text.startsWith(Deferred.PREFIX)) {
            return new Deferred(text.substring(Deferred.PREFIX.length()));
        }
        return switch (text) {
            case "forget" -> FORGET;
            case "history" -> HISTORY;
            case "pending" -> PENDING;
            default -> throw new IllegalStateException("Expected a timer reason, but the record holds \"" + text + "\"");
        };
    }
}
