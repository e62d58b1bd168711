package io.journeys.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;

/**
 * Definitions for the fuzz suite, by grammar: valid journeys (a random graph of action, wait, condition and split
 * steps that only moves forward, so that every step is reachable and any cycle waits), valid action definitions
 * and rule sets, and documents with one known fault each, with the validation code README.md gives for it.
 */
public final class DefinitionGenerators {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ZONES = List.of("UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata",
            "Pacific/Chatham", "Etc/GMT+12");
    private static final List<String> DURATIONS = List.of("PT1S", "PT1M", "PT1H", "P1D", "P7D", "PT36H", "P2W");
    private static final List<String> CONDITIONS = List.of("true", "event.plan == 'pro'",
            "has(profile.loginCount) && profile.loginCount > 3", "size(event.tags) > 0", "profile.firstName != ''",
            "event.amount * 2.0 >= 10.5", "'vip' in profile.tags");

    /** A document with one fault, and the code of the problem it must get (among others it may get). */
    public record Faulty(String document, String code) {}

    private DefinitionGenerators() {}

    // ---- journeys ----

    public static ObjectNode journey(Random random) {
        ObjectNode journey = JSON.createObjectNode();
        journey.put("id", "j-" + random.nextInt(1_000));
        journey.put("version", 1 + random.nextInt(50));
        if (random.nextBoolean()) {
            journey.put("timeZone", Mutations.pick(random, ZONES));
        }
        ObjectNode entry = journey.putObject("entry");
        entry.put("type", "event");
        entry.put("event", Mutations.pick(random, List.of("signup", "order.placed", "login")));
        if (random.nextInt(5) == 0) {
            entry.put("when", Mutations.pick(random, CONDITIONS));
        }
        int count = 2 + random.nextInt(8);
        journey.put("start", "s0");
        ObjectNode steps = journey.putObject("steps");
        for (int i = 0; i < count - 1; i++) {
            steps.set("s" + i, step(random, i, count));
        }
        steps.putObject("s" + (count - 1)).put("type", "end");
        return journey;
    }

    /** A step that goes on to the next one (so every step is reachable), and maybe to later ones. */
    private static ObjectNode step(Random random, int at, int count) {
        ObjectNode step = JSON.createObjectNode();
        String next = "s" + (at + 1);
        // conditions are rarer than the rest: a CEL check costs half a millisecond, the rest of a step microseconds
        int kind = random.nextInt(10);
        switch (kind < 4 ? 0 : kind < 7 ? 1 : kind < 9 ? 2 : 3) {
            case 0 -> {
                step.put("type", "action");
                step.put("channel", Mutations.pick(random, List.of("email", "push", "sms", "inApp")));
                step.put("template", "t-" + random.nextInt(9));
                if (random.nextBoolean()) {
                    step.putObject("params").put("name", "profile.firstName");
                }
                step.put("next", next);
            }
            case 1 -> {
                step.put("type", "wait");
                if (random.nextInt(4) == 0) {
                    step.put("until", "timestamp('2026-0" + (1 + random.nextInt(9)) + "-15T10:00:00Z')");
                } else {
                    step.put("duration", Mutations.pick(random, DURATIONS));
                }
                step.put("next", next);
            }
            default -> {
                step.put("type", "condition");
                ArrayNode choices = step.putArray("choices");
                for (int i = 1 + random.nextInt(2); i > 0; i--) {
                    choices.addObject().put("when", Mutations.pick(random, CONDITIONS)).put("next", later(random, at, count));
                }
                step.put("default", next);
            }
            case 2 -> {
                step.put("type", "split");
                ArrayNode branches = step.putArray("branches");
                int first = 1 + random.nextInt(99);
                branches.addObject().put("percent", first).put("next", next);
                branches.addObject().put("percent", 100 - first).put("next", later(random, at, count));
            }
        }
        return step;
    }

    private static String later(Random random, int at, int count) {
        return "s" + (at + 1 + random.nextInt(count - at - 1));
    }

