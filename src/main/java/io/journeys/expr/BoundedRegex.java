package io.journeys.expr;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import java.util.List;
import java.util.Optional;

/**
 * CEL's {@code matches} within the {@link ExpressionLimits}: a pattern is compiled only once its size is known to be
 * bounded, its program may have at most {@link ExpressionLimits#MAX_REGEX_PROGRAM_SIZE} instructions, and the matching
 * of one evaluation at most {@link ExpressionLimits#MAX_REGEX_WORK} units of text length times program size. It
 * replaces cel-java's own, which compiles first and checks the size after, and bounds neither the text nor the number
 * of calls.
 */
final class BoundedRegex {

    /** The overloads of the standard declaration, {@code matches(s, re)} and {@code s.matches(re)}. */
    static final String FUNCTION = "matches";
    private static final String GLOBAL_OVERLOAD = "matches";
    private static final String MEMBER_OVERLOAD = "matches_string";

    /**
     * Patterns whose size bound stays under this are compiled to learn their exact size: the bound can be twice too
     * large for a repeated item, and compiling ten times the limit costs a few milliseconds at most.
     */
    private static final long COMPILE_CEILING = 10L * ExpressionLimits.MAX_REGEX_PROGRAM_SIZE;

    private BoundedRegex() {}

    /** Why a pattern is refused; the cause of the CEL exception when it is a limit, so that it maps to EXP-003. */
    static final class Refused extends Exception {

        private final ExpressionProblem problem;

        private Refused(ExpressionProblem problem) {
            super(problem.message(), null, false, false);
            this.problem = problem;
        }

        ExpressionProblem problem() {
            return problem;
        }

        boolean overLimit() {
            return problem.kind() == ExpressionProblem.Kind.OVER_LIMIT;
        }
    }

    /** Whether a CEL exception's cause says the evaluation was stopped by a limit of regular expressions. */
    static boolean stoppedByLimit(Throwable cause) {
        return cause instanceof Refused refused && refused.overLimit() || cause instanceof WorkExceeded;
    }

    /** Why a literal pattern cannot be used, or empty when it can. */
    static Optional<ExpressionProblem> check(String pattern) {
        try {
            compile(pattern);
            return Optional.empty();
        } catch (Refused refused) {
            return Optional.of(refused.problem());
        }
    }

    static Pattern compile(String pattern) throws Refused {
        long bound = RegexSizeBound.of(pattern);
        if (bound > COMPILE_CEILING) {
            throw new Refused(ExpressionProblem.overLimit("Expected a regular expression of at most "
                    + ExpressionLimits.MAX_REGEX_PROGRAM_SIZE + " instructions, but " + quote(pattern)
                    + (bound == RegexSizeBound.UNBOUNDED ? " nests groups deeper than " + ExpressionLimits.MAX_NESTING
                            : " could need up to " + bound)));
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new Refused(ExpressionProblem.invalid("Expected a valid regular expression, but " + quote(pattern)
                    + ": " + e.getMessage()));
        }
        if (compiled.programSize() > ExpressionLimits.MAX_REGEX_PROGRAM_SIZE) {
            throw new Refused(ExpressionProblem.overLimit("Expected a regular expression of at most "
                    + ExpressionLimits.MAX_REGEX_PROGRAM_SIZE + " instructions, but " + quote(pattern) + " has "
                    + compiled.programSize()));
        }
        return compiled;
    }

    /** The bindings of {@code matches} for one evaluation, sharing its budget of work. */
    static List<CelFunctionBinding> bindings() {
        Work work = new Work();
        return List.of(CelFunctionBinding.from(GLOBAL_OVERLOAD, String.class, String.class, work::matches),
                CelFunctionBinding.from(MEMBER_OVERLOAD, String.class, String.class, work::matches));
    }

    static boolean isOverload(String overloadId) {
        return overloadId.equals(GLOBAL_OVERLOAD) || overloadId.equals(MEMBER_OVERLOAD);
    }

    /** The regular-expression work one evaluation has done so far. */
    private static final class Work {

        private long spent;

        boolean matches(String text, String pattern) throws CelEvaluationException {
            Pattern compiled;
            try {
                compiled = compile(pattern);
            } catch (Refused refused) {
                throw new CelEvaluationException(refused.getMessage(), refused);
            }
            // matching is linear in the text and in the program: charge the product before doing it
            spent += (long) text.length() * compiled.programSize();
            if (spent > ExpressionLimits.MAX_REGEX_WORK) {
                throw new CelEvaluationException("Expected regular-expression work of at most "
                        + ExpressionLimits.MAX_REGEX_WORK + " (text length times program size) in one evaluation, but "
                        + "matching " + quote(pattern) + " against " + text.length() + " characters brings it to "
                        + spent, new WorkExceeded());
            }
            return compiled.matcher(text).find(); // CEL's matches: the pattern may match any part of the text
        }
    }

    /** Marks an evaluation stopped by the work budget. */
    private static final class WorkExceeded extends Exception {
        WorkExceeded() {
            super("regular-expression work exceeded", null, false, false);
        }
    }

    private static String quote(String pattern) {
        return "\"" + (pattern.length() > 60 ? pattern.substring(0, 60) + "..." : pattern) + "\"";
    }
}
