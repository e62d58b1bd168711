package io.journeys.bench;

import io.journeys.bench.GeneratedPopulation.Profile;
import io.journeys.sendtime.Engagement;
import io.journeys.sendtime.SendTimeChooser;
import io.journeys.sendtime.SendTimeChooser.Basis;
import io.journeys.sendtime.SendTimeChooser.Choice;
import io.journeys.sendtime.HoursOfWeek;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * What the model costs, on the history {@link SendTimeEvaluation} replays: the bytes of each profile's
 * {@link Engagement} as an Avro record (the engine keeps its state as Avro records; this one is defined here, as
 * the engine's is not written yet), and {@code choose()} per second beside a baseline timed in the same run on the
 * same inputs, the decision "send at once" (an instant and its local hour of the week: what every send costs
 * without the model). Plain timed loops alternating the two, a few warm-up rounds first, the median round kept.
 */
final class SendTimeCost {

    static final Schema ENGAGEMENT = SchemaBuilder.record("Engagement").namespace("io.journeys.bench")
            .fields()
            .name("hours").type().array().items().intType().noDefault()
            .name("weights").type().array().items().doubleType().noDefault()
            .name("asOf").type().longType().noDefault()
            .endRecord();

    private static final int WARM_UP_ROUNDS = 3;
    private static final int ROUNDS = 7;

    private final SendTimeEvaluation evaluation;
    private final PrintWriter out;
    private volatile long sink; // keeps the JIT from dropping the loops' work

    SendTimeCost(SendTimeEvaluation evaluation, PrintWriter out) {
        this.evaluation = evaluation;
        this.out = out;
    }

    void run() {
        SendTimeEvaluation.History history = evaluation.replayHistory();
        printBytes(history.engagements());
        printThroughput(history);
    }

    private void printBytes(Engagement[] engagements) {
        long total = 0;
        long hours = 0;
        int warm = 0;
        int most = 0;
        for (Engagement engagement : engagements) {
            if (!engagement.isEmpty()) {
                int bytes = avroBytes(engagement);
                total += bytes;
                hours += engagement.hours().length;
                most = Math.max(most, bytes);
                warm++;
            }
        }
        int[] full = new int[Engagement.MOST_HOURS];
        double[] weights = new double[Engagement.MOST_HOURS];
        for (int i = 0; i < full.length; i++) {
            full[i] = HoursOfWeek.COUNT - 1 - i; // the widest varints of an hour (2 bytes from 64)
            weights[i] = 1.0 / (i + 1);
        }
        int bound = avroBytes(Engagement.of(full, weights, SendTimeEvaluation.CAMPAIGN_START.toEpochMilli()));
        out.printf("state: Engagement as Avro binary, %.1f bytes per warm profile (%.1f hours kept; most %d bytes),"
                + " %d bytes at the bound of %d hours; fixed-width (4 per hour, 8 per weight, 8 for asOf, 4 per"
                + " array length) %d bytes at the bound; a cold profile keeps none. The population: %d doubles"
                + " and a long per channel and as many again per zone of the channel's profiles, %d bytes each (in every"
                + " subtask's broadcast state)%n", (double) total / warm, (double) hours / warm, most, bound,
                Engagement.MOST_HOURS, 12 * Engagement.MOST_HOURS + 16, HoursOfWeek.COUNT, HoursOfWeek.COUNT * 8 + 8);
    }

    static int avroBytes(Engagement engagement) {
        GenericRecord record = new GenericData.Record(ENGAGEMENT);
        record.put("hours", Arrays.stream(engagement.hours()).boxed().toList());
        record.put("weights", Arrays.stream(engagement.weights()).boxed().toList());
        record.put("asOf", engagement.asOf());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        try {
            new GenericDatumWriter<GenericRecord>(ENGAGEMENT).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.size();
    }

    private void printThroughput(SendTimeEvaluation.History history) {
        Profile[] profiles = evaluation.profiles();
        Instant[] entries = evaluation.entries();
        // one population array for all, as a subtask would hold between two updates of the broadcast
        double[] population = history.population().weightsAt(SendTimeEvaluation.CAMPAIGN_START,
                evaluation.model().settings().halfLife());
        SendTimeChooser model = evaluation.model();
        Engagement[] engagements = history.engagements();
        double[] modelRates = new double[ROUNDS];
        double[] baselineRates = new double[ROUNDS];
        for (int round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
            long start = System.nanoTime(); // benchmark timing
            long work = 0;
            for (Profile profile : profiles) {
                Choice choice = model.choose(entries[profile.id()], SendTimeEvaluation.WITHIN, profile.zone(),
                        engagements[profile.id()], population, evaluation.hash(profile.id()));
                work += choice.hourOfWeek();
            }
            long modelNanos = System.nanoTime() - start;
            start = System.nanoTime();
            for (Profile profile : profiles) {
                work += atOnce(entries[profile.id()], profile.zone()).hourOfWeek();
            }
            long baselineNanos = System.nanoTime() - start;
            sink += work;
            if (round >= 0) {
                modelRates[round] = profiles.length * 1e9 / modelNanos;
                baselineRates[round] = profiles.length * 1e9 / baselineNanos;
            }
        }
        double modelRate = median(modelRates);
        double baselineRate = median(baselineRates);
        out.printf("throughput: choose() %,.0f ops/s (%.1f µs/op), window %s; baseline \"send at once\" %,.0f ops/s;"
                + " baseline / choose() %.0f× (median of %d rounds over the %,d profiles, after %d warm-up)%n",
                modelRate, 1e6 / modelRate, SendTimeEvaluation.WITHIN, baselineRate, baselineRate / modelRate,
                ROUNDS, profiles.length, WARM_UP_ROUNDS);
        out.flush();
    }

    /** What a send costs without the model: now, and the local hour it is in. */
    private static Choice atOnce(Instant now, ZoneId zone) {
        return new Choice(now, HoursOfWeek.of(now, zone), Basis.AT_ONCE);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
