package io.journeys.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.avro.AudienceMember;
import io.journeys.avro.AudienceQualification;
import io.journeys.avro.DeadLetter;
import io.journeys.avro.EngineInput;
import io.journeys.avro.InputFormat;
import io.journeys.avro.InputSource;
import io.journeys.avro.ProfileEvent;
import io.journeys.avro.ProfileUpdate;
import io.journeys.avro.RawRecord;
import io.journeys.engine.AvroTrust;
import io.journeys.engine.Ids;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Locale;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Turns one raw input (a line, a message) into an engine input, or into a dead letter that says exactly
 * what is wrong with it. Never throws on bad input. Not thread-safe: it reuses its Avro readers, and each
 * parallel instance of a Flink function gets its own copy.
 */
public final class InputParser implements Serializable {

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final int maxPayloadBytes;
    // made on first use, then reused: a new reader builds its schema resolution again for every record
    private transient SpecificDatumReader<ProfileEvent> eventReader;
    private transient SpecificDatumReader<AudienceQualification> qualificationReader;
    private transient SpecificDatumReader<ProfileUpdate> updateReader;

    /** {@code maxPayloadBytes}: the guard rail, {@code GuardRails.DEFAULTS.maxPayloadBytes()} unless configured. */
    public InputParser(int maxPayloadBytes) {
        if (maxPayloadBytes <= 0) {
            throw new IllegalArgumentException("Expected a positive payload limit, but found " + maxPayloadBytes);
        }
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** Exactly one of the two is set. */
    public record Parsed(EngineInput input, DeadLetter deadLetter) {}

    private static final class Rejected extends Exception {
        final String code;

        Rejected(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    public Parsed parse(RawRecord raw) {
        try {
            if (raw.getMember() != null) {
                return new Parsed(readMember(raw), null);
            }
            JsonNode node = raw.getFormat() == InputFormat.AVRO ? readAvro(raw) : readObject(raw.getText());
            EngineInput input = switch (raw.getSource()) {
                case EVENTS -> event(node, raw);
                case PROFILES -> update(node, raw);
                case QUALIFICATIONS -> qualification(node, raw);
                case MEMBERS -> member(node, raw);
            };
            return new Parsed(input, null);
        } catch (Rejected rejected) {
            return new Parsed(null, deadLetter(raw, rejected.code, rejected.getMessage()));
        }
    }

    private JsonNode readObject(String text) throws Rejected {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxPayloadBytes) {
            throw new Rejected(InputErrors.TOO_LARGE,
                    "Expected at most " + maxPayloadBytes + " bytes, but the record has " + bytes);
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Rejected(InputErrors.NOT_JSON, "Expected a JSON object, but: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new Rejected(InputErrors.NOT_JSON, "Expected a JSON object, but found "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase()));
        }
        return node;
    }

    /**
     * Avro binary records use the wire schemas ProfileEvent and ProfileUpdate (avro-schemas/); they are read
     * into the JSON form so that one set of checks serves both formats.
     */
    private JsonNode readAvro(RawRecord raw) throws Rejected {
        byte[] bytes = raw.getBytes() == null ? new byte[0] : raw.getBytes().array();
        if (bytes.length > maxPayloadBytes) {
            throw new Rejected(InputErrors.TOO_LARGE,
                    "Expected at most " + maxPayloadBytes + " bytes, but the record has " + bytes.length);
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
            ObjectNode node = JSON.createObjectNode();
            if (raw.getSource() == InputSource.EVENTS) {
                eventReader = eventReader != null ? eventReader : avroReader(ProfileEvent.class);
                ProfileEvent event = eventReader.read(null, decoder);
                node.put("eventId", event.getEventId());
                node.put("profileId", event.getProfileId());
                node.put("type", event.getType());
                node.put("timestamp", Instant.ofEpochMilli(event.getTimestamp()).toString());
                node.set("data", embeddedJson("data", event.getData()));
                node.put("requestId", event.getRequestId());
            } else if (raw.getSource() == InputSource.QUALIFICATIONS) {
                qualificationReader = qualificationReader != null ? qualificationReader
                        : avroReader(AudienceQualification.class);
                AudienceQualification qualification = qualificationReader.read(null, decoder);
                node.put("profileId", qualification.getProfileId());
                node.put("audienceId", qualification.getAudienceId());
                node.put("status", qualification.getStatus());
                node.put("timestamp", Instant.ofEpochMilli(qualification.getTimestamp()).toString());
            } else {
                updateReader = updateReader != null ? updateReader : avroReader(ProfileUpdate.class);
                ProfileUpdate update = updateReader.read(null, decoder);
                node.put("profileId", update.getProfileId());
                node.put("timestamp", Instant.ofEpochMilli(update.getTimestamp()).toString());
                node.set("attributes", embeddedJson("attributes", update.getAttributes()));
            }
            if (!decoder.isEnd()) {
                throw new Rejected(InputErrors.NOT_JSON, "Expected one Avro record, but bytes follow it");
            }
            return node;
        } catch (IOException | RuntimeException e) {
            throw new Rejected(InputErrors.NOT_JSON, "Expected an Avro binary record (" + raw.getSource()
                    + "), but: " + e);
        }
    }

    private static JsonNode embeddedJson(String field, String text) throws Rejected {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Rejected(InputErrors.WRONG_FIELD_TYPE, "Expected " + field + " to hold a JSON object, but: "
                    + e.getOriginalMessage());
        }
    }

    private EngineInput event(JsonNode node, RawRecord raw) throws Rejected {
        String profileId = requiredString(node, "profileId", InputErrors.MISSING_PROFILE_ID);
        String type = requiredString(node, "type", InputErrors.MISSING_TYPE);
        long timestamp = timestamp(node);
        JsonNode data = node.get("data");
        if (data != null && !data.isNull() && !data.isObject()) {
            throw wrongType("data", "an object", data);
        }
        String dataText = data == null || data.isNull() ? "{}" : data.toString();
        String eventId = optionalString(node, "eventId");
        if (eventId == null) {
            eventId = Ids.of(profileId, type, timestamp, dataText);
        }
        ProfileEvent event = new ProfileEvent(eventId, profileId, type, timestamp, dataText,
                optionalString(node, "requestId"));
        return EngineInput.newBuilder().setProfileId(profileId).setTimestamp(timestamp).setSequence(raw.getPosition())
                .setEvent(event).build();
    }

    private EngineInput update(JsonNode node, RawRecord raw) throws Rejected {
        String profileId = requiredString(node, "profileId", InputErrors.MISSING_PROFILE_ID);
        long timestamp = timestamp(node);
        JsonNode attributes = node.get("attributes");
        if (attributes == null || !attributes.isObject()) {
            throw attributes == null
                    ? new Rejected(InputErrors.WRONG_FIELD_TYPE, "Expected attributes, an object, but there are none")
                    : wrongType("attributes", "an object", attributes);
        }
        return EngineInput.newBuilder().setProfileId(profileId).setTimestamp(timestamp).setSequence(raw.getPosition())
                .setUpdate(new ProfileUpdate(profileId, timestamp, attributes.toString())).build();
    }

    /** {"profileId", "audienceId", "status": "enter" | "exit", "timestamp"} from the audience-qualifications topic. */
    private EngineInput qualification(JsonNode node, RawRecord raw) throws Rejected {
        String profileId = requiredString(node, "profileId", InputErrors.MISSING_PROFILE_ID);
        String audienceId = requiredString(node, "audienceId", InputErrors.WRONG_FIELD_TYPE);
        String status = requiredString(node, "status", InputErrors.WRONG_FIELD_TYPE);
        if (!status.equals("enter") && !status.equals("exit")) {
            throw new Rejected(InputErrors.WRONG_FIELD_TYPE, "Expected status enter or exit, but found \"" + status + "\"");
        }
        long timestamp = timestamp(node);
        return EngineInput.newBuilder().setProfileId(profileId).setTimestamp(timestamp).setSequence(raw.getPosition())
                .setQualification(new AudienceQualification(profileId, audienceId, status, timestamp)).build();
    }

    /** A member the export reader already read into fields: only the payload limit is left to check. */
    private EngineInput readMember(RawRecord raw) throws Rejected {
        AudienceMember member = raw.getMember();
        String attributes = member.getAttributes();
        // a char takes at most 3 UTF-8 bytes: count them only when the text could be over the limit
        if ((long) attributes.length() * 3 > maxPayloadBytes) {
            int bytes = attributes.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxPayloadBytes) {
                throw new Rejected(InputErrors.TOO_LARGE,
                        "Expected at most " + maxPayloadBytes + " bytes, but the record has " + bytes);
            }
        }
        return new EngineInput(member.getProfileId(), member.getExportedAt(), raw.getPosition(), null, null, null,
                member);
    }

    /** A member of an audience export, as the export reader normalised it (or the reason it could not). */
    private EngineInput member(JsonNode node, RawRecord raw) throws Rejected {
        if (node.has("malformed")) {
            throw new Rejected(InputErrors.BAD_EXPORT_RECORD, node.get("malformed").asText());
        }
        String profileId = requiredString(node, "profileId", InputErrors.MISSING_PROFILE_ID);
        long exportedAt = Instant.parse(node.get("exportedAt").asText()).toEpochMilli();
        JsonNode previous = node.get("previousExportId");
        return EngineInput.newBuilder().setProfileId(profileId).setTimestamp(exportedAt).setSequence(raw.getPosition())
                .setMember(new AudienceMember(profileId, node.get("audienceId").asText(), node.get("exportId").asText(),
                        previous == null || previous.isNull() ? null : previous.asText(), exportedAt,
                        node.get("attributes").toString()))
                .build();
    }

    private static String requiredString(JsonNode node, String field, String missingCode) throws Rejected {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new Rejected(missingCode, "Expected " + field + ", but there is none");
        }
        if (!value.isTextual()) {
            throw wrongType(field, "a string", value);
        }
        if (value.textValue().isBlank()) {
            throw new Rejected(missingCode, "Expected " + field + ", but it is blank");
        }
        return value.textValue();
    }

