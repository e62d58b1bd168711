package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.journeys.engine.GuardRails;
import io.journeys.job.JobConfig.Key;
import io.journeys.sendtime.EngagementTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job's configuration: the guard rails' defaults, and the transaction timeout exactly-once sinks need. */
class JobConfigTest {

    private static JobConfig load(String... overrides) throws JobConfig.ConfigException {
        return JobConfig.load(null, List.of(overrides));
    }

    @Test
    void shouldAcceptTheDefaultsWithRoomToSpare() throws Exception {
        JobConfig defaults = JobConfig.defaults();

        // the longer of PT10S and PT3M, plus PT3M, plus PT2M to restart
        assertThat(defaults.minimumTransactionTimeout()).isEqualTo(Duration.ofMinutes(8));
        assertThat(defaults.transactionTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(defaults.checkpointTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(defaults.warnings()).isEmpty();
    }

    @Test
    void shouldTakeTheGuardRailDefaultsFromGuardRailsAsReadmeShowsThem() throws Exception {
        assertThat(JobConfig.defaults().guardRails()).isEqualTo(GuardRails.DEFAULTS);

        String readme = Files.readString(Path.of("README.md"));
        List<Key> guardRails = Arrays.stream(Key.values()).filter(key -> key.keyName().startsWith("guardRails."))
                .toList();
        assertThat(guardRails).hasSize(5);
        for (Key key : guardRails) {
            assertThat(readme).contains("| `" + key.keyName() + "` | " + key.defaultValue() + " |");
        }
    }

    @Test
    void shouldRefuseATransactionTimeoutShorterThanTwoCheckpointsAndARestart() {
        assertThatThrownBy(() -> load("kafka.transactionTimeout=PT5M"))
                .isInstanceOf(JobConfig.ConfigException.class)
                .hasMessageStartingWith("Expected kafka.transactionTimeout of at least PT8M, but found PT5M")
                .hasMessageContaining("checkpoints.interval PT10S")
                .hasMessageContaining("checkpoints.timeout PT3M")
                .hasMessageContaining("PT2M to restart")
                .hasMessageContaining("loses its records");
    }

    @Test
    void shouldAcceptExactlyTheMinimumAndRefuseASecondLess() throws Exception {
        assertThat(load("kafka.transactionTimeout=PT8M").transactionTimeout()).isEqualTo(Duration.ofMinutes(8));
        assertThatThrownBy(() -> load("kafka.transactionTimeout=PT7M59S"))
                .hasMessageStartingWith("Expected kafka.transactionTimeout of at least PT8M, but found PT7M59S");
    }

    @Test
    void shouldCountTheIntervalInsteadOfTheCheckpointTimeoutWhenItIsLonger() throws Exception {
        // a transaction opened at one checkpoint waits the whole interval for the next one
        assertThatThrownBy(() -> load("checkpoints.interval=PT6M"))
                .hasMessageStartingWith("Expected kafka.transactionTimeout of at least PT11M, but found PT10M")
                .hasMessageContaining("checkpoints.interval PT6M");
        assertThat(load("checkpoints.interval=PT6M", "kafka.transactionTimeout=PT11M").minimumTransactionTimeout())
                .isEqualTo(Duration.ofMinutes(11));
    }

    @Test
    void shouldCountTheCheckpointTimeoutTwiceWhenCheckpointsTakeLongerThanTheInterval() {
        // the next checkpoint starts only once the running one completes, and may take as long itself
        assertThatThrownBy(() -> load("checkpoints.timeout=PT5M"))
                .hasMessageStartingWith("Expected kafka.transactionTimeout of at least PT12M, but found PT10M");
    }

    @Test
    void shouldNotCheckTheTransactionTimeoutOfAtLeastOnceSinks() throws Exception {
        JobConfig config = load("delivery.guarantee=at-least-once", "kafka.transactionTimeout=PT1M",
                "checkpoints.interval=PT30M");

        assertThat(config.exactlyOnce()).isFalse();
        assertThat(config.transactionTimeout()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void shouldStillRefuseAnUnreadableTransactionTimeoutOfAtLeastOnceSinks() {
        assertThatThrownBy(() -> load("delivery.guarantee=at-least-once", "kafka.transactionTimeout=soon"))
                .hasMessage("Expected a positive ISO-8601 duration such as PT24H for kafka.transactionTimeout, "
                        + "but found \"soon\"");
    }

    @Test
    void shouldRefuseAnUnreadableCheckpointTimeout() {
        assertThatThrownBy(() -> load("checkpoints.timeout=0"))
                .hasMessageContaining("checkpoints.timeout")
                .hasMessageContaining("positive ISO-8601 duration");
    }

    @Test
    void shouldWarnAboveKafkasDefaultMaximumTransactionTimeoutOnlyWithTransactions() throws Exception {
        assertThat(load("kafka.transactionTimeout=PT15M").warnings()).isEmpty();
        assertThat(load("kafka.transactionTimeout=PT20M").warnings()).singleElement().asString()
                .contains("kafka.transactionTimeout PT20M", "transaction.max.timeout.ms (PT15M)",
                        "larger than the maximum value allowed by the broker");
        assertThat(load("kafka.transactionTimeout=PT20M", "delivery.guarantee=at-least-once").warnings()).isEmpty();
    }

    @Test
    void shouldHandTheCheckpointTimeoutToFlink() throws Exception {
        assertThat(KafkaJob.flinkConfiguration(load("checkpoints.timeout=PT2M")).toMap())
                .containsEntry("execution.checkpointing.timeout", "120000 ms");
    }

    @Test
    void shouldReadTheEngagementTypesSendTimesLearnFromWithTheDefaultAsReadmeShowsIt() throws Exception {
        assertThat(JobConfig.defaults().engagements()).isEqualTo(EngagementTypes.DEFAULT);
        assertThat(EngagementTypes.DEFAULT.kindsByType()).containsExactly(
                Map.entry("email.opened", List.of("email/opens")),
                Map.entry("email.clicked", List.of("email/clicks", "email/opens")),
                Map.entry("push.opened", List.of("push/opens")));
        assertThat(Files.readString(Path.of("README.md")))
                .contains("| `sendTime.engagements` | `" + EngagementTypes.DEFAULT_TEXT + "` |");

        EngagementTypes mine = load("sendTime.engagements= mail.open = email/opens ; mail.link=email/clicks,email/opens;"
                + "app.push.open=push/opens").engagements();
        assertThat(mine.kindsOf("mail.open")).containsExactly("email/opens");
        assertThat(mine.kindsOf("mail.link")).containsExactly("email/clicks", "email/opens");
        assertThat(mine.isEngagement("app.push.open")).isTrue();
        assertThat(mine.isEngagement("email.opened")).as("only the types given").isFalse();
        assertThat(mine.kindsOf("email.opened")).isEmpty();
    }

    @Test
    void shouldRefuseEngagementTypesItCannotUseNamingTheEntry() {
        assertThatThrownBy(() -> load("sendTime.engagements=email.opened=email/opens;sms.opened=sms/opens"))
                .isInstanceOf(JobConfig.ConfigException.class)
                .hasMessageStartingWith("Expected sendTime.engagements as type=kind,kind;type=kind")
                .hasMessageContaining("\"sms/opens\" of sms.opened is none of [email/clicks, email/opens, push/opens]");
        assertThatThrownBy(() -> load("sendTime.engagements=email.opened"))
                .hasMessageContaining("expected type=kind,kind in \"email.opened\"");
        assertThatThrownBy(() -> load("sendTime.engagements=email.opened=email/opens;email.opened=email/clicks"))
                .hasMessageContaining("event type email.opened is given twice");
        assertThatThrownBy(() -> load("sendTime.engagements=email.opened="))
                .hasMessageContaining("engagement kind \"\" of email.opened");
        assertThatThrownBy(() -> load("sendTime.engagements=;"))
                .hasMessageContaining("expected at least one type=kind");
    }
}
