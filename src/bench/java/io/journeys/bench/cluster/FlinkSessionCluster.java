package io.journeys.bench.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Flink session cluster from Maven jars (TOOLCHAIN.md): a JobManager and TaskManagers, each a
 * separate JVM, and Flink's own command-line client to submit jobs. Readiness is read from their logs,
 * line by line, so nothing waits on a clock. Shared by the cluster tests and {@code ./journeys chaos} (hence in
 * src/bench, which the tests compile with).
 */
public final class FlinkSessionCluster implements AutoCloseable {

    /** Flink's usual module openings; the JVMs of a cluster need them on their command lines. */
    private static final List<String> OPENS = Arrays.stream(new String[] {"java.lang", "java.util",
            "java.util.concurrent", "java.nio", "sun.nio.ch", "java.time", "java.net", "java.io", "java.lang.reflect",
            "java.text", "java.math", "java.util.concurrent.atomic", "java.security", "jdk.internal.misc"})
            .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED").toList();

    /**
     * The classpath of a stock Flink distribution and nothing else (src/test/flink-dist/pom.xml, resolved by the
     * build before the integration tests): whatever the job needs beyond it must be in the job jar.
     */
    public static final Path DISTRIBUTION_CLASSPATH = Path.of("target/flink-dist-classpath.txt");

    /**
     * The shape of a cluster: how many TaskManagers, their slots and memory, and Flink settings added to its
     * configuration (YAML lines, e.g. restart back-offs).
     */
    public record Layout(int taskManagers, int slots, String taskManagerMemory, String jobManagerMemory,
            List<String> extraConfiguration) {

        /** The cluster tests' own: one TaskManager with two slots. */
        public static final Layout SINGLE = new Layout(1, 2, "2048m", "1024m", List.of());
    }

    private final Path home;
    private final Path confDir;
    private final String classpath;
    private final int restPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();
    /** The TaskManagers alive (started and not killed), oldest first. */
    private final List<Process> taskManagers = new ArrayList<>();

    private FlinkSessionCluster(Path home, Path distributionClasspath) throws IOException {
        this.home = home;
        this.confDir = Files.createDirectories(home.resolve("conf"));
        this.restPort = freePort();
        this.classpath = String.join(java.io.File.pathSeparator, distribution(distributionClasspath));
    }

    /** Starts a JobManager and one TaskManager with two slots, RocksDB state and checkpoints under {@code home}. */
    public static FlinkSessionCluster start(Path home) throws Exception {
        return start(home, Layout.SINGLE, DISTRIBUTION_CLASSPATH);
    }

