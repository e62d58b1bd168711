package io.journeys.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.dsl.Journey;
import io.journeys.dsl.JourneyParser;
import io.journeys.engine.JourneyCatalog;
import io.journeys.expr.CompiledExpression;
import io.journeys.expr.EventCounter;
import io.journeys.expr.ExpressionMap;
import io.journeys.expr.ExpressionType;
import io.journeys.expr.Expressions;
import io.journeys.expr.JsonValues;
import io.journeys.expr.Variables;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Expressions in ns/op (issue 7), each beside a baseline of the same work done by hand: the entry filter and
 * the profile condition of the event benchmark's journeys against Java predicates over the same maps, and
 * the compilation of one of those journeys against Jackson reading its text. {@link ExpressionBenchmark}
 * runs them and prints the ratios. JMH generates its harness from this class when main code compiles, so
 * it must stay public and not final.
 *
 * <p>Short runs, so that all of them take about 90 s on two shared cores, JVM starts included: one fork, 4
 * warm-up iterations of 1 s (the JIT needs the time more than the figures need it), 5 measured ones of 0.5 s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class ExpressionBenchmarks {

    static final String ENTRY_FILTER = "event.amount >= 30";
    static final String PROFILE_CONDITION = "has(profile.tier) && profile.tier == 'gold'";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private String document;
    private Journey journey;
    private CompiledExpression entryFilter;
    private CompiledExpression profileCondition;
    /** As the engine holds them: read once per input by JsonValues, shared by every journey. */
    private Map<String, Object> payload;
    private Map<String, Object> attributes;
    /** As the profile record keeps them; the engine copies them into a set for each Variables. */
    private List<String> memberships;
    private Variables entryVariables;
    private Map<String, Object> entryJourneyValues;
    private Variables stepVariables;

    @Setup
    public void setUp() {
        document = EventBenchmark.journeys().get(0);
        journey = JourneyParser.parse(document).journey();
        // compiled as CompiledJourney compiles an entry filter and a choice
        entryFilter = Expressions.compile(ENTRY_FILTER, ExpressionType.BOOL);
        profileCondition = Expressions.compile(PROFILE_CONDITION, ExpressionType.BOOL);
        // what EventBenchmark generates: an event's data, a profile update's attributes
        payload = JsonValues.objectFromText("{\"amount\": 42, \"plan\": \"pro\"}");
        attributes = JsonValues.objectFromText("{\"tier\": \"gold\", \"logins\": 3}");
        memberships = List.of();
        entryJourneyValues = ExpressionMap.of(Map.of("id", journey.id(), "version", (long) journey.version(),
                "results", ExpressionMap.empty(), "events", ExpressionMap.empty()));
        entryVariables = entryVariables();
        stepVariables = stepVariables();
    }

    // ---- the entry filter: event.amount >= 30 ----

    @Benchmark
    public boolean entryFilterCel() {
        return entryFilter.evaluateBoolean(entryVariables).value();
    }

    /** What the engine does for each journey an event may enter: new variables, then the filter. */
    @Benchmark
    public boolean entryFilterCelWithVariables() {
        return entryFilter.evaluateBoolean(entryVariables()).value();
    }

    @Benchmark
    public boolean entryFilterJava() {
        return ((Number) payload.get("amount")).longValue() >= 30;
    }

    // ---- the condition step: has(profile.tier) && profile.tier == 'gold' ----

    @Benchmark
    public boolean profileConditionCel() {
        return profileCondition.evaluateBoolean(stepVariables).value();
    }

    /** What the engine does the first time a step of an instance reads variables in an input. */
    @Benchmark
    public boolean profileConditionCelWithVariables() {
        return profileCondition.evaluateBoolean(stepVariables()).value();
    }

    @Benchmark
    public boolean profileConditionJava() {
        return attributes.containsKey("tier") && "gold".equals(attributes.get("tier"));
    }

    // ---- journey compilation ----

    /**
     * Parsed, validated, checked as a set and compiled into a catalog: what the job does with the journeys it
     * starts with, and (through the package-private tryAdd, the same steps) with one published later.
     */
    @Benchmark
    @Warmup(iterations = 10, time = 1) // one compilation takes milliseconds: CEL's compiler needs longer to get hot
    public JourneyCatalog compileJourney() {
        return JourneyCatalog.of(List.of(document));
    }

    @Benchmark
    public JsonNode readJourneyTree() throws Exception {
        return JSON.readTree(document);
    }

    // ---- variables built as the engine builds them (keep in step with the engine) ----

    /** A copy of Entries.filterHolds: one Variables per journey and event. */
    private Variables entryVariables() {
        Instant eventTime = Instant.ofEpochMilli(NOW.toEpochMilli()); // ArrivingEvent.time() makes one per call
        return Variables.inZone(journey.timeZone())
                .event(journey.entry().event(), eventTime, payload)
                .profile(attributes)
                .journey(entryJourneyValues) // CompiledJourney builds them once per version
                .eventCounter(historyCounter())
                .memberships(Set.copyOf(memberships)) // once per input in the engine
                .now(NOW);
    }

    /**
     * A copy of StepContext.variables() for an instance that has made no call and captured no event: one
     * Variables per instance and input, rebuilt after a step changes the profile or captures an event.
     */
    private Variables stepVariables() {
        Map<String, Object> journeyValues = new LinkedHashMap<>();
        journeyValues.put("id", journey.id());
        journeyValues.put("version", (long) journey.version());
        journeyValues.put("instanceId", "i-1");
        journeyValues.put("entryTime", Instant.ofEpochMilli(NOW.toEpochMilli()));
        journeyValues.put("results", ExpressionMap.empty());
        journeyValues.put("events", ExpressionMap.empty()); // what capturedEvents() makes when nothing was captured
        return Variables.inZone(journey.timeZone())
                .event(journey.entry().event(), Instant.ofEpochMilli(NOW.toEpochMilli()), payload)
                .profile(attributes)
                .journey(journeyValues)
                .eventCounter(historyCounter())
                .memberships(Set.copyOf(memberships)) // once per input in the engine
                .now(NOW);
    }

    /** Like RecentEventHistory.counter(): a lambda over the profile's history, made anew on each call. */
    private EventCounter historyCounter() {
        return (type, since) -> countInHistory(type, since);
    }

    /** The expressions measured here never call countEvents. */
    private long countInHistory(String type, Instant since) {
        return 0;
    }
}
