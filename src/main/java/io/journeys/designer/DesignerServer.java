package io.journeys.designer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.journeys.engine.GuardRails;
import io.journeys.job.DefinitionPublisher;
import io.journeys.job.JobConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The designer's HTTP server (README, Designer; DESIGN §9.5): on 127.0.0.1 only, the API over one folder of
 * documents, test mode on the real simulation, and with Kafka publishing and live counts.
 *
 * <pre>{@code
 * try (DesignerServer server = DesignerServer.start(new DesignerServer.Settings(folder, 0, config, null))) {
 *     System.out.println("Designer: " + server.url());
 * }
 * }</pre>
 */
public final class DesignerServer implements AutoCloseable {

    /** The largest request body: a document or a test run's sample inputs. */
    public static final int DEFAULT_BODY_LIMIT = 10 << 20;
    /** How often the live counts are rebuilt after new step events: "updating within seconds". */
    static final Duration LIVE_EVERY = Duration.ofSeconds(1);

    /**
     * @param port 0 for any free port
     * @param config the job configuration: guard rails, parallelism and allowed hosts of test mode, topic names
     * @param bootstrapServers Kafka for publishing and live counts, or null without
     */
    public record Settings(Path folder, int port, JobConfig config, String bootstrapServers, int bodyLimit,
            Consumer<String> log) {

        public Settings(Path folder, int port, JobConfig config, String bootstrapServers) {
            this(folder, port, config, bootstrapServers, DEFAULT_BODY_LIMIT, System.err::println);
        }
    }

    private final HttpServer server;
    private final Router router;
    private final ExecutorService threads;
    private final LiveCounts live;

    private DesignerServer(HttpServer server, Router router, ExecutorService threads, LiveCounts live) {
        this.server = server;
        this.router = router;
        this.threads = threads;
        this.live = live;
    }

    /** Starts serving; fails when the folder is not one, the configuration is bad or the port is taken. */
    public static DesignerServer start(Settings settings) throws IOException, JobConfig.ConfigException {
        DocumentFolder folder = new DocumentFolder(settings.folder());
        JobConfig config = settings.config();
        GuardRails guardRails = config.guardRails();
        FolderValidation validation = new FolderValidation(folder, guardRails.maxStepsPerJourney());

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"),
                settings.port()), 0);
        int port = server.getAddress().getPort();
        Router router = new Router(new LocalRequests(port), settings.bodyLimit(), settings.log());
        boolean kafka = settings.bootstrapServers() != null;
        new StaticFiles(DesignerServer.class.getClassLoader(), IndexPage.render(folder.root().toString(), kafka))
                .register(router);
        router.on("GET", "/api/info", request -> Answer.ok(info(folder, settings, kafka)));
        new DocumentRoutes(folder, validation).register(router);
        new TestMode(guardRails, config.parallelism(), config.allowedHosts()).register(router);
        LiveCounts live = null;
        if (kafka) {
            String definitions = config.string(JobConfig.Key.TOPIC_DEFINITIONS);
            live = new LiveCounts(settings.bootstrapServers(), config.string(JobConfig.Key.TOPIC_STEP_EVENTS),
                    definitions, guardRails.maxStepsPerJourney(), LIVE_EVERY, settings.log()).start();
            new KafkaRoutes(validation, new DefinitionPublisher(settings.bootstrapServers(), definitions),
                    definitions, guardRails.maxStepsPerJourney(), live).register(router);
        } else {
            KafkaRoutes.registerUnavailable(router);
        }
        server.createContext("/", router);
        ExecutorService threads = Executors.newCachedThreadPool(daemonThreads());
        server.setExecutor(threads);
        server.start();
        return new DesignerServer(server, router, threads, live);
    }

    private static ObjectNode info(DocumentFolder folder, Settings settings, boolean kafka) {
        ObjectNode info = Answer.JSON.createObjectNode();
        info.put("folder", folder.root().toString());
        info.put("kafka", kafka);
        info.put("bootstrapServers", settings.bootstrapServers());
        ObjectNode topics = info.putObject("topics");
        topics.put("definitions", settings.config().string(JobConfig.Key.TOPIC_DEFINITIONS));
        topics.put("stepEvents", settings.config().string(JobConfig.Key.TOPIC_STEP_EVENTS));
        info.put("bodyLimit", settings.bodyLimit());
        return info;
    }

    /** Request threads that never keep the JVM alive: Ctrl-C's shutdown hook closes the server. */
    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "designer-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT/}. */
    public String url() {
        return "http://127.0.0.1:" + port() + "/";
    }

    /** Answers the long polls, stops the live reader, then stops serving (a request in flight gets a second). */
    @Override
    public void close() throws InterruptedException {
        if (live != null) {
            live.close();
        }
        server.stop(router.idle() ? 0 : 1);
        threads.shutdownNow();
        threads.awaitTermination(5, TimeUnit.SECONDS);
    }
}
