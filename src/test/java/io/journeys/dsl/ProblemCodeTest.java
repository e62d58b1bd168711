package io.journeys.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Validation codes are stable and documented: README's table of error codes lists each exactly once. */
class ProblemCodeTest {

    private static final Pattern VALIDATION_ROW = Pattern.compile("(?m)^\\| ((?:JRN|ACT)-\\d{3}) \\| (.+) \\|$");

    @Test
    void everyCodeIsWellFormedAndUsedOnce() {
        List<String> codes = Arrays.stream(ProblemCode.values()).map(ProblemCode::code).toList();

        assertThat(codes).doesNotHaveDuplicates().allMatch(code -> code.matches("(JRN|ACT)-\\d{3}"));
        assertThat(ProblemCode.values()).allSatisfy(code -> assertThat(code.meaning()).isNotBlank());
    }

    @Test
    void theReadmeDocumentsEveryCodeOnceAndNoOther() throws IOException {
        Matcher row = VALIDATION_ROW.matcher(Files.readString(Path.of("README.md")));
        List<String> documented = new ArrayList<>();
        while (row.find()) {
            documented.add(row.group(1));
        }

        assertThat(documented).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(ProblemCode.values()).map(ProblemCode::code).toList());
    }
}
