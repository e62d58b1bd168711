package io.journeys.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The latency benchmark reads its duration as every other duration option does (cli.DurationConverter). */
class BenchCommandTest {

    @Test
    void shouldGiveTheLatencyBenchmarkItsDurationInAnyFormAndFortySecondsByDefault() {
        assertThat(bench().latencyDuration).isEqualTo(Duration.ofSeconds(40));
        assertThat(bench("--latency-seconds", "90").latencyDuration).isEqualTo(Duration.ofSeconds(90));
        assertThat(bench("--latency-seconds", "PT1M").latencyDuration).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void shouldRunBothVariantsOfTheJourneysByDefaultAndEitherOneWhenAsked() {
        assertThat(bench().journeys.variants)
                .containsExactly(BenchJourneys.Variant.PLAIN, BenchJourneys.Variant.FEATURED);
        assertThat(bench("--journeys", "featured").journeys.variants).containsExactly(BenchJourneys.Variant.FEATURED);
        assertThat(bench("--journeys", "PLAIN").journeys.variants).containsExactly(BenchJourneys.Variant.PLAIN);
    }

    @Test
    void shouldShowTheFormsAndTheDefaultInTheHelp() {
        String benchHelp = new CommandLine(new BenchCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF);

        assertThat(benchHelp.replaceAll("\\s+", " ")).contains("--latency-seconds=DURATION", "(default 40s)");
    }

    private static BenchCommand bench(String... args) {
        BenchCommand bench = new BenchCommand();
        new CommandLine(bench).parseArgs(args);
        return bench;
    }
}