    private static String optionalString(JsonNode node, String field) throws Rejected {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw wrongType(field, "a string", value);
        }
        return value.textValue();
    }

    private static long timestamp(JsonNode node) throws Rejected {
        String text = requiredString(node, "timestamp", InputErrors.MISSING_TIMESTAMP);
        Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (DateTimeException notUtc) {
            try {
                instant = OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeException e) {
                throw new Rejected(InputErrors.BAD_TIMESTAMP,
                        "Expected an ISO-8601 timestamp such as 2026-01-05T10:00:00Z, but found \"" + text + "\"");
            }
        }
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException beyondMillis) {
            // ISO-8601 allows years up to a billion; epoch milliseconds end in the year 292,278,994
            throw new Rejected(InputErrors.BAD_TIMESTAMP,
                    "Expected a timestamp within the range of epoch milliseconds, but found \"" + text + "\"");
        }
    }

    private static Rejected wrongType(String field, String expected, JsonNode found) {
        return new Rejected(InputErrors.WRONG_FIELD_TYPE, "Expected " + field + " to be " + expected + ", but found "
                + found.getNodeType().name().toLowerCase());
    }

    /** "line N" of an input file, "FILE record N" of an export part file, "topic/partition offset N" of Kafka. */
    private static String position(RawRecord raw) {
        if (raw.getOrigin() == null) {
            return "line " + raw.getPosition();
        }
        if (raw.getOrigin().startsWith("file:")) {
            return raw.getOrigin().substring("file:".length()) + " record " + raw.getPosition();
        }
        return raw.getOrigin() + " offset " + raw.getPosition();
    }

    private static DeadLetter deadLetter(RawRecord raw, String code, String message) {
        String source = raw.getSource().name().toLowerCase(Locale.ROOT);
        String payload = raw.getFormat() == InputFormat.AVRO && raw.getBytes() != null
                ? "base64:" + Base64.getEncoder().encodeToString(raw.getBytes().array())
                : raw.getMember() != null ? raw.getMember().toString() : raw.getText();
        return DeadLetter.newBuilder()
                .setId(Ids.of(source, raw.getPosition(), payload))
                .setErrorCode(code)
                .setMessage(message)
                .setSource(source)
                .setPosition(position(raw))
                .setPayload(payload)
                .build();
    }

    /** A reader of one of the job's own Avro records; Avro must trust them first, on whichever JVM this runs. */
    private static <T> SpecificDatumReader<T> avroReader(Class<T> type) {
        AvroTrust.trustOwnRecords();
        return new SpecificDatumReader<>(type);
    }

}
