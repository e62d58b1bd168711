package io.journeys.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.dsl.JourneyParser;
import io.journeys.dsl.Journey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's first command, shortened: whole demo journeys run through Kafka and Flink and are printed. */
class DemoITCase {

    @Test
    void shouldPrintActionRequestsOfTheDemoJourneysAndASummary() throws Exception {
        List<Journey> journeys = List.of(
                JourneyParser.parse(Files.readString(Path.of("jobs/demo/welcome.json"))).journey(),
                JourneyParser.parse(Files.readString(Path.of("jobs/demo/cart.json"))).journey());
        StringWriter output = new StringWriter();

        new Demo(journeys, Duration.ofSeconds(25), false, new PrintWriter(output, true), Clock.systemUTC()).run();

        assertThat(output.toString())
                .contains("Published demo-welcome v1", "Published demo-cart v1")
                .contains("demo-welcome/send-welcome", "demo-welcome/send-reminder")
                .contains("Demo over. Per journey:");
    }
}
