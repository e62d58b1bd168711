package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.journeys.testing.Json;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * jobs/cart, simulated once: goals convert only on the abandoned cart and within their windows (checked against
 * conversions worked out from the events file alone), the experiment's winner takes every later profile, and the
 * holdout gets no email. SimulationITCase checks the folder's expected action requests.
 */
class CartJobITCase {

    private static final Path FOLDER = Path.of("jobs/cart");

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setNumberTaskManagers(1)
                    .setNumberSlotsPerTaskManager(2)
                    .build());

    private static List<JsonNode> events;
    private static int malformedLines;
    private static List<JsonNode> steps;
    private static List<JsonNode> actions;
    private static List<JsonNode> deadLetters;
    /** Every instance, from its {@code entered} step event: profile, entry instant and the cart it entered with. */
    private static Map<String, Instance> instances;

    private record Instance(String id, String profileId, Instant enteredAt, String cartId) {}

    @BeforeAll
    static void simulate() throws Exception {
        List<String> lines = Files.readAllLines(FOLDER.resolve("events.jsonl")).stream()
                .filter(line -> !line.isBlank()).toList();
        events = new ArrayList<>();
        for (String line : lines) {
            try {
                events.add(Json.read(line));
            } catch (UncheckedIOException e) {
                malformedLines++;
            }
        }
        Simulation.Result result = Simulation.builder()
                .journeys(List.of(Files.readString(FOLDER.resolve("journey.json"))))
                .eventLines(lines)
                .run();
        steps = result.steps().stream().map(Json::read).toList();
        actions = result.actions().stream().map(Json::read).toList();
        deadLetters = result.deadLetters().stream().map(Json::read).toList();
        instances = new TreeMap<>();
        for (JsonNode entered : withStatus("entered")) {
            String profileId = entered.get("profileId").asText();
            Instant at = Instant.parse(entered.get("timestamp").asText());
            List<JsonNode> abandoned = eventsOf(profileId, "cart.abandoned").stream()
                    .filter(e -> time(e).equals(at)).toList();
            assertThat(abandoned).as("the cart.abandoned event of %s at %s", profileId, at).hasSize(1);
            String id = entered.get("instanceId").asText();
            instances.put(id, new Instance(id, profileId, at, abandoned.get(0).at("/data/cartId").asText()));
        }
    }

    @ParameterizedTest(name = "{0} on {1} within {2}")
    @CsvSource({"purchase, order.placed, P7D", "clicked, email.clicked, P2D"})
    void shouldConvertOnTheFirstEventOfTheSameCartWithinTheWindowAndOnNothingElse(String goal, String eventType,
            Duration within) {
        Set<String> expected = new HashSet<>();
        for (Instance instance : instances.values()) {
            firstOfTheSameCartWithin(instance, eventType, within)
                    .ifPresent(e -> expected.add(instance.id() + " " + time(e)));
        }
        List<JsonNode> converted = conversions(goal);
        for (JsonNode conversion : converted) {
            Instance instance = instances.get(conversion.get("instanceId").asText());
            Instant at = time(conversion);
            assertThat(eventsOf(instance.profileId(), eventType))
                    .as("an %s of cart %s at %s", eventType, instance.cartId(), at)
                    .anySatisfy(e -> {
                        assertThat(time(e)).isEqualTo(at);
                        assertThat(e.at("/data/cartId").asText()).isEqualTo(instance.cartId());
                    });
            assertThat(Duration.between(instance.enteredAt(), at)).isLessThan(within).isGreaterThanOrEqualTo(Duration.ZERO);
        }
        assertThat(converted).extracting(c -> c.get("instanceId").asText() + " " + time(c))
                .containsExactlyInAnyOrderElementsOf(expected)
                .hasSizeGreaterThan(40);
    }

    @Test
    void shouldHaveSampleOrdersAndClicksThatMustNotConvert() {
        int ofAnotherCart = 0;
        int tooLate = 0;
        int clickedTooLate = 0;
        for (Instance instance : instances.values()) {
            for (JsonNode order : eventsOf(instance.profileId(), "order.placed")) {
                Duration after = Duration.between(instance.enteredAt(), time(order));
                if (!after.isNegative() && after.compareTo(Duration.ofDays(7)) < 0
                        && !order.at("/data/cartId").asText().equals(instance.cartId())) {
                    ofAnotherCart++;
                }
            }
            if (eventsOf(instance.profileId(), "order.placed").stream().anyMatch(order ->
                    order.at("/data/cartId").asText().equals(instance.cartId())
                            && !time(order).isBefore(instance.enteredAt().plus(Duration.ofDays(7))))) {
                tooLate++;
            }
            if (eventsOf(instance.profileId(), "email.clicked").stream().anyMatch(click ->
                    click.at("/data/cartId").asText().equals(instance.cartId())
                            && !time(click).isBefore(instance.enteredAt().plus(Duration.ofDays(2))))) {
                clickedTooLate++;
            }
        }
        assertThat(ofAnotherCart).as("orders of another cart within the week").isGreaterThan(20);
        assertThat(tooLate).as("orders of the cart 7 days or more after the abandonment").isGreaterThan(10);
        assertThat(clickedTooLate).as("clicks 2 days or more after the abandonment").isGreaterThan(10);
        // the edges of the window [entry, entry + 7 days): p-0003 orders at exactly 7 days, p-0004 a second before
        assertThat(conversions("purchase")).noneMatch(c -> c.get("profileId").asText().equals("p-0003"));
        assertThat(conversions("purchase")).filteredOn(c -> c.get("profileId").asText().equals("p-0004"))
                .singleElement().satisfies(c -> assertThat(c.get("stepId").isNull()).isTrue()); // ended long before
    }

    @Test
    void shouldConvertAPurchaseBeforeTheEmailAtTheWaitAndEndTheInstanceWithoutAnArm() {
        List<JsonNode> beforeTheEmail = conversions("purchase").stream()
                .filter(c -> "wait-1h".equals(c.path("stepId").asText(null))).toList();
        assertThat(beforeTheEmail).hasSizeGreaterThan(10).allSatisfy(conversion -> {
            String instanceId = conversion.get("instanceId").asText();
            assertThat(stepsOf(instanceId)).noneMatch(s -> s.has("arm"));
            assertThat(stepsOf(instanceId)).last().satisfies(last -> {
                assertThat(last.get("status").asText()).isEqualTo("exited");
                assertThat(last.get("message").asText()).isEqualTo("goal purchase reached");
            });
        });
    }

    @Test
    void shouldGiveEveryProfileReachingTheExperimentAfterTheWinnerWasDecidedTheDiscount() {
        List<JsonNode> assigned = steps.stream().filter(s -> s.has("arm")).toList();
        int firstByWinner = -1;
        for (int i = 0; i < assigned.size(); i++) {
            if (assigned.get(i).path("winner").asBoolean(false)) {
                firstByWinner = i;
                break;
            }
        }
        assertThat(firstByWinner).as("the winner rule decided").isPositive();
        List<JsonNode> before = assigned.subList(0, firstByWinner);
        List<JsonNode> after = assigned.subList(firstByWinner, assigned.size());
        assertThat(after).hasSizeGreaterThan(200).allSatisfy(s -> {
            assertThat(s.get("arm").asText()).isEqualTo("discount");
            assertThat(s.get("branch").asText()).isEqualTo("arms/0");
            assertThat(s.get("winner").asBoolean()).isTrue();
        });
        assertThat(before).noneMatch(s -> s.has("winner"));
        // the rule waits PT6H after the first profile reached the step, and 30 profiles in every arm
        assertThat(time(assigned.get(firstByWinner))).isAfterOrEqualTo(time(assigned.get(0)).plus(Duration.ofHours(6)));
        Map<String, Integer> perArm = new TreeMap<>();
        before.forEach(s -> perArm.merge(s.get("arm").asText(), 1, Integer::sum));
        assertThat(perArm).containsOnlyKeys("discount", "reminder", "holdout")
                .allSatisfy((arm, profiles) -> assertThat(profiles).as(arm).isGreaterThanOrEqualTo(30));
        List<String> arms = List.of("discount", "reminder", "holdout");
        assertThat(before).allSatisfy(s -> assertThat(s.get("branch").asText())
                .isEqualTo("arms/" + arms.indexOf(s.get("arm").asText())));
    }

    @Test
    void shouldSendTheHoldoutNoEmailAndEveryOtherArmItsOwnEmailOnce() {
        Map<String, String> armByInstance = new HashMap<>();
        steps.stream().filter(s -> s.has("arm"))
                .forEach(s -> armByInstance.put(s.get("instanceId").asText(), s.get("arm").asText()));
        Map<String, List<String>> templatesByInstance = new HashMap<>();
        actions.forEach(a -> templatesByInstance.computeIfAbsent(a.get("instanceId").asText(), id -> new ArrayList<>())
                .add(a.get("template").asText()));

        List<String> holdout = armByInstance.entrySet().stream().filter(e -> e.getValue().equals("holdout"))
                .map(Map.Entry::getKey).toList();
        assertThat(holdout).hasSizeGreaterThanOrEqualTo(30);
        assertThat(holdout.stream().filter(templatesByInstance::containsKey).count())
                .as("holdout instances that got an email").isZero();
        Map<String, String> templates = Map.of("discount", "cart-discount-10", "reminder", "cart-reminder");
        armByInstance.forEach((instance, arm) -> {
            if (!arm.equals("holdout")) {
                assertThat(templatesByInstance.get(instance)).as(instance).containsExactly(templates.get(arm));
            }
        });
        assertThat(templatesByInstance.keySet()).allSatisfy(instance ->
                assertThat(armByInstance).as("the instance of an email has an arm").containsKey(instance));
    }

    @Test
    void shouldSendTheMalformedLineToTheDeadLettersAndAnswerEveryOtherEvent() {
        assertThat(malformedLines).isEqualTo(1);
        assertThat(deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.get("errorCode").asText()).isEqualTo("INP-001");
            assertThat(letter.get("source").asText()).isEqualTo("events");
        });
        assertThat(instances).hasSize((int) events.stream()
                .filter(e -> e.get("type").asText().equals("cart.abandoned")).count());
        assertThat(withStatus("exited")).extracting(s -> s.path("message").asText())
                .containsOnly("goal purchase reached", "exit criterion 0 (unsubscribed)");
    }

    // ---- helpers ----

    private static Optional<JsonNode> firstOfTheSameCartWithin(Instance instance, String eventType, Duration within) {
        return eventsOf(instance.profileId(), eventType).stream()
                .filter(e -> e.at("/data/cartId").asText().equals(instance.cartId()))
                .filter(e -> !time(e).isBefore(instance.enteredAt())
                        && time(e).isBefore(instance.enteredAt().plus(within)))
                .min(Comparator.comparing(CartJobITCase::time));
    }

    private static List<JsonNode> conversions(String goal) {
        return withStatus("converted").stream().filter(s -> s.get("goal").asText().equals(goal)).toList();
    }

    private static List<JsonNode> withStatus(String status) {
        return steps.stream().filter(s -> s.get("status").asText().equals(status)).toList();
    }

    private static List<JsonNode> stepsOf(String instanceId) {
        return steps.stream().filter(s -> s.get("instanceId").asText().equals(instanceId)).toList();
    }

    private static List<JsonNode> eventsOf(String profileId, String type) {
        return events.stream().filter(e -> e.get("profileId").asText().equals(profileId)
                && e.get("type").asText().equals(type)).toList();
    }

    private static Instant time(JsonNode record) {
        return Instant.parse(record.get("timestamp").asText());
    }
}
