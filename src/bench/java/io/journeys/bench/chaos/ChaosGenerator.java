package io.journeys.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Drives the population through the chaos journeys, seeded: each profile's attributes (and for some the vip
 * audience), then its start (a few on the trial plan, which the entry filter turns away), for some an offer and
 * for some a quit; and, reading the committed outputs, a click on its welcome email (most profiles) and an
 * upgrade after its sequel's goodbye (some). It keeps what it sent, which the oracle expects the job to honour.
 */
final class ChaosGenerator implements AutoCloseable {

    /** What one profile will do, drawn from the seed before anything is sent. */
    record Intent(String profile, String plan, boolean vip, boolean reacts, boolean upgrades, boolean offer,
            long quitAfterMillis) {

        boolean quits() {
            return quitAfterMillis >= 0;
        }
    }

    private final KafkaProducer<String, String> producer;
    private final Map<String, Intent> intents = new LinkedHashMap<>();
    private final java.util.concurrent.ScheduledThreadPoolExecutor scheduler =
            new java.util.concurrent.ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "chaos-generator");
                thread.setDaemon(true);
                return thread;
            });
    private final Set<String> clicked = ConcurrentHashMap.newKeySet();
    private final Set<String> upgraded = ConcurrentHashMap.newKeySet();
    private final Map<String, Instant> quitAt = new ConcurrentHashMap<>();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private CountDownLatch pending;

    ChaosGenerator(String bootstrapServers, int profiles, long seed) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
        Random random = new Random(seed);
        for (int i = 0; i < profiles; i++) {
            String profile = "c-" + i;
            int plan = random.nextInt(100);
            intents.put(profile, new Intent(profile, plan < 5 ? "trial" : plan < 50 ? "pro" : "basic",
                    random.nextInt(100) < 40, random.nextInt(100) < 75, random.nextInt(100) < 30,
                    random.nextInt(100) < 25, random.nextInt(100) < 4 ? 2_000 + random.nextInt(40_000) : -1));
        }
    }

    Map<String, Intent> intents() {
        return Collections.unmodifiableMap(intents);
    }

    /** Schedules every profile's inputs, spread evenly over {@code span} from now. */
    void start(Duration span) {
        List<Intent> all = new ArrayList<>(intents.values());
        pending = new CountDownLatch(all.size());
        long spacingMicros = span.toNanos() / 1000 / Math.max(1, all.size());
        for (int i = 0; i < all.size(); i++) {
            Intent intent = all.get(i);
            long at = i * spacingMicros;
            scheduler.schedule(() -> attributes(intent), at, TimeUnit.MICROSECONDS);
            // the attributes and audience well before the start: they come on other topics, read side by side
            scheduler.schedule(() -> {
                send("profile-events", intent.profile(), event(intent.profile() + "-start", intent.profile(),
                        "chaos.start", "{\"plan\": \"" + intent.plan() + "\", \"who\": \"" + intent.profile() + "\"}"));
                pending.countDown();
            }, at + 2_000_000, TimeUnit.MICROSECONDS);
            if (intent.offer()) {
                scheduler.schedule(() -> send("profile-events", intent.profile(), event(intent.profile() + "-offer",
                        intent.profile(), "chaos.offer", "{}")), at + 2_500_000 + (i % 20) * 1_000_000L,
                        TimeUnit.MICROSECONDS);
            }
            if (intent.quits()) {
                scheduler.schedule(() -> {
                    quitAt.put(intent.profile(), Instant.now());
                    send("profile-events", intent.profile(), event(intent.profile() + "-quit", intent.profile(),
                            "chaos.quit", "{}"));
                }, at + 2_000_000 + intent.quitAfterMillis() * 1000, TimeUnit.MICROSECONDS);
            }
        }
    }

    /** True once every profile's start has been sent (offers and quits may follow a few seconds later). */
    boolean startsSent() {
        return pending != null && pending.getCount() == 0;
    }

    /** True once everything scheduled has been sent: starts, offers and quits. */
    boolean allSent() {
        return startsSent() && scheduler.getQueue().isEmpty() && scheduler.getActiveCount() == 0;
    }

    /** A ping of the warm-up journey, which answers once the definitions are in the job. */
    void ping(String pinger, int attempt) {
        send("profile-events", pinger, event(pinger + "-ping-" + attempt, pinger, "chaos.ping", "{}"));
    }

    /** Reacts to the committed outputs as the population would: clicks, then upgrades. */
    void onOutput(String topic, JsonNode record) {
        if (!record.has("template")) {
            return;
        }
        String template = record.get("template").asText();
        String profile = record.get("profileId").asText();
        Intent intent = intents.get(profile);
        if (intent == null) {
            return;
        }
        if (template.equals("chaos-welcome") && intent.reacts()) {
            String requestId = record.get("requestId").asText();
            if (clicked.add(requestId)) {
                send("profile-events", profile, "{\"eventId\": \"" + profile + "-click\", \"profileId\": \"" + profile
                        + "\", \"type\": \"chaos.clicked\", \"timestamp\": \"" + Instant.now() + "\", \"requestId\": \""
                        + requestId + "\", \"data\": {}}");
            }
        } else if (template.equals("chaos-bye") && intent.upgrades() && upgraded.add(profile)) {
            send("profile-events", profile, event(profile + "-upgrade", profile, "chaos.upgraded",
                    "{\"from\": \"" + intent.plan() + "\"}"));
        }
    }

    /** The welcome emails clicked (their request ids). */
    Set<String> clicked() {
        return Set.copyOf(clicked);
    }

    /** The profiles that sent an upgrade (after their sequel's goodbye). */
    Set<String> upgraded() {
        return Set.copyOf(upgraded);
    }

    Map<String, Instant> quits() {
        return Map.copyOf(quitAt);
    }

    int sent() {
        return sent.get();
    }

    /** Waits until every record sent is acknowledged; fails if one could not be. */
    void flush() throws Exception {
        producer.flush();
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private void attributes(Intent intent) {
        send("profile-updates", intent.profile(), "{\"profileId\": \"" + intent.profile() + "\", \"timestamp\": \""
                + Instant.now() + "\", \"attributes\": {\"firstName\": \"Ana-" + intent.profile()
                + "\", \"timeZone\": \"UTC\"}}");
        if (intent.vip()) {
            send("audience-qualifications", intent.profile(), "{\"profileId\": \"" + intent.profile()
                    + "\", \"audienceId\": \"vip\", \"status\": \"enter\", \"timestamp\": \"" + Instant.now() + "\"}");
        }
    }

    private void send(String topic, String key, String value) {
        producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
        });
        sent.incrementAndGet();
    }

    private static String event(String eventId, String profileId, String type, String data) {
        return "{\"eventId\": \"" + eventId + "\", \"profileId\": \"" + profileId + "\", \"type\": \"" + type
                + "\", \"timestamp\": \"" + Instant.now() + "\", \"data\": " + data + "}";
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        producer.close(Duration.ofSeconds(30));
    }
}