    public static Faulty faultyJourney(Random random) {
        ObjectNode journey = journey(random);
        ObjectNode steps = (ObjectNode) journey.get("steps");
        ObjectNode first = (ObjectNode) steps.get("s0");
        switch (random.nextInt(14)) {
            case 0:
                first.put("type", Mutations.pick(random, List.of("teleport", "Action", "", "end ", "wait\u0000")));
                return faulty(journey, "JRN-011");
            case 1: {
                // a step that goes back to the start with no wait on the way: an instant loop
                ObjectNode loop = JSON.createObjectNode().put("type", "action").put("channel", "email")
                        .put("template", "t").put("next", "s0");
                steps.removeAll();
                steps.set("s0", JSON.createObjectNode().put("type", "condition").set("choices",
                        JSON.createArrayNode().add(JSON.createObjectNode().put("when", "true").put("next", "loop"))));
                ((ObjectNode) steps.get("s0")).put("default", "done");
                steps.set("loop", loop);
                steps.putObject("done").put("type", "end");
                return faulty(journey, "JRN-016");
            }
            case 2:
                journey.put("timeZone", Mutations.pick(random, List.of("Mars/Olympus", "UTC+99", "Europe/paris ", "")));
                return faulty(journey, "JRN-010");
            case 3:
                steps.set("s0", JSON.createObjectNode().put("type", "wait").put("next", "s1").put("duration",
                        Mutations.pick(random, List.of("1 day", "P1X", "PT", "P1Y", "P1M", "PT1.5.5S", "P1DT"))));
                return faulty(journey, "JRN-008");
            case 4:
                journey.put(Mutations.pick(random, List.of("startAt", "endAt", "publishedAt")), Mutations.pick(random,
                        List.of("tomorrow", "2026-13-01T00:00:00Z", "2026-01-01", "1767225600", "2026-01-01T00:00:00")));
                return faulty(journey, "JRN-009");
            case 5:
                steps.set("s0", JSON.createObjectNode().put("type", "condition").put("default", "s1").set("choices",
                        JSON.createArrayNode().add(JSON.createObjectNode().put("next", "s1").put("when",
                                Mutations.pick(random, List.of("event.plan ==", "(((", "profile.x +* 2", "'unclosed",
                                        "1 + 'a'", "undefinedFunction(1)", ""))))));
                return faulty(journey, "JRN-018");
            case 6:
                journey.remove(Mutations.pick(random, List.of("start", "steps", "id", "version", "entry")));
                return faulty(journey, "JRN-002");
            case 7:
                journey.put(Mutations.pick(random, List.of("extra", "Start", "stepz", "\u0000")), 1);
                return faulty(journey, "JRN-003");
            case 8:
                journey.put("id", Mutations.pick(random, List.of("Bad Id", "-x", "", "UPPER", "a".repeat(65), "é")));
                return faulty(journey, "JRN-005");
            case 9:
                journey.put("version", Mutations.pick(random, List.of(0, -1, Integer.MIN_VALUE)));
                return faulty(journey, "JRN-006");
            case 10:
                String nowhere = Mutations.pick(random, List.of("nowhere", "S0", "s99"));
                if (first.has("branches")) {
                    ((ObjectNode) first.get("branches").get(0)).put("next", nowhere);
                } else {
                    first.put(first.has("next") ? "next" : "default", nowhere);
                }
                return faulty(journey, "JRN-013");
            case 11:
                steps.set("s0", JSON.createObjectNode().put("type", "split").set("branches", JSON.createArrayNode()
                        .add(JSON.createObjectNode().put("percent", 50).put("next", "s1"))
                        .add(JSON.createObjectNode().put("percent", Mutations.pick(random, List.of(40, 60, 0)))
                                .put("next", "s1"))));
                return faulty(journey, "JRN-024");
            case 12:
                steps.set("s0", JSON.createObjectNode().put("type", "condition").put("default", "s1").set("choices",
                        JSON.createArrayNode().add(JSON.createObjectNode().put("next", "s1")
                                .put("when", "(".repeat(60) + "true" + ")".repeat(60)))));
                return faulty(journey, "JRN-031");
            default:
                steps.set("s0", JSON.createObjectNode().put("type", "action").put("template", "t").put("next", "s1")
                        .put("channel", Mutations.pick(random, List.of("fax", "EMAIL", "pigeon", ""))));
                return faulty(journey, "JRN-019");
        }
    }

    // ---- actions ----

    public static ObjectNode action(Random random) {
        ObjectNode action = JSON.createObjectNode();
        action.put("kind", "action");
        action.put("id", "a-" + random.nextInt(1_000));
        action.put("version", 1 + random.nextInt(9));
        action.put("method", Mutations.pick(random, List.of("GET", "POST", "PUT", "PATCH", "DELETE")));
        action.put("url", Mutations.pick(random, List.of("https://crm.example.com/customers/{customerId}",
                "http://api.example.org/v1/tier?id={id}", "https://example.com/", "https://h.example.com:8443/x")));
        if (random.nextBoolean()) {
            action.putObject("headers").put("Authorization", "Bearer ${env:CRM_TOKEN}").put("X-Trace", "fuzz");
        }
        if (random.nextBoolean()) {
            action.put("timeout", Mutations.pick(random, List.of("PT1S", "PT5S", "PT30S", "PT5M")));
        }
        if (random.nextBoolean()) {
            action.put("retries", random.nextInt(11));
        }
        if (random.nextBoolean()) {
            action.putObject("capping").put("maxCallsPerMinute", 1 + random.nextInt(10_000));
        }
        if (random.nextBoolean()) {
            action.putObject("throttling").put("maxConcurrent", 1 + random.nextInt(100));
        }
        if (random.nextBoolean()) {
            action.put("maxResponseBytes", 1_024 + random.nextInt(1_000_000));
        }
        return action;
    }

