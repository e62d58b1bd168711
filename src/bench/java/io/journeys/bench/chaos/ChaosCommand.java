package io.journeys.bench.chaos;

import io.journeys.cli.DurationConverter;
import io.journeys.cli.Exits;
import io.journeys.cli.OptionalCommand;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {"Runs the job on a real cluster under faults and judges it: 3 Kafka brokers (replication 3, min",
                "in-sync 2), a Flink session cluster with 2 TaskManagers running the cluster jar, an HTTP service that",
                "fails on purpose and drops duplicates by Idempotency-Key; a seeded population through journeys with",
                "waits, awaits, calls, caps, goals, an experiment, a rule set and send times, while TaskManagers are",
                "killed about every minute, a broker is killed and restarted, the checkpoint storage is made",
                "unwritable and the definitions are republished. After the drain an oracle checks every invariant",
                "and prints every figure (RELIABILITY.md); exit 0 when all held, 1 when one failed."})
public final class ChaosCommand implements Callable<Integer>, OptionalCommand {

    @Option(names = "--minutes", defaultValue = "30", description = "minutes of traffic and faults (default ${DEFAULT-VALUE}); "
            + "decimals allowed")
    double minutes;

    @Option(names = "--seed", defaultValue = "20", description = "seed of the population and of the faults (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--profiles", defaultValue = "20000", description = "profiles in the population (default ${DEFAULT-VALUE})")
    int profiles;

    @Option(names = "--delivery", defaultValue = "exactly-once", description = "the job's delivery.guarantee: exactly-once "
            + "(default) or at-least-once (a negative control: the oracle must report duplicates)")
    String delivery;

    @Option(names = "--http-dedup", defaultValue = "on", description = "whether the HTTP service drops duplicates by "
            + "Idempotency-Key: on (default) or off (a negative control: the oracle must report repeated effects)")
    String httpDedup;

    @Option(names = "--await-timeout", defaultValue = "PT1M", converter = DurationConverter.class, description = "the timeout of the journey's await of a click "
            + "(default ${DEFAULT-VALUE})")
    Duration await;

    @Option(names = "--out", description = "folder for the clusters' data and logs (default target/chaos/<time>)")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!delivery.equals("exactly-once") && !delivery.equals("at-least-once")) {
            throw new ParameterException(spec.commandLine(), "--delivery: exactly-once or at-least-once, not " + delivery);
        }
        if (!httpDedup.equals("on") && !httpDedup.equals("off")) {
            throw new ParameterException(spec.commandLine(), "--http-dedup: on or off, not " + httpDedup);
        }
        if (minutes <= 0 || profiles <= 0) {
            throw new ParameterException(spec.commandLine(), "--minutes and --profiles must be positive");
        }
        Path root = Path.of(System.getProperty("journeys.root", "."));
        Path home = out != null ? out : root.resolve("target/chaos/" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC).format(Instant.now()));
        ChaosRun.Settings settings = new ChaosRun.Settings(Duration.ofMillis((long) (minutes * 60_000)), seed, profiles,
                delivery, httpDedup.equals("on"), await, home.toAbsolutePath(), jobJar(root),
                root.resolve("target/flink-dist-classpath.txt").toAbsolutePath());
        return new ChaosRun(settings, spec.commandLine().getOut()).run() ? Exits.OK : Exits.FAILED;
    }

    /** The cluster jar `mvn package` built (the launcher builds it on first use). */
    private static Path jobJar(Path root) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(root.resolve("target"), "journeys-*-job.jar")) {
            for (Path jar : jars) {
                return jar.toAbsolutePath();
            }
        }
        throw new IllegalStateException("Expected the cluster jar target/journeys-*-job.jar (mvn -DskipTests package)");
    }
}
