package io.journeys.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The answer written by hand is the JSON a tree writes, whatever the arm's id holds. */
class ExperimentAnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldWriteWhatATreeWrites() {
        for (String arm : new String[] {"a", "offer-b", "quote\"d", "back\\slash", "line\nbreak", "é\u0001"}) {
            for (boolean byWinner : new boolean[] {true, false}) {
                String tree = JSON.createObjectNode().put("status", "assigned").put("arm", arm).put("winner", byWinner)
                        .toString();
                assertThat(ExperimentAnswers.of(arm, byWinner)).isEqualTo(tree);
            }
        }
    }
}
