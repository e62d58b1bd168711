package io.journeys.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;

/**
 * The benchmarks' jar, which the launcher puts on its classpath for {@code ./journeys bench}: it is cut out of
 * target/test-classes by name patterns (pom.xml), so this checks that it holds every class of src/bench, what
 * JMH generated for them, and none of the tests compiled beside them.
 */
class BenchJarITCase {

    private static final Path BENCH_JAR = Path.of("target/journeys-0.1.0-SNAPSHOT-bench.jar");

    private static JarFile jar;
    private static Set<String> entries;

    @BeforeAll
    static void openJar() throws IOException {
        jar = new JarFile(BENCH_JAR.toFile());
        entries = jar.stream().map(JarEntry::getName).collect(Collectors.toSet());
    }

    @AfterAll
    static void closeJar() throws IOException {
        jar.close();
    }

    @Test
    void shouldHoldEveryClassOfTheBenchmarkSources() throws IOException {
        List<String> classes = classFiles(Path.of("src/bench/java"));

        assertThat(classes).contains("io/journeys/bench/ExpressionBenchmarks.class",
                "io/journeys/bench/BenchCommand.class");
        assertThat(entries).containsAll(classes);
    }

    @Test
    void shouldHoldNoTest() throws IOException {
        List<String> tests = classFiles(Path.of("src/test/java"));

        assertThat(tests).contains("io/journeys/bench/LatencyBenchmarkTest.class");
        assertThat(tests).noneMatch(entries::contains);
    }

    @Test
    void shouldHoldWhatJmhGeneratedForEveryBenchmarkItLists() throws IOException {
        List<BenchmarkListEntry> benchmarks;
        try (InputStream in = jar.getInputStream(jar.getEntry("META-INF/BenchmarkList"))) {
            benchmarks = BenchmarkList.readBenchmarkList(in);
        }

        assertThat(benchmarks).extracting(BenchmarkListEntry::getUsername)
                .contains("io.journeys.bench.ExpressionBenchmarks.entryFilterCel");
        for (BenchmarkListEntry benchmark : benchmarks) {
            String generated = benchmark.generatedTarget();
            String generatedClass = generated.substring(0, generated.lastIndexOf('.'));
            assertThat(entries).contains(generatedClass.replace('.', '/') + ".class");
        }
    }

    @Test
    void shouldRegisterTheBenchmarkCommandsWithTheLauncher() throws IOException {
        String services;
        try (InputStream in = jar.getInputStream(jar.getEntry("META-INF/services/io.journeys.cli.OptionalCommand"))) {
            services = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(services.lines().filter(line -> !line.startsWith("#")))
                .containsExactly(BenchExportsCommand.class.getName(), BenchCommand.class.getName(),
                        io.journeys.bench.chaos.ChaosCommand.class.getName());
    }

    /** The top-level class file of each source file under {@code root}: what javac surely writes for it. */
    private static List<String> classFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .map(file -> root.relativize(file).toString().replace('\\', '/').replaceAll("\\.java$", ".class"))
                    .toList();
        }
    }
}
