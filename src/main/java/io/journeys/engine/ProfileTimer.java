package io.journeys.engine;

import org.apache.flink.streaming.api.TimerService;

/**
 * The one Flink timer of a profile, at the first instant its record is due at (the record keeps why).
 * Many reasons to wake, added and removed while one input is handled, cost at most one timer deletion and
 * one registration, when the unit of work is flushed.
 */
final class ProfileTimer {

    private final TimerService timers;
    private final TimeMode timeMode;
    /** Where the Flink timer is; Long.MAX_VALUE for none. */
    private long armedAt = Long.MAX_VALUE;

    ProfileTimer(TimerService timers, TimeMode timeMode) {
        this.timers = timers;
        this.timeMode = timeMode;
    }

    /** The record was read: its first due instant is where the timer was set. */
    void armedAt(long first) {
        armedAt = first;
    }

    /** The timer firing at {@code at} is used up (Flink fires them in order). */
    void fired(long at) {
        if (armedAt <= at) {
            armedAt = Long.MAX_VALUE;
        }
    }

    /** Moves the timer to the record's first due instant, if it is not there already. */
    void moveTo(long first) {
        if (first == armedAt) {
            return;
        }
        if (armedAt != Long.MAX_VALUE) {
            if (timeMode == TimeMode.EVENT_TIME) {
                timers.deleteEventTimeTimer(armedAt);
            } else {
                timers.deleteProcessingTimeTimer(armedAt);
            }
        }
        if (first != Long.MAX_VALUE) {
            if (timeMode == TimeMode.EVENT_TIME) {
                timers.registerEventTimeTimer(first);
            } else {
                timers.registerProcessingTimeTimer(first);
            }
        }
        armedAt = first;
    }
}
