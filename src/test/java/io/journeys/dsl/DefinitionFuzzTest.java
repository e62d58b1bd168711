package io.journeys.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.testing.DefinitionGenerators;
import io.journeys.testing.Fuzz;
import io.journeys.testing.Mutations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the validator of every definition kind (journeys, actions, rule sets): valid documents by grammar and
 * the ready-to-run ones of jobs/, documents with one known fault, and random mutations of both. Nothing may throw;
 * a document is valid with no problem or invalid with problems whose codes README.md documents; a valid one
 * stays valid; a faulty one gets the code of its fault.
 */
class DefinitionFuzzTest {

    private static final int CASES = 12_000;
    // fewer journeys than the rest: their expressions make them the slowest to validate (a CEL check takes ~0.5 ms)
    private static final int JOURNEY_CASES = 10_000;

    @Test
    void shouldValidateEveryJourneyOrNameItsProblems() throws IOException {
        List<String> examples = examples(DefinitionKind.JOURNEY);
        Fuzz.Tally tally = Fuzz.run("journeys", JOURNEY_CASES, (random, t) -> check(random, t, DefinitionKind.JOURNEY,
                DefinitionGenerators::journey, DefinitionGenerators::faultyJourney, examples));
        assertThat(tally.validCount()).isGreaterThan(JOURNEY_CASES / 5);
        assertThat(tally.badCount()).isGreaterThan(JOURNEY_CASES / 3);
    }

    @Test
    void shouldValidateEveryActionDefinitionOrNameItsProblems() throws IOException {
        List<String> examples = examples(DefinitionKind.ACTION);
        Fuzz.Tally tally = Fuzz.run("actions", CASES, (random, t) -> check(random, t, DefinitionKind.ACTION,
                DefinitionGenerators::action, DefinitionGenerators::faultyAction, examples));
        assertThat(tally.validCount()).isGreaterThan(CASES / 5);
        assertThat(tally.badCount()).isGreaterThan(CASES / 3);
    }

    @Test
    void shouldValidateEveryRuleSetOrNameItsProblems() throws IOException {
        List<String> examples = examples(DefinitionKind.RULES);
        Fuzz.Tally tally = Fuzz.run("rules", CASES, (random, t) -> check(random, t, DefinitionKind.RULES,
                DefinitionGenerators::rules, DefinitionGenerators::faultyRules, examples));
        assertThat(tally.validCount()).isGreaterThan(CASES / 5);
        assertThat(tally.badCount()).isGreaterThan(CASES / 3);
    }

    /** A valid document (3 in 10), one with a known fault (3 in 10), or a mutation of a valid one. */
    private static void check(Random random, Fuzz.Tally tally, DefinitionKind kind,
            Function<Random, ObjectNode> valid, Function<Random, DefinitionGenerators.Faulty> faulty,
            List<String> examples) {
        int choice = random.nextInt(10);
        if (choice < 3) {
            String document = random.nextInt(10) == 0 ? Mutations.pick(random, examples) : valid.apply(random).toString();
            DefinitionParser.Definition definition = parse(document);
            assertThat(definition.problems()).as("problems of a valid %s", document).isEmpty();
            assertThat(definition.kind()).isEqualTo(kind);
            tally.valid();
        } else if (choice < 6) {
            DefinitionGenerators.Faulty fault = faulty.apply(random);
            DefinitionParser.Definition definition = parse(fault.document());
            assertThat(definition.valid()).as("valid? %s", fault.document()).isFalse();
            assertThat(definition.problems()).as("problems of %s", fault.document())
                    .extracting(problem -> problem.code().code()).contains(fault.code());
            tally.bad(fault.code());
        } else {
            String seed = random.nextInt(4) == 0 ? Mutations.pick(random, examples) : valid.apply(random).toString();
            String document = random.nextInt(20) == 0 ? new String(Mutations.garbage(random, 300),
                    java.nio.charset.StandardCharsets.ISO_8859_1) : Mutations.mutateJson(seed, random);
            DefinitionParser.Definition definition = parse(document);
            if (definition.valid()) {
                tally.valid();
            } else {
                tally.bad(definition.problems().get(0).code().code());
            }
        }
    }

    /** Parses; checks that valid means no problem, that problems name their place and documented codes. */
    private static DefinitionParser.Definition parse(String document) {
        DefinitionParser.Definition definition = DefinitionParser.parse(document);
        assertThat(definition.valid()).as("valid exactly when no problem").isEqualTo(definition.problems().isEmpty());
        for (Problem problem : definition.problems()) {
            Fuzz.assertDocumented(problem.code().code(), document);
            assertThat(problem.pointer()).as("pointer of %s", problem).isNotNull();
            assertThat(problem.message()).as("message of %s", problem).isNotBlank();
        }
        if (definition.valid()) {
            assertThat(definition.describe()).isNotBlank();
        }
        return definition;
    }

    /** The ready-to-run definitions of jobs/ of one kind. */
    private static List<String> examples(DefinitionKind kind) throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("jobs"))) {
            List<String> documents = files.filter(f -> f.toString().endsWith(".json")).sorted().map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(text -> DefinitionKind.of(text) == kind && DefinitionParser.parse(text).valid()).toList();
            assertThat(documents).as("examples of kind %s", kind).isNotEmpty();
            return documents;
        }
    }
}
