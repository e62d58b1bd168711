package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.avro.ActionRequest;
import io.journeys.avro.DeadLetter;
import io.journeys.testing.SampleJourneys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/** Journeys published while the job runs, on the broadcast input, in processing time. */
class PublishingTest {

    private static final Instant NOW = Instant.parse("2026-05-04T09:00:00Z");

    private static final String HELLO = """
            {"id": "hello", "version": 1, "entry": {"type": "event", "event": "signup"}, "start": "send",
             "steps": {"send": {"type": "action", "channel": "email", "template": "hello", "next": "done"},
                       "done": {"type": "end"}}}""";

    @Test
    void shouldEnterAJourneyPublishedWhileTheJobRuns() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.with(EngineSettings.processingTime(List.of()))) {
            h.flink().setProcessingTime(NOW.toEpochMilli());
            h.event("p1", "signup", NOW, "{}");
            h.publish(HELLO).event("p2", "signup", NOW, "{}");

            assertThat(h.actions()).extracting(ActionRequest::getProfileId).containsExactly("p2");
            // p1's event id and p2's entry are remembered for their time, with a timer to forget them
            h.assertLeftBehind(Kept.profile("p2").entryUntil("hello", NOW.plus(Duration.ofMinutes(5))));
            h.flink().setProcessingTime(NOW.plus(Duration.ofDays(2)).toEpochMilli());
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldDeadLetterAnInvalidDefinitionAndKeepRunning() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.with(EngineSettings.processingTime(List.of()))) {
            h.flink().setProcessingTime(NOW.toEpochMilli());
            h.publish("{\"id\": \"Broken\"}").publish(HELLO).event("p1", "signup", NOW, "{}");

            assertThat(h.deadLetters()).singleElement().satisfies(letter -> {
                assertThat(letter.getSource()).isEqualTo("definitions");
                assertThat(letter.getErrorCode()).startsWith("JRN-");
                assertThat(letter.getMessage()).contains("JRN-005", "JRN-002");
            });
            assertThat(h.actions()).hasSize(1);
            h.assertLeftBehind(Kept.profile("p1").entryUntil("hello", NOW.plus(Duration.ofMinutes(5))));
            h.flink().setProcessingTime(NOW.plus(Duration.ofDays(2)).toEpochMilli());
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldExitEveryProfileInsideAtOnceWhenAStoppedVersionIsPublished() throws Exception {
        try (ProcessorHarness h = ProcessorHarness.with(EngineSettings.processingTime(List.of()))) {
            h.flink().setProcessingTime(NOW.toEpochMilli());
            h.publish(SampleJourneys.PROMO_V1).event("p1", "signup", NOW, "{}").event("p2", "signup", NOW, "{}");
            h.flink().setProcessingTime(NOW.plusSeconds(60).toEpochMilli());
            h.publish(SampleJourneys.promo(1, "\"status\": \"stopped\","));
            h.flink().setProcessingTime(NOW.plus(Duration.ofDays(3)).toEpochMilli());

            assertThat(h.actions()).isEmpty();
            assertThat(h.statusesByProfile()).contains("p1:wait:exited", "p2:wait:exited");
            assertThat(h.steps()).filteredOn(s -> s.getStatus().equals(StepStatus.EXITED))
                    .allSatisfy(s -> assertThat(s.getTimestamp()).isEqualTo(NOW.plusSeconds(60).toEpochMilli()));
            // the stop cannot move the profiles' timers: their journey timeouts stay, and with them the
            // signups' ids, which a record with a timer forgets when it is next written
            Instant timeout = NOW.plus(Duration.ofDays(91));
            h.assertLeftBehind(Kept.profile("p1").orphanReason(timeout, "instance:promo").expiredIds(1),
                    Kept.profile("p2").orphanReason(timeout, "instance:promo").expiredIds(1));
            h.flink().setProcessingTime(timeout.toEpochMilli());
            h.assertNothingLeftBehind();
        }
    }

    @Test
    void shouldKeepPublishedDefinitionsAcrossARestoreFromASnapshot() throws Exception {
        OperatorSubtaskState snapshot;
        try (ProcessorHarness h = ProcessorHarness.with(EngineSettings.processingTime(List.of()))) {
            h.flink().setProcessingTime(NOW.toEpochMilli());
            h.publish(SampleJourneys.PROMO_V1).event("waiting", "signup", NOW, "{}");
            snapshot = h.flink().snapshot(1L, NOW.toEpochMilli());
        }
        try (ProcessorHarness restored = ProcessorHarness.restored(EngineSettings.processingTime(List.of()), snapshot)) {
            restored.flink().setProcessingTime(NOW.plusSeconds(1).toEpochMilli());
            restored.event("newcomer", "signup", NOW.plusSeconds(1), "{}");
            restored.flink().setProcessingTime(NOW.plus(Duration.ofDays(2)).toEpochMilli());

            assertThat(restored.actions()).extracting(ActionRequest::getProfileId)
                    .containsExactlyInAnyOrder("waiting", "newcomer");
            assertThat(restored.deadLetters()).extracting(DeadLetter::getErrorCode).isEmpty();
            restored.assertNothingLeftBehind();
        }
    }
}
