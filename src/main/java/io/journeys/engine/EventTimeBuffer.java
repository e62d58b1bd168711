package io.journeys.engine;

import io.journeys.avro.EngineInput;
import io.journeys.avro.PendingInputs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.state.MapState;

/**
 * In event time, inputs wait in state until the watermark passes their instant, and are then handled in
 * timestamp order, so an unsorted replay gives the same result as a sorted one.
 */
final class EventTimeBuffer {

    /** Inputs of one instant: profile updates first (they describe the profile as of that instant), then by position. */
    private static final Comparator<EngineInput> INSTANT_ORDER = Comparator
            .comparing((EngineInput input) -> input.getUpdate() == null)
            .thenComparingLong(EngineInput::getSequence);

    private final MapState<Long, PendingInputs> pending;

    EventTimeBuffer(MapState<Long, PendingInputs> pending) {
        this.pending = pending;
    }

    /** Holds an input until its instant; the profile is woken then. */
    void hold(EngineInput input, ProfileUnit unit) throws Exception {
        long timestamp = input.getTimestamp();
        PendingInputs batch = pending.get(timestamp);
        if (batch == null) {
            batch = new PendingInputs(new ArrayList<>());
        }
        batch.getInputs().add(input);
        pending.put(timestamp, batch);
        unit.register(timestamp, TimerReason.PENDING);
    }

    /** The inputs held for this instant, in the order they are handled; they are no longer held. */
    List<EngineInput> release(long timestamp) throws Exception {
        PendingInputs batch = pending.get(timestamp);
        if (batch == null) {
            return List.of();
        }
        pending.remove(timestamp);
        List<EngineInput> inputs = new ArrayList<>(batch.getInputs());
        inputs.sort(INSTANT_ORDER);
        return inputs;
    }
}
