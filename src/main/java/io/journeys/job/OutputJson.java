package io.journeys.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.avro.ActionRequest;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.HttpCall;
import io.journeys.avro.ProfileEvent;
import io.journeys.avro.ProfileWrite;
import io.journeys.avro.StepEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** The JSON form of the job's outputs (DESIGN §7): one object per record, timestamps ISO-8601 UTC. */
public final class OutputJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OutputJson() {}

    public static String action(ActionRequest request) {
        ObjectNode node = JSON.createObjectNode();
        node.put("requestId", request.getRequestId());
        node.put("journeyId", request.getJourneyId());
        node.put("journeyVersion", request.getJourneyVersion());
        node.put("instanceId", request.getInstanceId());
        node.put("stepId", request.getStepId());
        node.put("profileId", request.getProfileId());
        node.put("channel", request.getChannel());
        node.put("template", request.getTemplate());
        try {
            node.set("params", JSON.readTree(request.getParams()));
        } catch (IOException e) {
            throw new UncheckedIOException("Expected params written by the engine to parse", e);
        }
        node.put("timestamp", Instant.ofEpochMilli(request.getTimestamp()).toString());
        if (request.getCall() != null) {
            // header values keep their ${env:...} references: the secrets themselves never leave the executor
            HttpCall call = request.getCall();
            ObjectNode http = node.putObject("call");
            http.put("actionId", call.getActionId());
            http.put("actionVersion", call.getActionVersion());
            http.put("method", call.getMethod());
            http.put("url", call.getUrl());
            ObjectNode headers = http.putObject("headers");
            call.getHeaders().forEach(headers::put);
            http.put("body", call.getBody());
            http.put("timeoutMillis", call.getTimeoutMillis());
            http.put("retries", call.getRetries());
            http.put("awaited", call.getAwaited());
        }
        return node.toString();
    }

    /** An event in the profile-events wire format (the executor's answers on action-results). */
    public static String event(ProfileEvent event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("eventId", event.getEventId());
        node.put("profileId", event.getProfileId());
        node.put("type", event.getType());
        node.put("timestamp", Instant.ofEpochMilli(event.getTimestamp()).toString());
        try {
            node.set("data", JSON.readTree(event.getData()));
        } catch (IOException e) {
            throw new UncheckedIOException("Expected event data written by the engine to parse", e);
        }
        if (event.getRequestId() != null) {
            node.put("requestId", event.getRequestId());
        }
        return node.toString();
    }

    public static String step(StepEvent event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("eventId", event.getEventId());
        node.put("profileId", event.getProfileId());
        node.put("journeyId", event.getJourneyId());
        node.put("journeyVersion", event.getJourneyVersion());
        node.put("instanceId", event.getInstanceId());
        node.put("stepId", event.getStepId());
        node.put("status", event.getStatus());
        node.put("timestamp", Instant.ofEpochMilli(event.getTimestamp()).toString());
        if (event.getNext() != null) {
            node.put("next", event.getNext());
        }
        if (event.getErrorCode() != null) {
            node.put("errorCode", event.getErrorCode());
        }
        if (event.getMessage() != null) {
            node.put("message", event.getMessage());
        }
        if (event.getBranch() != null) {
            node.put("branch", event.getBranch());
        }
        if (event.getArm() != null) {
            node.put("arm", event.getArm());
        }
        if (Boolean.TRUE.equals(event.getWinner())) {
            node.put("winner", true);
        }
        if (event.getGoal() != null) {
            node.put("goal", event.getGoal());
        }
        if (event.getSendAt() != null) {
            node.put("sendAt", Instant.ofEpochMilli(event.getSendAt()).toString());
            node.put("sendHourOfWeek", event.getSendHourOfWeek());
            node.put("sendBasis", event.getSendBasis());
        }
        return node.toString();
    }

    public static String profileWrite(ProfileWrite write) {
        ObjectNode node = JSON.createObjectNode();
        node.put("writeId", write.getWriteId());
        node.put("profileId", write.getProfileId());
        node.put("journeyId", write.getJourneyId());
        node.put("journeyVersion", write.getJourneyVersion());
        node.put("instanceId", write.getInstanceId());
        node.put("stepId", write.getStepId());
        try {
            node.set("attributes", JSON.readTree(write.getAttributes()));
        } catch (IOException e) {
            throw new UncheckedIOException("Expected attributes written by the engine to parse", e);
        }
        node.put("timestamp", Instant.ofEpochMilli(write.getTimestamp()).toString());
        return node.toString();
    }

    public static String deadLetter(DeadLetter letter) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", letter.getId());
        node.put("errorCode", letter.getErrorCode());
        node.put("message", letter.getMessage());
        node.put("source", letter.getSource());
        if (letter.getPosition() != null) {
            node.put("position", letter.getPosition());
        }
        if (letter.getProfileId() != null) {
            node.put("profileId", letter.getProfileId());
        }
        if (letter.getTimestamp() != null) {
            node.put("timestamp", Instant.ofEpochMilli(letter.getTimestamp()).toString());
        }
        node.put("payload", letter.getPayload());
        return node.toString();
    }

    /** A population snapshot of send times, as {@link io.journeys.sendtime.PopulationDocument} reads it back. */
    public static String population(io.journeys.avro.PopulationSnapshot snapshot) {
        double[] weights = snapshot.getWeights().stream().mapToDouble(Double::doubleValue).toArray();
        return io.journeys.sendtime.PopulationDocument.write(snapshot.getKind(), snapshot.getZone(), snapshot.getAsOf(),
                weights);
    }

    /** An experiment's winner, as {@link io.journeys.engine.ExperimentWinners} reads it back. */
    public static String winner(io.journeys.avro.ExperimentWinner winner) {
        return io.journeys.engine.ExperimentWinners.write(winner);
    }
}
