package io.journeys.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Made-up traffic for the demo: signups, logins, abandoned carts, purchases and unsubscriptions of a
 * growing set of profiles, and reactions to the emails the job sends, as an email connector and a shop would
 * report them: "email.opened" for some emails, and purchases of the abandoned cart some seconds after a cart
 * email (more often after {@code cart-b} than after {@code cart-a}). Some profiles buy their cart, or another
 * one, without any email. Seeded, so every demo tells the same story.
 */
final class DemoTraffic {

    /** One record to produce: its topic, key and JSON value, and what the demo prints about it (or null). */
    record Record(String topic, String key, String value, String note) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] NAMES = {"Ana", "Ben", "Chloé", "Dan", "Eve", "Femi", "Gus", "Hana", "Ivo", "Jun"};
    private static final String[] PLANS = {"pro", "basic", "trial"};
    /** Percent of the cart emails, by template, after which the profile buys that cart. */
    private static final Map<String, Integer> BUYS_AFTER = Map.of("cart-a", 30, "cart-b", 60);

    private final Random random = new Random(42);
    private final Random reactions = new Random(7);
    private final Clock clock;
    private final List<String> profiles = new ArrayList<>();
    /** Records due at a later tick, by tick: made when due, so that they carry the time they are sent at. */
    private final Map<Integer, List<Supplier<Record>>> later = new HashMap<>();
    private int tick;
    private int eventCount;
    private int cartCount;

    DemoTraffic(Clock clock) {
        this.clock = clock;
    }

    /** The records of the next tick of the story. */
    List<Record> next() {
        tick++;
        List<Record> records = new ArrayList<>();
        later.getOrDefault(tick, List.of()).forEach(due -> records.add(due.get()));
        later.remove(tick);
        int roll = random.nextInt(100);
        if (profiles.size() < 3 || roll < 35) {
            // the profile first, its signup a tick later: the job reads the two topics independently
            String profileId = String.format("p-%03d", profiles.size() + 1);
            records.add(update(profileId, "{\"firstName\": \"" + NAMES[profiles.size() % NAMES.length]
                    + "\", \"loginCount\": 0}"));
            String plan = PLANS[random.nextInt(PLANS.length)];
            at(tick + 1, () -> event(profileId, "signup", "{\"plan\": \"" + plan + "\"}", null, null));
            profiles.add(profileId);
        } else if (roll < 55) {
            records.add(update(anyProfile(), "{\"loginCount\": 1}"));
        } else if (roll < 80) {
            String profileId = anyProfile();
            String cartId = "cart-" + (++cartCount);
            int total = 10 + random.nextInt(190);
            records.add(event(profileId, "cart.abandoned", "{\"cartId\": \"" + cartId + "\", \"total\": " + total + "}",
                    null, null));
            int buyer = random.nextInt(100);
            if (buyer < 10) {
                // buys it anyway, email or not (so the holdout converts too, now and then)
                at(tick + 8 + random.nextInt(8), () -> purchase(profileId, cartId, total, "its cart " + cartId));
            } else if (buyer < 20) {
                // buys another cart instead: no conversion
                String other = "cart-" + (++cartCount);
                int amount = 5 + random.nextInt(120);
                at(tick + 4 + random.nextInt(8), () -> purchase(profileId, other, amount,
                        "another cart, " + other + " (not " + cartId + ")"));
            }
        } else if (roll < 95) {
            records.add(event(anyProfile(), "purchase", "{\"amount\": " + (5 + random.nextInt(120)) + "}", null, null));
        } else {
            records.add(event(anyProfile(), "unsubscribed", "{}", null, null));
        }
        return records;
    }

    /**
     * What the email connector and the shop report after an action request: an email opened about half of the
     * time (at once), and, after a cart email, a purchase of that cart a few ticks later, sometimes.
     */
    List<Record> reactionsTo(JsonNode action) {
        String profileId = action.get("profileId").asText();
        String requestId = action.get("requestId").asText();
        if (!action.get("channel").asText().equals("email")) {
            return List.of();
        }
        Integer buys = BUYS_AFTER.get(action.get("template").asText());
        JsonNode cartId = action.path("params").path("cartId");
        if (buys != null && cartId.isTextual() && reactions.nextInt(100) < buys) {
            String cart = cartId.asText();
            int total = action.path("params").path("total").asInt();
            String template = action.get("template").asText();
            at(tick + 2 + reactions.nextInt(6),
                    () -> purchase(profileId, cart, total, "its cart " + cart + " after the " + template + " email"));
        }
        if (reactions.nextBoolean()) {
            return List.of();
        }
        return List.of(event(profileId, "email.opened", "{}", requestId,
                profileId + " opened the email " + requestId.substring(0, 8)));
    }

    private void at(int dueTick, Supplier<Record> record) {
        later.computeIfAbsent(dueTick, t -> new ArrayList<>()).add(record);
    }

    private Record purchase(String profileId, String cartId, int amount, String what) {
        return event(profileId, "purchase", "{\"cartId\": \"" + cartId + "\", \"amount\": " + amount + "}", null,
                profileId + " buys " + what);
    }

    private String anyProfile() {
        return profiles.get(random.nextInt(profiles.size()));
    }

    private Record event(String profileId, String type, String data, String requestId, String note) {
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
        return new Record(requestId == null ? "profile-events" : "action-results", profileId, event.toString(), note);
    }

    private Record update(String profileId, String attributes) {
        return new Record("profile-updates", profileId, "{\"profileId\": \"" + profileId + "\", \"timestamp\": \""
                + clock.instant() + "\", \"attributes\": " + attributes + "}", null);
    }
}
