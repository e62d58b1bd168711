package io.journeys.bench.chaos;

import io.journeys.job.JobConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Three Kafka brokers, each a child JVM ({@code kafka.Kafka}, from the Maven artifacts on this JVM's classpath)
 * in KRaft combined mode, the three forming the controller quorum: replication 3 and min in-sync 2 everywhere,
 * transaction state included, so that one broker can be killed with SIGKILL and restarted on its own log folder
 * while producers with {@code acks=all} and transactions go on.
 */
public final class KafkaCluster implements AutoCloseable {

    public static final int BROKERS = 3;

    private final Path home;
    private final String classpath;
    private final int[] brokerPorts = new int[BROKERS];
    private final int[] controllerPorts = new int[BROKERS];
    private final Process[] brokers = new Process[BROKERS];
    /** How many times each broker was launched: its log (appended to) says "Kafka Server started" once per start. */
    private final int[] launches = new int[BROKERS];
    private final String clusterId = base64Uuid();

    private KafkaCluster(Path home, String classpath) throws IOException {
        this.home = home;
        this.classpath = classpath;
        for (int i = 0; i < BROKERS; i++) {
            brokerPorts[i] = freePort();
            controllerPorts[i] = freePort();
        }
    }

    /** Formats the three log folders under {@code home}, starts the brokers and waits until all three are up. */
    public static KafkaCluster start(Path home, String classpath) throws Exception {
        KafkaCluster cluster = new KafkaCluster(home, classpath);
        List<Process> formats = new ArrayList<>();
        for (int node = 0; node < BROKERS; node++) {
            formats.add(cluster.format(node));
        }
        for (int node = 0; node < BROKERS; node++) {
            cluster.awaitFormatted(node, formats.get(node));
        }
        for (int node = 0; node < BROKERS; node++) {
            cluster.launch(node);
        }
        for (int node = 0; node < BROKERS; node++) {
            cluster.awaitStarted(node, Duration.ofSeconds(120));
        }
        cluster.awaitBrokers(BROKERS, Duration.ofSeconds(60));
        return cluster;
    }

    public String bootstrapServers() {
        List<String> servers = new ArrayList<>();
        for (int port : brokerPorts) {
            servers.add("localhost:" + port);
        }
        return String.join(",", servers);
    }

    /** Kills broker {@code node} at once (SIGKILL), as a machine failure would. */
    public void kill(int node) throws InterruptedException {
        brokers[node].destroyForcibly();
        brokers[node].waitFor(30, TimeUnit.SECONDS);
        brokers[node] = null;
    }

    /** Starts broker {@code node} again on its own log folder and waits until the cluster lists it. */
    public void restart(int node) throws Exception {
        launch(node);
        awaitStarted(node, Duration.ofSeconds(120));
    }

    /** Creates the job's topics, replicated 3 times (min in-sync 2); the definitions and population compacted. */
    public void createTopics(JobConfig config, int partitions) throws Exception {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get();
            Set<String> compacted = Set.of(config.string(JobConfig.Key.TOPIC_DEFINITIONS),
                    config.string(JobConfig.Key.TOPIC_SEND_TIME_POPULATION));
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : config.topicNames()) {
                if (existing.contains(topic)) {
                    continue;
                }
                topics.add(compacted.contains(topic)
                        ? new NewTopic(topic, 1, (short) BROKERS).configs(Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))
                        : new NewTopic(topic, partitions, (short) BROKERS));
            }
            admin.createTopics(topics).all().get();
        }
    }

    public Admin admin() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(properties);
    }

    /** Formats broker {@code node}'s log folder for the cluster's id (Kafka's StorageTool, its own JVM). */
    private Process format(int node) throws Exception {
        Path config = writeConfiguration(node);
        return new ProcessBuilder(command("kafka.tools.StorageTool", List.of("format", "-t", clusterId,
                "-c", config.toString(), "--ignore-formatted")))
                .redirectErrorStream(true).redirectOutput(home.resolve("format-" + node + ".log").toFile()).start();
    }

    private void awaitFormatted(int node, Process format) throws Exception {
        if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException("Expected broker " + node + "'s log folder to be formatted, but it was "
                    + "not:\n" + Files.readString(home.resolve("format-" + node + ".log")));
        }
    }

    private void launch(int node) throws IOException {
        Path config = home.resolve("broker-" + node + ".properties");
        launches[node]++;
        brokers[node] = new ProcessBuilder(command("kafka.Kafka", List.of(config.toString())))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("broker-" + node + ".log").toFile()))
                .start();
    }

    private List<String> command(String mainClass, List<String> args) throws IOException {
        Path log4j = home.resolve("log4j2.properties");
        if (!Files.exists(log4j)) {
            Files.writeString(log4j, """
                    rootLogger.level = WARN
                    rootLogger.appenderRef.console.ref = console
                    appender.console.name = console
                    appender.console.type = Console
                    appender.console.layout.type = PatternLayout
                    appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5level %c{1} - %msg%n
                    logger.server.name = kafka.server.KafkaRaftServer
                    logger.server.level = INFO
                    """);
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms128m", "-Xmx384m", "-XX:+UseSerialGC", "-Dlog4j2.configurationFile=" + log4j.toUri(),
                "-cp", classpath, mainClass));
        command.addAll(args);
        return command;
    }

    private Path writeConfiguration(int node) throws IOException {
        Files.createDirectories(home.resolve("data-" + node));
        String voters = java.util.stream.IntStream.range(0, BROKERS)
                .mapToObj(i -> (i + 1) + "@localhost:" + controllerPorts[i]).collect(Collectors.joining(","));
        Path file = home.resolve("broker-" + node + ".properties");
        Files.writeString(file, """
                process.roles=broker,controller
                node.id=%d
                controller.quorum.voters=%s
                listeners=PLAINTEXT://localhost:%d,CONTROLLER://localhost:%d
                advertised.listeners=PLAINTEXT://localhost:%d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%s
                num.partitions=2
                default.replication.factor=3
                min.insync.replicas=2
                offsets.topic.replication.factor=3
                transaction.state.log.replication.factor=3
                transaction.state.log.min.isr=2
                unclean.leader.election.enable=false
                auto.create.topics.enable=false
                group.initial.rebalance.delay.ms=0
                num.network.threads=2
                num.io.threads=2
                background.threads=2
                log.cleaner.threads=1
                """.formatted(node + 1, voters, brokerPorts[node], controllerPorts[node], brokerPorts[node],
                home.resolve("data-" + node)));
        return file;
    }

    /** Reads broker {@code node}'s log until it says it started as often as it was launched. */
    private void awaitStarted(int node, Duration timeout) throws Exception {
        Path log = home.resolve("broker-" + node + ".log");
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(log) && countLines(log, "Kafka Server started") >= launches[node]) {
                return;
            }
            if (!brokers[node].isAlive()) {
                throw new IllegalStateException("Expected broker " + node + " to start, but it exited: see " + log);
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException("Expected broker " + node + " to start within " + timeout + ": see " + log);
    }

    private static long countLines(Path log, String text) throws IOException {
        try (java.util.stream.Stream<String> lines = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            return lines.filter(line -> line.contains(text)).count();
        }
    }

    /** Polls the cluster's metadata until it lists {@code count} brokers, or fails after {@code timeout}. */
    private void awaitBrokers(int count, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        try (Admin admin = admin()) {
            while (Instant.now().isBefore(deadline)) {
                try {
                    java.util.Collection<Node> nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    if (nodes.size() >= count) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // not up yet: ask again (the call itself waits up to 5 s)
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
        }
        throw new IllegalStateException("Expected " + count + " brokers within " + timeout + ", but they did not come: "
                + "see " + home + "/broker-*.log");
    }

    private static String base64Uuid() {
        UUID uuid = UUID.randomUUID();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process broker : brokers) {
            if (broker != null) {
                broker.destroyForcibly();
                broker.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