    public static Faulty faultyAction(Random random) {
        ObjectNode action = action(random);
        switch (random.nextInt(6)) {
            case 0:
                action.put("method", Mutations.pick(random, List.of("FETCH", "", "CONNECT", "TRACE", "G E T")));
                return faulty(action, "ACT-001");
            case 1:
                action.put("url", Mutations.pick(random, List.of("ftp://example.com/x", "example.com", "https://",
                        "https://{host}/x", "https://example.com/{}", "javascript:alert(1)", "")));
                return faulty(action, "ACT-002");
            case 2:
                action.putObject("headers").put(Mutations.pick(random, List.of("Authorization", "X-Api-Key", "Cookie",
                        "X-Secret")), "literal-credential-42");
                return faulty(action, "ACT-003");
            case 3:
                action.put("retries", Mutations.pick(random, List.of(11, -1, 1_000_000)));
                return faulty(action, "JRN-029");
            case 4:
                action.put("timeout", Mutations.pick(random, List.of("PT6M", "P1D", "PT0S")));
                return faulty(action, "JRN-020");
            default:
                action.put("timeout", Mutations.pick(random, List.of("5s", "PT", "P1X", "soon")));
                return faulty(action, "JRN-008");
        }
    }

    // ---- rule sets ----

    public static ObjectNode rules(Random random) {
        ObjectNode rules = JSON.createObjectNode();
        rules.put("kind", "rules");
        rules.put("id", "r-" + random.nextInt(1_000));
        rules.put("version", 1 + random.nextInt(9));
        ArrayNode frequency = rules.putArray("frequency");
        frequency.addObject().put("id", "f1").put("max", 1 + random.nextInt(10_000))
                .put("per", Mutations.pick(random, List.of("day", "week", "month")))
                .put("timeZone", Mutations.pick(random, List.of("UTC", "profile", "Europe/Paris")))
                .set("channels", JSON.createArrayNode().add("email").add("sms"));
        if (random.nextBoolean()) {
            int from = random.nextInt(24);
            int to = (from + 1 + random.nextInt(23)) % 24;
            ObjectNode quiet = rules.putArray("quietHours").addObject().put("id", "q1")
                    .put("from", String.format("%02d:%02d", from, random.nextInt(60)))
                    .put("to", String.format("%02d:00", to))
                    .put("timeZone", "profile");
            quiet.set("channels", JSON.createArrayNode().add("push"));
            if (random.nextBoolean()) {
                quiet.put("then", "queue").put("maxHold", Mutations.pick(random, List.of("PT1H", "P1D", "P30D")));
            } else {
                quiet.put("then", "discard");
            }
            rules.put("fallbackTimeZone", "Europe/Paris");
        }
        if (random.nextBoolean()) {
            rules.putObject("entries").put("maxConcurrent", 1 + random.nextInt(10_000));
        }
        return rules;
    }

    public static Faulty faultyRules(Random random) {
        ObjectNode rules = rules(random);
        ObjectNode frequency = (ObjectNode) rules.get("frequency").get(0);
        switch (random.nextInt(7)) {
            case 0:
                frequency.put("per", Mutations.pick(random, List.of("year", "DAY", "hour", "")));
                return faulty(rules, "JRN-037");
            case 1:
                frequency.put("max", Mutations.pick(random, List.of(0, -5, 10_001)));
                return faulty(rules, "JRN-037");
            case 2:
                frequency.putArray("channels");
                return faulty(rules, "JRN-021");
            case 3:
                ((ArrayNode) rules.get("frequency")).add(frequency.deepCopy());
                return faulty(rules, "JRN-033");
            case 4:
                frequency.put("timeZone", Mutations.pick(random, List.of("Mars/Olympus", "GMT+25", "utc ")));
                return faulty(rules, "JRN-010");
            case 5:
                rules.putArray("quietHours").addObject().put("id", "q").put("timeZone", "UTC").put("then", "queue")
                        .put("from", Mutations.pick(random, List.of("25:00", "7:00", "12:60", "noon")))
                        .put("to", "08:00").set("channels", JSON.createArrayNode().add("sms"));
                return faulty(rules, "JRN-036");
            default:
                rules.putArray("quietHours").addObject().put("id", "q").put("timeZone", "UTC").put("then", "queue")
                        .put("from", "21:00").put("to", "08:00").put("maxHold", "P31D")
                        .set("channels", JSON.createArrayNode().add("sms"));
                return faulty(rules, "JRN-020");
        }
    }

    private static Faulty faulty(ObjectNode document, String code) {
        return new Faulty(document.toString(), code);
    }
}
