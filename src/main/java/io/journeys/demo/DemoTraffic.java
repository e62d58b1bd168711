package io.journeys.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Made-up traffic for the demo: signups, logins, abandoned carts, purchases and unsubscriptions of a
 * growing set of profiles, and "email.opened" reactions to some of the emails the job sends, as an email
 * connector would report them. Seeded, so every demo tells the same story.
 */
final class DemoTraffic {

    /** One record to produce: its topic, key and JSON value. */
    record Record(String topic, String key, String value) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] NAMES = {"Ana", "Ben", "Chloé", "Dan", "Eve", "Femi", "Gus", "Hana", "Ivo", "Jun"};
    private static final String[] PLANS = {"pro", "basic", "trial"};

    private final Random random = new Random(42);
    private final Clock clock;
    private final List<String> profiles = new ArrayList<>();
    private final List<Record> nextTick = new ArrayList<>();
    private int eventCount;

    DemoTraffic(Clock clock) {
        this.clock = clock;
    }

    /** The records of the next tick of the story. */
    List<Record> next() {
        List<Record> records = new ArrayList<>(nextTick);
        nextTick.clear();
        int roll = random.nextInt(100);
        if (profiles.size() < 3 || roll < 35) {
            // the profile first, its signup a tick later: the job reads the two topics independently
            String profileId = String.format("p-%03d", profiles.size() + 1);
            records.add(update(profileId, "{\"firstName\": \"" + NAMES[profiles.size() % NAMES.length]
                    + "\", \"loginCount\": 0}"));
            nextTick.add(event(profileId, "signup", "{\"plan\": \"" + PLANS[random.nextInt(PLANS.length)] + "\"}", null));
            profiles.add(profileId);
        } else if (roll < 55) {
            records.add(update(anyProfile(), "{\"loginCount\": 1}"));
        } else if (roll < 80) {
            records.add(event(anyProfile(), "cart.abandoned", "{\"total\": " + (10 + random.nextInt(190)) + "}", null));
        } else if (roll < 95) {
            records.add(event(anyProfile(), "purchase", "{\"amount\": " + (5 + random.nextInt(120)) + "}", null));
        } else {
            records.add(event(anyProfile(), "unsubscribed", "{}", null));
        }
        return records;
    }

    /** An email connector reports that some emails were opened: about half of them. */
    List<Record> reactionsTo(String profileId, String channel, String requestId) {
        if (!channel.equals("email") || reactions.nextBoolean()) {
            return List.of();
        }
        return List.of(event(profileId, "email.opened", "{}", requestId));
    }

    private final Random reactions = new Random(7);

    private String anyProfile() {
        return profiles.get(random.nextInt(profiles.size()));
    }

    private Record event(String profileId, String type, String data, String requestId) {
        ObjectNode event = JSON.createObjectNode();
        event.put("eventId", "demo-" + (++eventCount));
        event.put("profileId", profileId);
        event.put("type", type);
        event.put("timestamp", clock.instant().toString());
        try {
            event.set("data", JSON.readTree(data));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Expected the demo's own JSON to parse", e);
        }
        if (requestId != null) {
            event.put("requestId", requestId);
        }
        return new Record(requestId == null ? "profile-events" : "action-results", profileId, event.toString());
    }

    private Record update(String profileId, String attributes) {
        return new Record("profile-updates", profileId, "{\"profileId\": \"" + profileId + "\", \"timestamp\": \""
                + clock.instant() + "\", \"attributes\": " + attributes + "}");
    }
}
