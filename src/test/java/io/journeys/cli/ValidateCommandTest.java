package io.journeys.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./journeys validate} on folders that hold rule sets beside journeys (no cluster needed). */
class ValidateCommandTest {

    private static final String MARKETING = """
            {"kind": "rules", "id": "marketing", "version": 1,
             "frequency": [{"id": "email-daily", "channels": ["email"], "max": 1, "per": "day"}],
             "quietHours": [{"id": "night", "channels": ["email", "sms"], "from": "21:00", "to": "08:00"}],
             "entries": {"max": 3, "per": "week", "maxConcurrent": 1}}""";

    private static final String NEWSLETTER = """
            {"id": "newsletter", "version": 1, "rules": "marketing", "priority": 60,
             "entry": {"event": "subscribed"}, "start": "office-hours",
             "steps": {"office-hours": {"type": "window", "days": [1, 2, 3, 4, 5], "from": "09:00", "to": "17:00",
                                        "next": "send"},
                       "send": {"type": "action", "channel": "email", "template": "news", "next": "receipt"},
                       "receipt": {"type": "action", "channel": "email", "template": "receipt", "rules": false,
                                   "next": "done"},
                       "done": {"type": "end"}}}""";

    @TempDir
    Path folder;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int validate(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "validate";
        System.arraycopy(args, 0, command, 1, args.length);
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), command);
    }

    @Test
    void shouldValidateAFolderWithARuleSetAndTheJourneyThatNamesIt() throws Exception {
        Files.writeString(folder.resolve("rules.json"), MARKETING);
        Files.writeString(folder.resolve("newsletter.json"), NEWSLETTER);

        assertThat(validate(folder.toString())).isZero();
        assertThat(out.toString()).contains(
                folder.resolve("rules.json") + ": valid (rules marketing v1)",
                folder.resolve("newsletter.json") + ": valid (newsletter v1)");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void shouldListEveryProblemOfARuleSetAndExitWithOne() throws Exception {
        Files.writeString(folder.resolve("rules.json"), MARKETING.replace("\"max\": 1", "\"max\": 0")
                .replace("\"21:00\"", "\"24:00\""));

        assertThat(validate(folder.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("rules.json: 2 problem(s)", "JRN-037 /frequency/0/max",
                "JRN-036 /quietHours/0/from");
    }

    @Test
    void shouldAcceptAJourneyWhoseRuleSetIsPublishedSeparately() throws Exception {
        // like a jump to another journey: validate checks the files given, which need not be every file of the job
        Path journey = folder.resolve("newsletter.json");
        Files.writeString(journey, NEWSLETTER);

        assertThat(validate(journey.toString())).isZero();
        assertThat(out.toString()).contains("valid (newsletter v1)").doesNotContain("JRN-035");
    }
}
