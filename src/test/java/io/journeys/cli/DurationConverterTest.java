package io.journeys.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @ParameterizedTest
    @CsvSource({
            "45, PT45S",
            "45s, PT45S",
            "PT45S, PT45S",
            "pt45s, PT45S",
            "' 45 ', PT45S",
            "500ms, PT0.5S",
            "2m, PT2M",
            "1h, PT1H",
            "90m, PT1H30M",
            "PT1M30S, PT1M30S",
            "P1D, PT24H",
            "P1W, PT168H"})
    void shouldReadSecondsNumbersWithAUnitAndIsoDurations(String text, String expected) {
        assertThat(converter.convert(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "45x", "45 s", "s", "1.5", "1.5s", "45S", "P1M", "P1Y", "PT", "45sec", "-5",
            "99999999999999999999", "999999999999999999h"})
    void shouldRefuseWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> converter.convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("Expected seconds (45), with a unit (500ms, 45s, 2m, 1h) or ISO-8601 (PT45S), but found \""
                        + text.strip() + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "0s", "0ms", "PT0S", "PT-5S", "-PT5S"})
    void shouldRefuseDurationsThatAreNotPositive(String text) {
        assertThatThrownBy(() -> converter.convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessage("Expected a positive duration, but found \"" + text + "\"");
    }

    @Test
    void shouldGiveTheDemoItsDurationInAnyFormAndSixtySecondsByDefault() {
        assertThat(demo().duration).isEqualTo(Duration.ofSeconds(60));
        assertThat(demo("--duration", "45").duration).isEqualTo(Duration.ofSeconds(45));
        assertThat(demo("--duration", "45s").duration).isEqualTo(Duration.ofSeconds(45));
        assertThat(demo("--duration", "PT45S").duration).isEqualTo(Duration.ofSeconds(45));
        assertThat(demo("--duration=2m").duration).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void shouldRefuseABadDurationWithTheUsageExitCodeAndSayWhatItExpects() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "demo", "--duration", "soon");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).startsWith("Invalid value for option '--duration': Expected seconds (45), with a unit"
                + " (500ms, 45s, 2m, 1h) or ISO-8601 (PT45S), but found \"soon\"");
    }

    @Test
    void shouldShowTheFormsAndTheDefaultInTheHelp() {
        String demoHelp = new CommandLine(new DemoCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF);

        assertThat(demoHelp.replaceAll("\\s+", " "))
                .contains("--duration=DURATION how long the demo runs: seconds (45), with a unit (500ms, 45s, 2m, 1h)"
                        + " or ISO-8601 (PT45S) (default 60s)");
    }

    private static DemoCommand demo(String... args) {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs(args);
        return demo;
    }
}
