package io.journeys.engine;

import io.journeys.avro.EventHistory;
import io.journeys.avro.ProfileEvent;
import io.journeys.dsl.JourneyParser;
import io.journeys.expr.EventCounter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;

/**
 * A profile's recent events of the types some journey counts ({@code countEvents}), oldest first, at most
 * {@code maxEvents} of them; the whole history is dropped a day-rounded {@link #LONGEST} after its
 * newest event (one clean-up timer a day at most).
 */
final class RecentEventHistory {

    /** countEvents looks back at most this far. */
    static final Duration LONGEST = JourneyParser.LONGEST_TIMEOUT;

    private final ValueState<EventHistory> state;
    private final int maxEvents;

    RecentEventHistory(ValueState<EventHistory> state, int maxEvents) {
        this.state = state;
        this.maxEvents = maxEvents;
    }

    /** Records an event; returns when the history may be dropped (a timer to register). */
    long record(ProfileEvent event) throws Exception {
        EventHistory current = state.value();
        List<String> types = current == null ? new ArrayList<>() : new ArrayList<>(current.getTypes());
        List<Long> timestamps = current == null ? new ArrayList<>() : new ArrayList<>(current.getTimestamps());
        int at = timestamps.size();
        while (at > 0 && timestamps.get(at - 1) > event.getTimestamp()) {
            at--; // processing time may see events out of order; keep the history sorted
        }
        types.add(at, event.getType());
        timestamps.add(at, event.getTimestamp());
        while (timestamps.size() > maxEvents) {
            types.remove(0);
            timestamps.remove(0);
        }
        state.update(new EventHistory(types, timestamps));
        return dropAt(timestamps);
    }

    EventCounter counter() {
        return (type, since) -> {
            try {
                EventHistory current = state.value();
                if (current == null) {
                    return 0;
                }
                long sinceMillis = since.toEpochMilli();
                long count = 0;
                for (int i = 0; i < current.getTypes().size(); i++) {
                    if (current.getTimestamps().get(i) >= sinceMillis && current.getTypes().get(i).equals(type)) {
                        count++;
                    }
                }
                return count;
            } catch (Exception e) {
                throw new IllegalStateException("Expected to read the event history, but could not", e);
            }
        };
    }

    /** Drops the history once its newest event is too old to count. */
    void dropIfExpired(long now) throws Exception {
        EventHistory current = state.value();
        if (current != null && dropAt(current.getTimestamps()) <= now) {
            state.clear();
        }
    }

    /** Whether the history's clean-up timer is at {@code at}. */
    boolean needsTimerAt(long at) throws Exception {
        EventHistory current = state.value();
        return current != null && dropAt(current.getTimestamps()) == at;
    }

    private static long dropAt(List<Long> timestamps) {
        long newest = timestamps.get(timestamps.size() - 1);
        long day = Duration.ofDays(1).toMillis();
        return ((newest + LONGEST.toMillis()) / day + 1) * day;
    }
}
