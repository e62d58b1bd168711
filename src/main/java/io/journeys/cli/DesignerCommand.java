package io.journeys.cli;

import io.journeys.designer.DesignerServer;
import io.journeys.job.JobConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "designer", mixinStandardHelpOptions = true,
        description = {"Serves the journey designer (its page and API) on 127.0.0.1 over one folder of documents: lists,",
                "reads and writes them byte for byte, validates them with the engine's parser, runs test",
                "mode on the real simulation, and with --bootstrap-servers publishes and serves live counts.",
                "Prints its URL and runs until Ctrl-C."})
final class DesignerCommand implements Callable<Integer> {

    @Option(names = "--journeys", required = true, paramLabel = "DIR",
            description = "the folder of journey, action and rule documents (*.json) it reads and writes")
    Path folder;

    @Option(names = "--port", defaultValue = "0", paramLabel = "N", description = "the port; default 0: any free port")
    int port;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT",
            description = "Kafka, for publishing and live counts (without it, neither)")
    String bootstrapServers;

    @Option(names = "--config", paramLabel = "FILE",
            description = "job configuration (YAML): guard rails, http.allowedHosts and parallelism of test mode, topics")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "overrides one configuration key")
    List<String> overrides = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        JobConfig jobConfig;
        try {
            if (!Files.isDirectory(folder)) {
                throw new JourneyFiles.InputFileException("--journeys expects a folder, but " + folder + " is not one");
            }
            if (port < 0 || port > 65535) {
                throw new JourneyFiles.InputFileException("--port expects 0 to 65535, but got " + port);
            }
            jobConfig = JobConfig.load(config, overrides);
        } catch (JourneyFiles.InputFileException | JobConfig.ConfigException e) {
            err.println("error: " + e.getMessage());
            return Exits.USAGE;
        }
        DesignerServer server;
        try {
            server = DesignerServer.start(new DesignerServer.Settings(folder, port, jobConfig, bootstrapServers,
                    DesignerServer.DEFAULT_BODY_LIMIT, line -> {
                        err.println(line);
                        err.flush();
                    }));
        } catch (IOException e) {
            err.println("error: cannot serve on 127.0.0.1:" + port + ": " + e.getMessage());
            return Exits.FAILED;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("Designer: " + server.url());
        out.flush();
        awaitCtrlC(server);
        return Exits.OK;
    }

    /** Serves until Ctrl-C: the shutdown hook closes the server, and this thread returns once it is closed. */
    private static void awaitCtrlC(DesignerServer server) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closed.countDown();
            }
        }, "designer-stop"));
        closed.await();
    }
}
