package io.journeys.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.journeys.bench.cluster.FlinkSessionCluster;
import io.journeys.testing.ClassReferences;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster jar is complete: every class that the job's code can reach, through the classes it refers to,
 * is in the jar, in a stock Flink distribution or in the JDK. A TaskManager has nothing else; a library left
 * out of the jar (CEL's re2j once was) is found here instead of as a {@code NoClassDefFoundError} on a cluster.
 */
class ClusterJarITCase {

    private static final Path JOB_JAR = Path.of("target/journeys-0.1.0-SNAPSHOT-job.jar");

    /**
     * Classes referred to by reachable code but absent on purpose, with the reason; nothing else may be
     * missing. Each is a package prefix of internal names.
     */
    private static final Map<String, String> ABSENT_ON_PURPOSE = Map.of(
            "com/google/auto/value/", "CEL's AutoValue annotations: read by the compiler, not needed to run",
            "org/apache/flink/table/", "Flink's Table API: in a stock distribution's lib/ (flink-table-api-java-uber); "
                    + "reached only through the table factories of the Kafka connector and flink-avro, which the job "
                    + "never uses",
            "org/joda/time/", "flink-avro's optional Joda-Time conversions, for schemas with Joda types; the job's "
                    + "schemas have none");

    /**
     * Prefixes of entry names that only the benchmarks use (src/bench, a source set of their own): their classes,
     * what JMH generates from them, JMH itself, their percentiles and their paced sources.
     */
    private static final List<String> BENCHMARK_CODE = List.of("io/journeys/bench/", "META-INF/BenchmarkList",
            "org/openjdk/jmh/", "org/HdrHistogram/", "org/apache/flink/connector/datagen/");

    private static Map<String, JarEntry> jarClasses;
    private static Set<String> distributionClasses;
    private static Set<String> jdkPackages;

    @BeforeAll
    static void readJarAndDistribution() throws IOException {
        try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
            jarClasses = jar.stream().filter(e -> e.getName().endsWith(".class"))
                    .collect(Collectors.toMap(e -> e.getName().substring(0, e.getName().length() - 6), e -> e,
                            (a, b) -> a));
        }
        distributionClasses = new HashSet<>();
        for (String entry : FlinkSessionCluster.distribution()) {
            if (entry.endsWith(".jar")) {
                try (JarFile jar = new JarFile(entry)) {
                    jar.stream().map(JarEntry::getName).filter(name -> name.endsWith(".class"))
                            .forEach(name -> distributionClasses.add(name.substring(0, name.length() - 6)));
                }
            }
        }
        jdkPackages = ModuleLayer.boot().modules().stream().flatMap(m -> m.getPackages().stream())
                .map(p -> p.replace('.', '/')).collect(Collectors.toSet());
    }

    @Test
    void shouldHoldEveryClassTheJobCanReachThatFlinkDoesNotProvide() throws IOException {
        Map<String, Set<String>> missing = new TreeMap<>();
        try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
            Deque<String> toVisit = new ArrayDeque<>(roots(jar));
            Set<String> visited = new HashSet<>(toVisit);
            while (!toVisit.isEmpty()) {
                String type = toVisit.pop();
                byte[] bytes;
                try (InputStream in = jar.getInputStream(jarClasses.get(type))) {
                    bytes = in.readAllBytes();
                }
                for (String reference : ClassReferences.of(bytes)) {
                    if (jarClasses.containsKey(reference)) {
                        if (visited.add(reference)) {
                            toVisit.push(reference);
                        }
                    } else if (!provided(reference) && !absentOnPurpose(reference)) {
                        missing.computeIfAbsent(reference, r -> new TreeSet<>()).add(type);
                    }
                }
            }
            assertThat(missing).as("classes the job can reach that neither its jar nor Flink's distribution holds "
                    + "(class -> classes that refer to it)").isEmpty();
            // the walk itself reaches what the job uses on a TaskManager: it is not vacuous
            assertThat(visited.size()).as("classes reached from the job's main class").isGreaterThan(5000);
            for (String used : List.of("io/journeys/engine/JourneyProcessor", "io/journeys/shaded/re2j/Pattern",
                    "org/apache/kafka/clients/producer/KafkaProducer", "org/apache/avro/specific/SpecificData")) {
                assertThat(visited.contains(used)).as("reached " + used).isTrue();
            }
        }
    }

    @Test
    void shouldNotCarryWhatTheFlinkDistributionAlreadyHas() {
        // a class in both is loaded from the distribution (org.apache.flink is parent-first) or clashes with it;
        // the copies of multi-release jars under META-INF/versions are left alone by relocation in both
        Set<String> duplicated = jarClasses.keySet().stream().filter(distributionClasses::contains)
                .filter(name -> !name.startsWith("META-INF/versions/"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(duplicated).as("classes in both the job jar and Flink's distribution").isEmpty();
    }

    @Test
    void shouldHoldNoBenchmarkCode() throws IOException {
        List<String> benchmarkEntries;
        try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
            benchmarkEntries = jar.stream().map(JarEntry::getName)
                    .filter(name -> BENCHMARK_CODE.stream().anyMatch(name::startsWith)).toList();
        }
        assertThat(benchmarkEntries).as("entries of the benchmarks in the cluster jar").isEmpty();
        // not vacuous: this is the jar of the job's own classes
        assertThat(jarClasses).containsKeys("io/journeys/cli/Main", "io/journeys/job/KafkaJob");
    }

    @Test
    void shouldHoldNotTheDesignersPage() throws IOException {
        List<String> pageEntries;
        try (JarFile jar = new JarFile(JOB_JAR.toFile())) {
            pageEntries = jar.stream().map(JarEntry::getName).filter(name -> name.startsWith("designer/")).toList();
        }
        assertThat(pageEntries).as("files of the designer's page in the cluster jar").isEmpty();
        // not vacuous: the build put the page among the launcher's classes
        assertThat(Path.of("target/classes/designer/index.html")).isRegularFile();
        assertThat(Path.of("target/classes/designer/designer.js")).isRegularFile();
    }

    /**
     * The main class and the command it runs (picocli finds it through an annotation, which the walk does not
     * follow), and every class the jar registers as a service (ServiceLoader finds them by name).
     */
    private static Set<String> roots(JarFile jar) throws IOException {
        Set<String> roots = new TreeSet<>();
        roots.add(jar.getManifest().getMainAttributes().getValue("Main-Class").replace('.', '/'));
        roots.add("io/journeys/cli/JobCommand");
        for (JarEntry entry : jar.stream().filter(e -> e.getName().startsWith("META-INF/services/")
                && !e.isDirectory()).toList()) {
            String text;
            try (InputStream in = jar.getInputStream(entry)) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            text.lines().map(line -> line.replaceAll("#.*", "").trim()).filter(line -> !line.isEmpty())
                    .map(line -> line.replace('.', '/')).filter(jarClasses::containsKey).forEach(roots::add);
        }
        return roots;
    }

    private static boolean provided(String type) {
        int slash = type.lastIndexOf('/');
        return distributionClasses.contains(type) || (slash > 0 && jdkPackages.contains(type.substring(0, slash)));
    }

    private static boolean absentOnPurpose(String type) {
        return ABSENT_ON_PURPOSE.keySet().stream().anyMatch(type::startsWith);
    }
}
