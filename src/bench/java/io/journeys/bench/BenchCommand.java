package io.journeys.bench;

import io.journeys.cli.DurationConverter;
import io.journeys.cli.Exits;
import io.journeys.cli.OptionalCommand;
import io.journeys.job.JobEnvironment;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs the benchmark suite, each figure beside a baseline measured in the same run:",
                "throughput (20 live journeys over half a million profiles, plain and with goals, an experiment, delivery",
                "rules and send times, against a floor of one state update per event), waiting profiles (state and heap per parked instance, then a million wake-ups due at",
                "once), latency (event to action request at half the measured throughput), expressions (JMH) and",
                "rules (the throughput's journeys under delivery rules against the same journeys without) and",
                "send-time (open rates of send-time optimisation against sending at entry, the population's best hour",
                "and the oracle on a generated population; the model's state bytes and choose() throughput)."})
public final class BenchCommand implements Callable<Integer>, OptionalCommand {

    /** The parts of the suite, in the order they run: latency runs at half the throughput measured. */
    enum Part {
        THROUGHPUT, WAITING, LATENCY, EXPRESSIONS, RULES, SEND_TIME;

        /** As the option spells it: send-time. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Reads a part as {@link Part#toString} spells it, in any case: picocli's own would want SEND_TIME. */
    static final class PartConverter implements ITypeConverter<Part> {
        @Override
        public Part convert(String value) {
            return Part.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    @Option(names = "--only", split = ",", converter = PartConverter.class, description = "parts to run, comma-separated: ${COMPLETION-CANDIDATES}"
            + " (default all)")
    Set<Part> only;

    @Option(names = "--events", defaultValue = "1000000", description = "throughput: inputs to generate"
            + " (default ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--profiles", defaultValue = "500000", description = "throughput and latency: profiles the"
            + " inputs spread over (default ${DEFAULT-VALUE})")
    int profiles;

    @Option(names = "--journeys", defaultValue = "both", converter = ChoiceConverter.class,
            description = "throughput and latency: plain (the 20 journeys as they are), featured (the same with goals,"
                    + " an experiment, delivery rules and send times) or both, against the same floor (default"
                    + " ${DEFAULT-VALUE})")
    BenchJourneys.Choice journeys;

    /** Reads plain, featured or both, in any case. */
    static final class ChoiceConverter implements ITypeConverter<BenchJourneys.Choice> {
        @Override
        public BenchJourneys.Choice convert(String value) {
            return BenchJourneys.Choice.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    @Option(names = "--waiting", defaultValue = "1000000", description = "waiting: profiles parked"
            + " (default ${DEFAULT-VALUE})")
    int waiting;

    @Option(names = "--rules-events", defaultValue = "200000", description = "rules: inputs to generate"
            + " (default ${DEFAULT-VALUE})")
    long rulesEvents;

    // prime to 2, 3 and 5: each profile gets every event type, amount and tier of the generator's cycles
    @Option(names = "--rules-profiles", defaultValue = "20011", description = "rules: profiles the inputs spread"
            + " over (default ${DEFAULT-VALUE})")
    int rulesProfiles;

    @Option(names = "--rules-rounds", defaultValue = "2", description = "rules: rounds of the plain, counted and"
            + " ruled runs, in alternating orders (default ${DEFAULT-VALUE})")
    int rulesRounds;

    @Option(names = "--send-time-profiles", defaultValue = "20000", description = "send-time: profiles generated"
            + " (default ${DEFAULT-VALUE})")
    int sendTimeProfiles;

    @Option(names = "--send-time-weeks", defaultValue = "12", description = "send-time: weeks of history before the"
            + " campaign (default ${DEFAULT-VALUE})")
    int sendTimeWeeks;

    @Option(names = "--send-time-per-week", defaultValue = "5", description = "send-time: the most messages a week"
            + " a profile with history received (each 1 to this many; default ${DEFAULT-VALUE})")
    int sendTimePerWeek;

    @Option(names = "--send-time-seed", defaultValue = "1", description = "send-time: the seed of the generated"
            + " population, history and campaign (default ${DEFAULT-VALUE})")
    long sendTimeSeed;

    @Option(names = "--latency-rate", description = "latency: inputs per second (default: half the journeys'"
            + " throughput measured in this run)")
    Double latencyRate;

    @Option(names = "--latency-seconds", defaultValue = "40s", paramLabel = "DURATION",
            converter = DurationConverter.class, description = "latency: how long each job runs, the first 20 s not"
            + " counted: " + DurationConverter.FORMS + " (default ${DEFAULT-VALUE})")
    Duration latencyDuration;

    @Option(names = "--flink", description = "a Flink setting for every benchmark job, floors included, e.g."
            + " state.changelog.enabled=true (repeatable)")
    Map<String, String> flinkSettings = new LinkedHashMap<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Set<Part> parts = only == null || only.isEmpty() ? EnumSet.allOf(Part.class) : EnumSet.copyOf(only);
        if (parts.contains(Part.LATENCY) && !parts.contains(Part.THROUGHPUT) && latencyRate == null) {
            throw new ParameterException(spec.commandLine(),
                    "Expected --latency-rate when latency runs without throughput, which measures it");
        }
        PrintWriter out = spec.commandLine().getOut();
        BenchmarkConfiguration.override(flinkSettings);
        if (!flinkSettings.isEmpty()) {
            out.printf("Flink settings for every job: %s%n", flinkSettings);
        }
        long start = System.nanoTime(); // benchmark timing
        Double rate = latencyRate;
        if (parts.contains(Part.THROUGHPUT)) {
            heading(out, "Throughput", start);
            EventBenchmark.Figures throughput = new EventBenchmark(events, profiles, journeys.variants, out).run();
            // half the last variant's: the featured journeys' when both ran, which the latency target is about
            rate = rate == null ? throughput.journeys() / 2 : rate;
        }
        if (parts.contains(Part.WAITING)) {
            heading(out, "Waiting profiles", start);
            new WaitingBenchmark(waiting, out).run();
        }
        if (parts.contains(Part.LATENCY)) {
            heading(out, "Latency", start);
            // at the job's own buffer timeout; LatencyBenchmark's main compares others
            new LatencyBenchmark(rate, latencyDuration, profiles,
                    List.of(JobEnvironment.BUFFER_TIMEOUT), journeys.variants, out).run();
        }
        if (parts.contains(Part.EXPRESSIONS)) {
            heading(out, "Expressions", start);
            new ExpressionBenchmark(out).run();
        }
        if (parts.contains(Part.RULES)) {
            heading(out, "Delivery rules", start);
            new RulesBenchmark(rulesEvents, rulesProfiles, rulesRounds, out).run();
        }
        if (parts.contains(Part.SEND_TIME)) {
            heading(out, "Send-time optimisation", start);
            new SendTimeBenchmark(sendTimeProfiles, sendTimeWeeks, sendTimePerWeek, sendTimeSeed, out).run();
        }
        out.printf("%nThe suite took %.1f minutes.%n", (System.nanoTime() - start) / 60e9);
        out.flush();
        return Exits.OK;
    }

    /** A part's title, and when it starts in the suite (each part's length is the difference). */
    private static void heading(PrintWriter out, String title, long suiteStart) {
        out.printf("%n== %s == (at %.1f min)%n", title, (System.nanoTime() - suiteStart) / 60e9);
        out.flush();
    }
}
