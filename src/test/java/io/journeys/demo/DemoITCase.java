package io.journeys.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.dsl.Journey;
import io.journeys.dsl.JourneyParser;
import io.journeys.dsl.RuleSet;
import io.journeys.dsl.RulesParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's first command, shortened: whole demo journeys run through Kafka and Flink and are printed. */
class DemoITCase {

    private static final Pattern CONVERSION = Pattern.compile(
            "^\\[ *[0-9.]+s] goal +demo-cart/purchase +(p-\\d+) +converted +(ab-test arm (a|b|holdout), )?(at step \\S+|after the journey ended)$");
    private static final Pattern SUMMARY = Pattern.compile(
            "demo-cart +converted: purchase (\\d+); ab-test on purchase: a \\d+ of \\d+, b \\d+ of \\d+, holdout \\d+ of \\d+");
    /** What the rule set did, per journey: the demo's set only caps emails, so nothing is held, ended or excluded. */
    private static final Pattern RULES = Pattern.compile("demo-(cart|welcome) +rules demo-marketing: skipped (\\d+) by caps,"
            + " held 0, ended 0 by quiet hours, excluded 0 by entry caps and 0 by concurrency");

    @Test
    void shouldPrintActionRequestsConversionsOfTheDemoJourneysAndASummary() throws Exception {
        List<RuleSet> rules = List.of(RulesParser.parse(Files.readString(Path.of("jobs/demo/rules.json"))).rules());
        List<Journey> journeys = List.of(
                JourneyParser.parse(Files.readString(Path.of("jobs/demo/welcome.json"))).journey(),
                JourneyParser.parse(Files.readString(Path.of("jobs/demo/cart.json"))).journey());
        StringWriter output = new StringWriter();

        new Demo(rules, journeys, Duration.ofSeconds(30), false, new PrintWriter(output, true), Clock.systemUTC()).run();

        String text = output.toString();
        assertThat(text)
                .contains("Published rules demo-marketing v1", "Published demo-welcome v1", "Published demo-cart v1")
                .contains("demo-welcome/send-welcome", "demo-welcome/send-reminder", "demo-cart/email-")
                .contains("Demo over. Per journey:");
        List<String> lines = text.lines().toList();
        int conversions = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher conversion = CONVERSION.matcher(lines.get(i));
            if (conversion.matches()) {
                conversions++;
                // only a purchase of the cart the instance started with converts, never another cart
                String profile = conversion.group(1);
                assertThat(lines.subList(0, i)).as(lines.get(i))
                        .anyMatch(line -> line.trim().startsWith(profile + " buys its cart "));
            }
        }
        assertThat(conversions).as("conversions printed").isPositive();
        assertThat(text).contains(" buys another cart, ");
        String summary = text.substring(text.indexOf("Demo over. Per journey:"));
        Matcher counted = SUMMARY.matcher(summary);
        assertThat(counted.find()).as(summary).isTrue();
        assertThat(Integer.parseInt(counted.group(1))).isEqualTo(conversions);
        Matcher ruled = RULES.matcher(summary);
        assertThat(ruled.find()).as(summary).isTrue();
        // each capped email was printed as it came, and the summary counts as many
        long printedSkips = lines.stream().filter(l -> l.matches("^\\[ *[0-9.]+s] rules +demo-cart/email-[ab] +p-\\d+ +skipped RUL-001"
                + " frequency rule email-daily of demo-marketing: .*")).count();
        assertThat(Integer.parseInt(ruled.group(2))).as(summary).isEqualTo(printedSkips);
        assertThat(ruled.find()).as("a rules line for each demo journey: " + summary).isTrue();
    }
}
