package io.journeys.cli;

import java.io.PrintWriter;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./journeys} launcher's entry point. */
@Command(name = "journeys", mixinStandardHelpOptions = true, version = "journeys 0.1.0",
        description = "Journey orchestration on Apache Flink.",
        subcommands = {DemoCommand.class, ValidateCommand.class, SimulateCommand.class, JobCommand.class,
                PublishCommand.class, StatusCommand.Close.class, StatusCommand.Stop.class, ReportCommand.class,
                DesignerCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs a command as {@code ./journeys} would, writing to {@code out} and {@code err}; returns its exit code. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return commandLine()
                .setCaseInsensitiveEnumValuesAllowed(true) // --only latency,waiting
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
                    commandLine.getErr().println("error: " + e.getMessage());
                    return Exits.FAILED;
                })
                .execute(args);
    }

    /**
     * The commands above, then those found on the classpath (the benchmarks', when the launcher adds them), then
     * help: added before the settings of {@link #execute}, which apply only to the subcommands already there.
     */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        ServiceLoader.load(OptionalCommand.class).forEach(commandLine::addSubcommand);
        return commandLine.addSubcommand(new CommandLine.HelpCommand());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
