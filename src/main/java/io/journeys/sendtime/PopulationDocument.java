package io.journeys.sendtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Set;

/**
 * The population's engagement of one kind as the Kafka job publishes it to its send-time population topic and
 * reads it back on the definitions' broadcast: {@code {"kind": "population", "engagement": "email/opens",
 * "asOf": ms, "weights": [168 numbers]}} for everyone, the same with {@code "zone": "Asia/Tokyo"} for the
 * profiles of one zone (a document without a zone, as every release before zones wrote, is everyone's). One
 * format, written and read here only, so the two ends cannot drift.
 */
public final class PopulationDocument {

    /** The {@code kind} that tells a population document from a journey, action or rule set. */
    public static final String KIND = "population";

    /** The engagements a population is kept for (SendTimes counts these). */
    public static final Set<String> ENGAGEMENTS = Set.of("email/opens", "email/clicks", "push/opens");

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A population read from a document: its engagement kind, the zone of its profiles (null: everyone's),
     * weights as of {@code asOf} (epoch ms).
     */
    public record Population(String engagement, String zone, long asOf, double[] weights) {}

    /** A document that is not a valid population: why. */
    public static final class InvalidPopulation extends Exception {
        InvalidPopulation(String message) {
            super(message);
        }
    }

    private PopulationDocument() {}

    /** Everyone's population of one kind. */
    public static String write(String engagement, long asOf, double[] weights) {
        return write(engagement, null, asOf, weights);
    }

    /** The population of one kind in one zone; null or empty: everyone's. */
    public static String write(String engagement, String zone, long asOf, double[] weights) {
        ObjectNode document = JSON.createObjectNode().put("kind", KIND).put("engagement", engagement);
        if (zone != null && !zone.isEmpty()) {
            document.put("zone", zone);
        }
        document.put("asOf", asOf);
        ArrayNode array = document.putArray("weights");
        for (double weight : weights) {
            array.add(weight);
        }
        return document.toString();
    }

    /** Whether a document says it is a population (valid or not): cheap enough for every published document. */
    public static boolean isPopulation(String document) {
        if (!document.contains("\"" + KIND + "\"")) {
            return false; // a journey, action or rule set, without parsing it twice
        }
        try {
            JsonNode kind = JSON.readTree(document).get("kind");
            return kind != null && KIND.equals(kind.asText());
        } catch (Exception notJson) {
            return false;
        }
    }

    public static Population read(String document) throws InvalidPopulation {
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (Exception notJson) {
            throw new InvalidPopulation("not JSON: " + notJson.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidPopulation("not an object");
        }
        JsonNode engagement = root.get("engagement");
        if (engagement == null || !ENGAGEMENTS.contains(engagement.asText())) {
            throw new InvalidPopulation("engagement must be one of " + ENGAGEMENTS + ", but is " + engagement);
        }
        String zone = null;
        JsonNode zoneNode = root.get("zone");
        if (zoneNode != null) {
            // the zone names the profiles whose choices it decides: one that is no zone would decide none
            try {
                zone = ZoneId.of(zoneNode.isTextual() ? zoneNode.asText() : "?").getId();
            } catch (DateTimeException notAZone) {
                throw new InvalidPopulation("zone must be a time zone id such as Europe/Paris, but is " + zoneNode);
            }
        }
        JsonNode asOf = root.get("asOf");
        if (asOf == null || !asOf.canConvertToLong() || !asOf.isIntegralNumber() || asOf.asLong() < 0) {
            throw new InvalidPopulation("asOf must be epoch milliseconds, but is " + asOf);
        }
        JsonNode weights = root.get("weights");
        if (weights == null || !weights.isArray() || weights.size() != HoursOfWeek.COUNT) {
            throw new InvalidPopulation("weights must be " + HoursOfWeek.COUNT + " numbers, one per hour of the week");
        }
        double[] values = new double[HoursOfWeek.COUNT];
        for (int h = 0; h < values.length; h++) {
            JsonNode weight = weights.get(h);
            // a negative or infinite weight would make every score meaningless for every profile
            if (!weight.isNumber() || !Double.isFinite(weight.asDouble()) || weight.asDouble() < 0) {
                throw new InvalidPopulation("weights[" + h + "] must be a finite number at least 0, but is " + weight);
            }
            values[h] = weight.asDouble();
        }
        return new Population(engagement.asText(), zone, asOf.asLong(), values);
    }
}
