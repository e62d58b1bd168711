package io.journeys.engine;

import io.journeys.avro.DeadLetter;
import io.journeys.avro.EngineInput;
import io.journeys.avro.ProfileEvent;
import io.journeys.dsl.Problem;
import java.time.Instant;
import java.util.List;

/** The dead letters the engine itself writes: inputs it refuses, and definitions it cannot load. */
final class DeadLetters {

    private DeadLetters() {}

    /** An event the engine refuses (a duplicate, an entry over a guard rail, an entry filter that failed). */
    static DeadLetter ofEvent(String code, String id, String message, ProfileEvent event) {
        return DeadLetter.newBuilder()
                .setId(id)
                .setErrorCode(code)
                .setMessage(message)
                .setSource("engine")
                .setProfileId(event.getProfileId())
                .setPayload(event.toString())
                .setTimestamp(event.getTimestamp())
                .build();
    }

    /** In event time, an input at or before the watermark: its instant has been handled already. */
    static DeadLetter lateInput(EngineInput input, long watermark) {
        return DeadLetter.newBuilder()
                .setId(Ids.of("late", input.getProfileId(), input.getTimestamp(), input.getSequence()))
                .setErrorCode(ErrorCodes.LATE_INPUT)
                .setMessage("Expected an input after the watermark " + Instant.ofEpochMilli(watermark) + ", but it is at "
                        + Instant.ofEpochMilli(input.getTimestamp()))
                .setSource("engine")
                .setProfileId(input.getProfileId())
                .setPayload(input.toString())
                .setTimestamp(input.getTimestamp())
                .build();
    }

    /** A published document that does not load, with every problem found in it. */
    static DeadLetter invalidDefinition(String document, List<Problem> problems) {
        return DeadLetter.newBuilder()
                .setId(Ids.of("definition", document))
                .setErrorCode(problems.get(0).code().code())
                .setMessage("Expected a valid journey, but: " + problems)
                .setSource("definitions")
                .setPayload(document)
                .build();
    }

    /** A population document on the definitions' broadcast that cannot be used: the one before stays. */
    static DeadLetter invalidWinner(String document, String reason) {
        return invalidBroadcast("winner", ErrorCodes.INVALID_WINNER, "experiment winner", document, reason);
    }

    static DeadLetter invalidPopulation(String document, String reason) {
        return invalidBroadcast("population", ErrorCodes.INVALID_POPULATION, "send-time population", document, reason);
    }

    /** A document the job's own counters published on the definitions' broadcast that cannot be read. */
    private static DeadLetter invalidBroadcast(String kind, String code, String what, String document, String reason) {
        return DeadLetter.newBuilder()
                .setId(Ids.of(kind, document))
                .setErrorCode(code)
                .setMessage("Expected a valid " + what + ", but: " + reason)
                .setSource("definitions")
                .setPayload(document)
                .build();
    }
}
