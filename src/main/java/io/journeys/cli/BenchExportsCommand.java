package io.journeys.cli;

import io.journeys.bench.ExportBenchmark;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench-exports", mixinStandardHelpOptions = true,
        description = {"Ingests a generated audience export (CSV, then Avro) into a read-audience journey and prints",
                "profiles per second beside a floor measured in the same run (same source, one state update per record)."})
final class BenchExportsCommand implements Callable<Integer> {

    @Option(names = "--members", defaultValue = "10000000", description = "members in the export (default ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--parts", defaultValue = "4", description = "part files per export (default ${DEFAULT-VALUE})")
    int parts;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        new ExportBenchmark(members, parts, spec.commandLine().getOut()).run();
        return Exits.OK;
    }
}