    /** Starts a JobManager and the layout's TaskManagers, on the distribution whose classpath the file lists. */
    public static FlinkSessionCluster start(Path home, Layout layout, Path distributionClasspath) throws Exception {
        FlinkSessionCluster cluster = new FlinkSessionCluster(home, distributionClasspath);
        cluster.writeConfiguration(layout);
        Process jobManager = cluster.launch("jobmanager", List.of(),
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint", List.of("--configDir",
                        cluster.confDir.toString()));
        cluster.awaitLine(jobManager, "Rest endpoint listening at", Duration.ofSeconds(300));
        // the TaskManagers start side by side: each JVM takes seconds to come up
        List<Process> starting = new ArrayList<>();
        for (int i = 0; i < layout.taskManagers(); i++) {
            starting.add(cluster.launchTaskManager());
        }
        for (Process taskManager : starting) {
            cluster.awaitRegistered(taskManager);
        }
        return cluster;
    }

    /** The folder of the cluster's logs (one file per JVM, {@code taskmanager-N.log} for the TaskManagers). */
    public Path home() {
        return home;
    }

    /** Starts a (new) TaskManager and waits until it has registered with the JobManager. */
    public void startTaskManager() throws Exception {
        awaitRegistered(launchTaskManager());
    }

    private void awaitRegistered(Process taskManager) throws InterruptedException {
        awaitLine(taskManager, "Successful registration at resource manager", Duration.ofSeconds(300));
        synchronized (taskManagers) {
            taskManagers.add(taskManager);
        }
    }

    private Process launchTaskManager() throws Exception {
        List<String> params = run("org.apache.flink.runtime.util.bash.BashJavaUtils",
                List.of("GET_TM_RESOURCE_PARAMS", "--configDir", confDir.toString()));
        List<String> lines = params.stream().filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length())).toList();
        List<String> jvmFlags = List.of(lines.get(0).trim().split("\\s+"));
        List<String> dynamic = new ArrayList<>(List.of("--configDir", confDir.toString()));
        dynamic.addAll(List.of(lines.get(1).trim().split("\\s+")));
        return launch("taskmanager-" + processes.size(), jvmFlags,
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", dynamic);
    }

    /** Kills the TaskManager started last at once (SIGKILL), as a machine failure would. */
    public void killTaskManager() throws InterruptedException {
        killTaskManager(taskManagers.size() - 1);
    }

    /** Kills the {@code index}-th live TaskManager (oldest first) at once, with SIGKILL. */
    public void killTaskManager(int index) throws InterruptedException {
        Process taskManager = taskManagers.remove(index);
        taskManager.destroyForcibly();
        taskManager.waitFor(30, TimeUnit.SECONDS);
    }

    public int liveTaskManagers() {
        return taskManagers.size();
    }

    /** Submits a job jar with Flink's own CLI, detached; returns the job id. */
    public String submit(Path jar, String mainClass, List<String> programArgs, String savepoint) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "-d", "-c", mainClass));
        if (savepoint != null) {
            args.addAll(List.of("-s", savepoint));
        }
        args.add(jar.toString());
        args.addAll(programArgs);
        List<String> output = run("org.apache.flink.client.cli.CliFrontend", args);
        Matcher id = Pattern.compile("JobID ([0-9a-f]{32})").matcher(String.join("\n", output));
        if (!id.find()) {
            throw new IllegalStateException("Expected the CLI to print a JobID, but it printed:\n" + String.join("\n", output));
        }
        return id.group(1);
    }

    /** Stops a job with a savepoint (Flink's CLI); returns the savepoint path. */
    public String stopWithSavepoint(String jobId) throws Exception {
        List<String> output = run("org.apache.flink.client.cli.CliFrontend",
                List.of("stop", "--savepointPath", home.resolve("savepoints").toUri().toString(), jobId));
        Matcher path = Pattern.compile("Savepoint completed\\. Path: (\\S+)").matcher(String.join("\n", output));
        if (!path.find()) {
            throw new IllegalStateException("Expected a savepoint path, but the CLI printed:\n" + String.join("\n", output));
        }
        return path.group(1);
    }

    /**
     * Triggers a checkpoint of a running job with Flink's CLI and returns once it has completed (which commits the
     * exactly-once sinks' transactions of it).
     */
    public void checkpoint(String jobId) throws Exception {
        List<String> output = run("org.apache.flink.client.cli.CliFrontend", List.of("checkpoint", jobId));
        if (output.stream().noneMatch(line -> line.contains("completed"))) {
            throw new IllegalStateException("Expected a completed checkpoint, but the CLI printed:\n"
                    + String.join("\n", output));
        }
    }

    /** Cancels a job with Flink's CLI. */
    public void cancel(String jobId) throws Exception {
        run("org.apache.flink.client.cli.CliFrontend", List.of("cancel", jobId));
    }

    /** How many failures the job has recovered from (its exception history, from the REST API). */
    public int failuresOf(String jobId) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + restPort + "/jobs/" + jobId + "/exceptions")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher timestamps = Pattern.compile("\"timestamp\"").matcher(body.substring(Math.max(0,
                body.indexOf("exceptionHistory"))));
        int count = 0;
        while (timestamps.find()) {
            count++;
        }
        return count;
    }

    /** The job's state from the REST API (RUNNING, RESTARTING, ...). */
    public String jobState(String jobId) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + "/jobs/" + jobId))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher state = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z_]+)\"").matcher(body);
        return state.find() ? state.group(1) : "UNKNOWN";
    }

    /**
     * True when the job is RUNNING and so is every one of its tasks (the job is RUNNING while its tasks are still
     * being deployed after a restart; only then does it process again).
     */
    public boolean allTasksRunning(String jobId) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + restPort + "/jobs/" + jobId))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher state = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z_]+)\"").matcher(body);
        if (!state.find() || !state.group(1).equals("RUNNING")) {
            return false;
        }
        int vertices = body.indexOf("\"vertices\"");
        if (vertices < 0) {
            return false;
        }
        Matcher tasks = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"").matcher(body.substring(vertices));
        boolean any = false;
        while (tasks.find()) {
            any = true;
            if (!tasks.group(1).equals("RUNNING")) {
                return false;
            }
        }
        return any;
    }

    private void writeConfiguration(Layout layout) throws IOException {
        Files.writeString(confDir.resolve("config.yaml"), """
                jobmanager:
                  rpc: {address: localhost, port: %d}
                  bind-host: localhost
                  memory: {process: {size: %s}}
                taskmanager:
                  host: localhost
                  bind-host: localhost
                  numberOfTaskSlots: %d
                  memory: {process: {size: %s}}
                rest: {address: localhost, bind-address: localhost, port: %d}
                state: {backend: {type: rocksdb}}
                execution: {checkpointing: {dir: "%s", incremental: true}}
                web: {upload: {dir: "%s"}}
                pipeline: {generic-types: false}
                heartbeat: {timeout: 8000, interval: 1000}
                """.formatted(freePort(), layout.jobManagerMemory(), layout.slots(), layout.taskManagerMemory(), restPort,
                home.resolve("checkpoints").toUri(), home.resolve("uploads"))
                + String.join("\n", layout.extraConfiguration()) + "\n");
        Files.writeString(confDir.resolve("log4j-console.properties"), """
                rootLogger.level = INFO
                rootLogger.appenderRef.console.ref = console
                rootLogger.appenderRef.file.ref = file
                appender.console.name = console
                appender.console.type = CONSOLE
                appender.console.layout.type = PatternLayout
                appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5level %c{1} - %msg%n
                appender.file.name = file
                appender.file.type = File
                appender.file.fileName = ${sys:log.file}
                appender.file.layout.type = PatternLayout
                appender.file.layout.pattern = %d{HH:mm:ss.SSS} %-5level %c{1} - %msg%n
                """);
    }

    private Process launch(String name, List<String> jvmFlags, String mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBin()));
        command.addAll(jvmFlags);
        command.addAll(OPENS);
        command.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j-console.properties"));
        command.add("-Dlog.file=" + home.resolve(name + ".log"));
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(process);
        return process;
    }

    /** Runs a short-lived Flink tool in its own JVM (with FLINK_CONF_DIR set) and returns what it printed. */
    private List<String> run(String mainClass, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaBin()));
        command.addAll(OPENS);
        command.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j-console.properties"));
        command.add("-Dlog.file=" + home.resolve("client.log"));
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("FLINK_CONF_DIR", confDir.toString());
        Process process = builder.start();
        List<String> output;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            output = reader.lines().toList();
        }
        if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(mainClass + " " + args + " failed:\n" + String.join("\n", output));
        }
        return output;
    }

    /** Reads the process's output until a line contains {@code text}; keeps draining it afterwards. */
    private void awaitLine(Process process, String text, Duration timeout) throws InterruptedException {
        BlockingQueue<String> found = new LinkedBlockingQueue<>();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (seen.size() < 2000) {
                        seen.add(line);
                    }
                    if (line.contains(text)) {
                        found.add(line);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "log-reader");
        reader.setDaemon(true);
        reader.start();
        if (found.poll(timeout.toMillis(), TimeUnit.MILLISECONDS) == null) {
            throw new IllegalStateException("Expected \"" + text + "\" in the log, but it did not come:\n"
                    + String.join("\n", seen.subList(Math.max(0, seen.size() - 60), seen.size())));
        }
    }

    /** The jars of a stock Flink distribution. */
    public static List<String> distribution() throws IOException {
        return distribution(DISTRIBUTION_CLASSPATH);
    }

    /** The jars of a stock Flink distribution, as the file (resolved from src/test/flink-dist/pom.xml) lists them. */
    public static List<String> distribution(Path classpathFile) throws IOException {
        if (!Files.exists(classpathFile)) {
            throw new IllegalStateException("Expected " + classpathFile + " (written by `mvn verify` before the "
                    + "integration tests, and by ./journeys chaos on first use), but it is missing: run the cluster "
                    + "tests through Maven");
        }
        return Arrays.stream(Files.readString(classpathFile).trim().split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isBlank()).toList();
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
