package io.journeys.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Hand-written step events of one journey version, as {@code OutputJson.step} writes them, one instance at a time. */
final class StepEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String journeyId;
    private final int version;

    StepEvents(String journeyId, int version) {
        this.journeyId = journeyId;
        this.version = version;
    }

    Instance instance(String instanceId) {
        return new Instance(instanceId);
    }

    /** The events of one instance, in their order; each gets the next event id of the instance. */
    final class Instance {
        private final String instanceId;
        private final List<String> lines = new ArrayList<>();

        private Instance(String instanceId) {
            this.instanceId = instanceId;
        }

        Instance entered(String step) {
            return add(step, "entered", null, null);
        }

        Instance executed(String step, String branch, String next) {
            return add(step, "executed", branch, next);
        }

        Instance waiting(String step) {
            return add(step, "waiting", null, null);
        }

        Instance resumed(String step, String branch, String next) {
            return add(step, "resumed", branch, next);
        }

        Instance completed(String step) {
            return add(step, "completed", null, null);
        }

        Instance exited(String step) {
            return add(step, "exited", null, null);
        }

        Instance timedOut(String step) {
            return add(step, "timedOut", null, null);
        }

        Instance error(String step, String code) {
            return with(event(step, "error", null, null).put("errorCode", code));
        }

        Instance executedWithError(String step, String code, String next) {
            return with(event(step, "executed", "onError", next).put("errorCode", code));
        }

        Instance skipped(String step, String code, String next) {
            return with(event(step, "skipped", "next", next).put("errorCode", code));
        }

        /** An action held by quiet hours: waiting at the action step with RUL-006. */
        Instance held(String step) {
            return with(event(step, "waiting", null, null).put("errorCode", "RUL-006")
                    .put("message", "quiet hours night (21:00-08:00 UTC) hold the email action until ..."));
        }

        /**
         * A step with {@code sendTime} parks for the instant chosen, as the engine writes it: the message for
         * people, the fields for the report. The instance arrived at the events' timestamp, 2026-02-02T09:00:00Z.
         */
        Instance waitingToSend(String step, String sendAt, int hourOfWeek, String basis) {
            return with(event(step, "waiting", null, null).put("message", "send time " + sendAt + " (...)")
                    .put("sendAt", sendAt).put("sendHourOfWeek", hourOfWeek).put("sendBasis", basis));
        }

        /** A step with {@code sendTime} whose instant chosen is now: it goes on at once, its event saying so. */
        Instance executedToSend(String step, String next, int hourOfWeek, String basis) {
            return with(event(step, "executed", "next", next).put("sendAt", "2026-02-02T09:00:00Z")
                    .put("sendHourOfWeek", hourOfWeek).put("sendBasis", basis));
        }

        /** Ended by a rule where it was: RUL-002 (quiet hours discard) or RUL-003 (held too long). */
        Instance exitedBy(String step, String code) {
            return with(event(step, "exited", null, null).put("errorCode", code));
        }

        Instance excluded(String step, String code) {
            return with(event(step, "excluded", null, null).put("errorCode", code));
        }

        /** A conversion; {@code step} null once the instance has ended. */
        Instance converted(String step, String goal) {
            return with(event(step, "converted", null, null).put("goal", goal));
        }

        Instance assigned(String step, int armIndex, String arm, String next, boolean winner) {
            ObjectNode node = event(step, "executed", "arms/" + armIndex, next).put("arm", arm);
            if (winner) {
                node.put("winner", true);
            }
            return with(node);
        }

        List<String> lines() {
            return List.copyOf(lines);
        }

        private Instance add(String step, String status, String branch, String next) {
            return with(event(step, status, branch, next));
        }

        private Instance with(ObjectNode node) {
            lines.add(node.toString());
            return this;
        }

        private ObjectNode event(String step, String status, String branch, String next) {
            ObjectNode node = JSON.createObjectNode();
            node.put("eventId", instanceId + ":" + lines.size() + ":" + status);
            node.put("profileId", "p-" + instanceId);
            node.put("journeyId", journeyId);
            node.put("journeyVersion", version);
            node.put("instanceId", instanceId);
            node.put("stepId", step);
            node.put("status", status);
            node.put("timestamp", "2026-02-02T09:00:00Z");
            if (next != null) {
                node.put("next", next);
            }
            if (branch != null) {
                node.put("branch", branch);
            }
            return node;
        }
    }
}
