package io.journeys.bench;

import io.journeys.cli.Exits;
import io.journeys.cli.OptionalCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "bench-exports", mixinStandardHelpOptions = true,
        description = {"Ingests a generated audience export (CSV, then Avro) into a read-audience journey and prints",
                "profiles per second beside a floor measured in the same run (same source, one state update per record)."})
public final class BenchExportsCommand implements Callable<Integer>, OptionalCommand {

    @Option(names = "--members", defaultValue = "10000000", description = "members in the export (default ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--parts", defaultValue = "4", description = "part files per export (default ${DEFAULT-VALUE})")
    int parts;

    @Option(names = "--formats", split = ",", defaultValue = "csv,avro",
            description = "export formats to run, in this order (default ${DEFAULT-VALUE}): csv, avro or both")
    java.util.List<String> formats;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        new ExportBenchmark(members, parts, formats, spec.commandLine().getOut()).run();
        return Exits.OK;
    }
}
