package io.journeys.bench;

import io.journeys.bench.GeneratedPopulation.Profile;
import io.journeys.sendtime.Engagement;
import io.journeys.sendtime.HoursOfWeek;
import io.journeys.sendtime.PopulationHours;
import io.journeys.sendtime.SendTimeChooser;
import io.journeys.sendtime.SendTimeChooser.Basis;
import io.journeys.sendtime.SendTimeChooser.Choice;
import io.journeys.sendtime.SendTimeChooser.Settings;
import io.journeys.sendtime.ZonePopulations;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Issue 18's evaluation: a {@link GeneratedPopulation} whose engagement hours are known replays weeks of messages
 * sent at random instants (each open fed, in time order, to the profile's {@link Engagement} and to the
 * {@link PopulationHours}), then receives one campaign message each, entering at a random instant over a week
 * with a window of {@link #WITHIN}. Every strategy is scored on the same profiles and entries: by the true open
 * probability of its instant (the expected rate, without sampling noise) and by a draw against one uniform per
 * profile shared by all strategies (common random numbers: the differences between strategies are not noise
 * of the draws). Deterministic for a seed.
 */
final class SendTimeEvaluation {

    static final Instant CAMPAIGN_START = Instant.parse("2026-03-02T00:00:00Z"); // a Monday; US clocks change on the 8th
    static final Duration WITHIN = Duration.ofHours(24);
    static final double COLD_SHARE = 0.2;

    enum Strategy {
        AT_ENTRY("at entry"),
        POPULATION_HOUR_OF_WEEK("population's best hour of the week, else at entry"),
        POPULATION_HOUR_OF_DAY("population's best hour of the day"),
        POPULATION_WINDOW("population's best hour in the window"),
        MODEL("model (5% exploring)"),
        MODEL_NOT_EXPLORING("model, not exploring"),
        WITHOUT_ATTENTION("model scoring the hour sent in alone (attention 0), not exploring"),
        WITHOUT_POOLING("model without pooling its hours over the days, not exploring"),
        SHORT_ATTENTION("model with attention 1.5 h (half), not exploring"),
        LONG_ATTENTION("model with attention 6 h (double), not exploring"),
        BAYES_CEILING("learnable ceiling: Bayes posterior from the same opens"),
        HABIT_ORACLE("oracle knowing the habits, not each hour's noise"),
        ORACLE("oracle: the profile's true best hour");

        final String label;

        Strategy(String label) {
            this.label = label;
        }
    }

    enum Segment { ALL, WARM, COLD }

    /** Sums of one strategy over one segment. */
    static final class Tally {
        int sends;
        double expected;
        int opened;

        double expectedRate() {
            return expected / sends;
        }

        double observedRate() {
            return (double) opened / sends;
        }
    }

    /**
     * What one run found: the tallies, and how the model decided. {@code coldNotPopulation} counts the cold
     * profiles whose non-exploring send is not where the population alone would send (0 when cold profiles
     * follow the population); {@code bases} the model's reasons per segment.
     */
    record Result(Map<Segment, Map<Strategy, Tally>> tallies, Map<Segment, Map<Basis, Integer>> bases,
            int coldNotPopulation, long historySends, long historyOpens, int bestHourOfWeek, int bestHourOfDay) {

        double expected(Segment segment, Strategy strategy) {
            return tallies.get(segment).get(strategy).expectedRate();
        }

        int count(Segment segment) {
            return tallies.get(segment).get(Strategy.AT_ENTRY).sends;
        }
    }

    /**
     * The state the history leaves: each profile's engagement and the population's; and, for the learnable
     * ceiling, each profile's open hours (local hours of the week, undecayed).
     */
    record History(Engagement[] engagements, PopulationHours population, ZonePopulations zones, int[][] openHours,
            long sends, long opens) {}

    private final Profile[] profiles;
    private final int weeks;
    private final int mostPerWeek;
    private final long seed;
    private final SendTimeChooser model = new SendTimeChooser(Settings.DEFAULT);
    private final Duration halfLife = Settings.DEFAULT.halfLife();
    private final SendTimeChooser notExploring = variant(Settings.DEFAULT);
    /** The model without each of its steps (BENCHMARKS.md measures what each brings), and with other attentions. */
    private final Map<Strategy, SendTimeChooser> variants = Map.of(
            Strategy.WITHOUT_ATTENTION, variant(Settings.DEFAULT.withAttention(Duration.ZERO)),
            Strategy.WITHOUT_POOLING, variant(Settings.DEFAULT.withDayPooling(0)),
            Strategy.SHORT_ATTENTION, variant(Settings.DEFAULT.withAttention(Duration.ofMinutes(90))),
            Strategy.LONG_ATTENTION, variant(Settings.DEFAULT.withAttention(Duration.ofHours(6))));

    SendTimeEvaluation(int profiles, int weeks, int mostPerWeek, long seed) {
        this.profiles = GeneratedPopulation.generate(profiles, COLD_SHARE, new Random(seed));
        this.weeks = weeks;
        this.mostPerWeek = mostPerWeek;
        this.seed = seed;
    }

    private static SendTimeChooser variant(Settings settings) {
        return new SendTimeChooser(settings.withExploreBasisPoints(0));
    }

    Profile[] profiles() {
        return profiles;
    }

    /** The model as the engine uses it. */
    SendTimeChooser model() {
        return model;
    }

    /**
     * Weeks of messages before the campaign, 1 to {@code mostPerWeek} (5 by default) a week per profile (some warm
     * profiles are thin), at random instants so that the opens show when each person is active; opens after the
     * campaign starts are not known.
     */
    History replayHistory() {
        Random random = new Random(seed * 31 + 1);
        record Open(long at, int profile) {}
        List<Open> opens = new ArrayList<>();
        long sends = 0;
        Instant start = CAMPAIGN_START.minus(Duration.ofDays(7L * weeks));
        for (Profile profile : profiles) {
            if (profile.cold()) {
                continue;
            }
            int perWeek = 1 + random.nextInt(mostPerWeek);
            for (int week = 0; week < weeks; week++) {
                for (int i = 0; i < perWeek; i++) {
                    Instant sent = start.plusMillis((long) ((week + random.nextDouble()) * 7 * 86_400_000L));
                    sends++;
                    Instant opened = profile.drawOpen(sent, random);
                    if (opened != null && opened.isBefore(CAMPAIGN_START)) {
                        opens.add(new Open(opened.toEpochMilli(), profile.id()));
                    }
                }
            }
        }
        opens.sort(Comparator.comparingLong(Open::at).thenComparingInt(Open::profile));
        Engagement[] engagements = new Engagement[profiles.length];
        java.util.Arrays.fill(engagements, Engagement.none());
        List<List<Integer>> openHours = new ArrayList<>();
        for (int i = 0; i < profiles.length; i++) {
            openHours.add(new ArrayList<>());
        }
        PopulationHours population = new PopulationHours();
        ZonePopulations zones = new ZonePopulations();
        for (Open open : opens) {
            Profile profile = profiles[open.profile()];
            Instant at = Instant.ofEpochMilli(open.at());
            engagements[open.profile()] = engagements[open.profile()].plus(at, profile.zone(), halfLife);
            openHours.get(open.profile()).add(HoursOfWeek.of(at, profile.zone()));
            population.add(at, profile.zone(), halfLife);
            zones.add(at, profile.zone(), halfLife);
        }
        int[][] hours = openHours.stream().map(list -> list.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
        return new History(engagements, population, zones, hours, sends, opens.size());
    }

    /** Entries spread over the week from {@link #CAMPAIGN_START}, one per profile. */
    Instant[] entries() {
        Random random = new Random(seed * 31 + 2);
        Instant[] entries = new Instant[profiles.length];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = CAMPAIGN_START.plusMillis((long) (random.nextDouble() * 7 * 86_400_000L));
        }
        return entries;
    }

    /** The send's stable hash, as the engine makes one from the profile and the step: here from the profile. */
    long hash(int profile) {
        long z = seed * 0x9E3779B97F4A7C15L + profile; // SplitMix64's finaliser
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    Result run() {
        History history = replayHistory();
        Instant[] entries = entries();
        Random outcomes = new Random(seed * 31 + 3);
        double[] atStart = history.population().weightsAt(CAMPAIGN_START, halfLife);
        int bestHourOfWeek = argmax(atStart);
        int bestHourOfDay = argmax(hoursOfDay(atStart));
        Map<Segment, Map<Strategy, Tally>> tallies = new EnumMap<>(Segment.class);
        Map<Segment, Map<Basis, Integer>> bases = new EnumMap<>(Segment.class);
        for (Segment segment : Segment.values()) {
            Map<Strategy, Tally> row = new EnumMap<>(Strategy.class);
            for (Strategy strategy : Strategy.values()) {
                row.put(strategy, new Tally());
            }
            tallies.put(segment, row);
            bases.put(segment, new EnumMap<>(Basis.class));
        }
        int coldNotPopulation = 0;
        BayesCeiling ceiling = new BayesCeiling(seed);
        for (Profile profile : profiles) {
            Instant entry = entries[profile.id()];
            Engagement own = history.engagements()[profile.id()];
            Segment segment = own.isEmpty() ? Segment.COLD : Segment.WARM;
            // as the engine does: the profile's zone's population shrunk toward everyone's
            double[] population = history.zones().weightsFor(profile.zone(), entry, halfLife,
                    Settings.DEFAULT.minimumPopulation());
            List<Instant> candidates = HoursOfWeek.startsBetween(entry, entry.plus(WITHIN), profile.zone());
            Choice chosen = model.choose(entry, WITHIN, profile.zone(), own, population, hash(profile.id()));
            Choice populationOnly = notExploring.choose(entry, WITHIN, profile.zone(), Engagement.none(),
                    population, hash(profile.id()));
            if (segment == Segment.COLD && chosen.basis() != Basis.EXPLORE && !chosen.at().equals(populationOnly.at())) {
                coldNotPopulation++;
            }
            Map<Strategy, Instant> sends = new EnumMap<>(Strategy.class);
            sends.put(Strategy.AT_ENTRY, entry);
            sends.put(Strategy.POPULATION_HOUR_OF_WEEK, first(candidates, profile, bestHourOfWeek, HoursOfWeek.COUNT, entry));
            sends.put(Strategy.POPULATION_HOUR_OF_DAY, first(candidates, profile, bestHourOfDay, 24, entry));
            sends.put(Strategy.POPULATION_WINDOW, populationOnly.at());
            sends.put(Strategy.MODEL, chosen.at());
            sends.put(Strategy.MODEL_NOT_EXPLORING, notExploring.choose(entry, WITHIN, profile.zone(), own,
                    population, hash(profile.id())).at());
            for (Map.Entry<Strategy, SendTimeChooser> variant : variants.entrySet()) {
                sends.put(variant.getKey(), variant.getValue().choose(entry, WITHIN, profile.zone(), own, population,
                        hash(profile.id())).at());
            }
            sends.put(Strategy.BAYES_CEILING, bayes(candidates, profile, history.openHours()[profile.id()], ceiling));
            sends.put(Strategy.HABIT_ORACLE, best(candidates, profile::habitOpenProbability));
            sends.put(Strategy.ORACLE, best(candidates, profile::openProbability));
            double uniform = outcomes.nextDouble();
            for (Segment counted : List.of(Segment.ALL, segment)) {
                bases.get(counted).merge(chosen.basis(), 1, Integer::sum);
                for (Map.Entry<Strategy, Instant> send : sends.entrySet()) {
                    Tally tally = tallies.get(counted).get(send.getKey());
                    double probability = profile.openProbability(send.getValue());
                    tally.sends++;
                    tally.expected += probability;
                    tally.opened += uniform < probability ? 1 : 0;
                }
            }
        }
        return new Result(tallies, bases, coldNotPopulation, history.sends(), history.opens(), bestHourOfWeek,
                bestHourOfDay);
    }

    /** The first candidate in the given hour (of the week, or of the day with period 24), else the entry. */
    private static Instant first(List<Instant> candidates, Profile profile, int hour, int period, Instant entry) {
        for (Instant candidate : candidates) {
            if (HoursOfWeek.of(candidate, profile.zone()) % period == hour) {
                return candidate;
            }
        }
        return entry;
    }

    /** Among the same candidates as the model's, the best by the posterior from the profile's opens. */
    private static Instant bayes(List<Instant> candidates, Profile profile, int[] openHours, BayesCeiling ceiling) {
        int[] hours = candidates.stream().mapToInt(candidate -> HoursOfWeek.of(candidate, profile.zone())).toArray();
        double[] scores = ceiling.expectedScores(openHours, hours);
        int best = 0;
        for (int c = 1; c < scores.length; c++) {
            if (scores[c] > scores[best]) {
                best = c;
            }
        }
        return candidates.get(best);
    }

    /** Among the same candidates as the model's, the one with the highest probability by {@code law}. */
    private static Instant best(List<Instant> candidates, java.util.function.ToDoubleFunction<Instant> law) {
        Instant best = candidates.get(0);
        double bestProbability = -1;
        for (Instant candidate : candidates) {
            double probability = law.applyAsDouble(candidate);
            if (probability > bestProbability) {
                best = candidate;
                bestProbability = probability;
            }
        }
        return best;
    }

    private static double[] hoursOfDay(double[] hoursOfWeek) {
        double[] hours = new double[24];
        for (int h = 0; h < hoursOfWeek.length; h++) {
            hours[h % 24] += hoursOfWeek[h];
        }
        return hours;
    }

    private static int argmax(double[] weights) {
        int best = 0;
        for (int h = 1; h < weights.length; h++) {
            if (weights[h] > weights[best]) {
                best = h;
            }
        }
        return best;
    }

    /** Prints the run's table: rates by segment and their ratio to sending at entry. */
    static void print(Result result, int profiles, int weeks, int mostPerWeek, long seed, PrintWriter out) {
        out.printf("Send-time optimisation: %,d profiles in %d zones (%.0f%% without history), %d weeks of history"
                + " (1 to %d messages a week: %,d sends at random instants, %,d opens), then one message each entering"
                + " over the week from %s, within %s; seed %d%n", profiles, GeneratedPopulation.ZONES.size(),
                COLD_SHARE * 100, weeks, mostPerWeek, result.historySends(), result.historyOpens(), CAMPAIGN_START,
                WITHIN, seed);
        out.printf("population's best hour of the week %s, of the day %02d:00 (local)%n",
                HoursOfWeek.name(result.bestHourOfWeek()), result.bestHourOfDay());
        out.printf("%-52s", "open rate: expected (observed ± 95%) × at entry");
        for (Segment segment : Segment.values()) {
            out.printf(" | %-31s", segment.name().toLowerCase() + " (" + String.format("%,d", result.count(segment))
                    + ")");
        }
        out.println();
        for (Strategy strategy : Strategy.values()) {
            out.printf("%-52s", strategy.label);
            for (Segment segment : Segment.values()) {
                Tally tally = result.tallies().get(segment).get(strategy);
                double observed = tally.observedRate();
                double halfWidth = 1.96 * Math.sqrt(observed * (1 - observed) / tally.sends);
                out.printf(" | %5.2f%% (%5.2f%% ± %4.2f) × %4.2f", 100 * tally.expectedRate(), 100 * observed,
                        100 * halfWidth, tally.expectedRate() / result.expected(segment, Strategy.AT_ENTRY));
            }
            out.println();
        }
        out.printf("%-52s", "model's share of the oracle's gain over at entry");
        for (Segment segment : Segment.values()) {
            double entry = result.expected(segment, Strategy.AT_ENTRY);
            out.printf(" | %-31s", String.format("%.0f%% (not exploring %.0f%%)",
                    100 * (result.expected(segment, Strategy.MODEL) - entry)
                            / (result.expected(segment, Strategy.ORACLE) - entry),
                    100 * (result.expected(segment, Strategy.MODEL_NOT_EXPLORING) - entry)
                            / (result.expected(segment, Strategy.ORACLE) - entry)));
        }
        out.println();
        out.printf("%-52s", "model's share of the learnable ceiling's gain");
        for (Segment segment : Segment.values()) {
            double entry = result.expected(segment, Strategy.AT_ENTRY);
            double ceiling = result.expected(segment, Strategy.BAYES_CEILING) - entry;
            out.printf(" | %-31s", String.format("%.0f%% (not exploring %.0f%%)",
                    100 * (result.expected(segment, Strategy.MODEL) - entry) / ceiling,
                    100 * (result.expected(segment, Strategy.MODEL_NOT_EXPLORING) - entry) / ceiling));
        }
        out.println();
        out.printf("model's bases: warm %s, cold %s; cold sends not at the population's choice (not exploring): %d%n",
                result.bases().get(Segment.WARM), result.bases().get(Segment.COLD), result.coldNotPopulation());
        out.flush();
    }
}
