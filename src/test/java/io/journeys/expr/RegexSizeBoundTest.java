package io.journeys.expr;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bound must never be below the size re2j compiles a pattern to (else a pattern could be compiled that exhausts
 * the heap), and for ordinary patterns not far above it (else a usable pattern would be refused).
 */
class RegexSizeBoundTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a", "abc", "a|b|c", "(ab|cd){2,4}", "a{2,5}", "a{3,}", "x{0}", "a{0,0}", "a{1000}",
        "(a{10}){10}", "((a{10}){10}){10}", "(?:a?){400}a{400}", "[a-z]{1,499}x", "(a|aa){1,300}x",
        "(?P<n>a){3}", "(?i)abc", "(?i:abc){3}", "[]a]{3}", "[^]a]", "[[:alpha:]]{3}", "[\\d\\s]{5}", "\\pL{3}",
        "\\p{Greek}{2}", "\\x{41}{2}", "\\Qa{1000}\\E", "\\Qab{3}", "a{,5}", "a{5", "\\b{2}", "^$", "a*?", "(?:)",
        "()", "(a)(b)(c)", "(?s).{3}", "^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$", "^\\+?[0-9]{7,15}$",
        "^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$", "(((((a)))))", "(a(b(c(d){2}){2}){2}){2}", "[(]{3}a", "\\({3}"})
    void shouldNeverBeBelowTheCompiledSize(String pattern) {
        int actual = Pattern.compile(pattern).programSize();

        assertThat(RegexSizeBound.of(pattern)).as("bound of %s (compiles to %d)", pattern, actual)
                .isGreaterThanOrEqualTo(actual)
                .isLessThanOrEqualTo(3L * actual + 10);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"((a{1000}){1000}){1000}", "(a{1000}){1000}", "((((a{999}){999}){999}){999}){999}"})
    void shouldBoundAnExplosivePatternWithoutCompilingIt(String pattern) {
        assertThat(RegexSizeBound.of(pattern)).isGreaterThan(1_000_000L);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"(a{1000}", "[a{1000}", "a{1000})){1000}", "a{1000}\\"})
    void shouldFallBackOnTheCrudeBoundForWhatItCannotRead(String pattern) {
        assertThat(RegexSizeBound.of(pattern)).isGreaterThanOrEqualTo(pattern.length() * 1000L);
    }

    @ParameterizedTest(name = "depth {0}")
    @ValueSource(ints = {51, 1500})
    void shouldBeUnboundedForGroupsNestedDeeperThanTheLimitReadOrNot(int depth) {
        assertThat(RegexSizeBound.of("(".repeat(depth) + "a" + ")".repeat(depth))).isEqualTo(RegexSizeBound.UNBOUNDED);
        assertThat(RegexSizeBound.of("(".repeat(depth) + "[a")).isEqualTo(RegexSizeBound.UNBOUNDED);
    }
}
