package io.journeys.expr;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelStandardFunctions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The journey expression language: CEL with the variables and calendar functions of DESIGN §5, within the
 * {@link ExpressionLimits}.
 *
 * <pre>{@code
 * CompiledExpression when = Expressions.compile("profile.loginCount > 0", ExpressionType.BOOL);
 * boolean loggedIn = when.evaluateBoolean(Variables.inZone(zone).profile(attributes).now(now)).orThrow();
 * }</pre>
 */
public final class Expressions {

    public static final String EVENT = "event";
    public static final String EVENT_TYPE = "eventType";
    public static final String EVENT_TIME = "eventTime";
    public static final String PROFILE = "profile";
    public static final String JOURNEY = "journey";
    public static final String NOW = "now";
    public static final String AUDIENCE = "audience";

    private Expressions() {}

    /** Built once per JVM: the environment is immutable and thread-safe. */
    private static final class Holder {
        static final Cel CEL = build();
    }

    private static Cel build() {
        CelType object = MapType.create(SimpleType.STRING, SimpleType.DYN);
        return CelFactory.plannerCelBuilder()
                .setOptions(CelOptions.current()
                        .enableHeterogeneousNumericComparisons(true)
                        .enableTimestampEpoch(true)
                        .maxExpressionCodePointSize(ExpressionLimits.MAX_LENGTH)
                        .maxParseRecursionDepth(ExpressionLimits.MAX_NESTING)
                        .comprehensionMaxIterations(ExpressionLimits.MAX_ITERATIONS)
                        // unused while BoundedRegex replaces matches; kept in case the standard one comes back
                        .maxRegexProgramSize(ExpressionLimits.MAX_REGEX_PROGRAM_SIZE)
                        .build())
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                // matches is declared as usual but bound per evaluation, within the regular-expression limits
                .setStandardFunctions(CelStandardFunctions.newBuilder()
                        .excludeFunctions(CelStandardFunctions.StandardFunction.MATCHES)
                        .build())
                .addVar(EVENT, object)
                .addVar(EVENT_TYPE, SimpleType.STRING)
                .addVar(EVENT_TIME, SimpleType.TIMESTAMP)
                .addVar(PROFILE, object)
                .addVar(JOURNEY, object)
                .addVar(NOW, SimpleType.TIMESTAMP)
                .addVar(AUDIENCE, object)
                .addFunctionDeclarations(CalendarFunctions.declarations())
                .addLateBoundFunctions(CalendarFunctions.NAMES)
                .addLateBoundFunctions(BoundedRegex.FUNCTION)
                .build();
    }

    /** Every reason {@code source} cannot be used as an expression of {@code type}: empty when it can. */
    public static List<ExpressionProblem> check(String source, ExpressionType type) {
        return compilation(source, type).problems();
    }

    /**
     * Compiles an expression already checked (a journey that passed validation); throws if it has problems, a broken
     * invariant. It takes the same path as {@link #check}, so whatever check accepts compiles.
     */
    public static CompiledExpression compile(String source, ExpressionType type) {
        Compilation compilation = compilation(source, type);
        if (!compilation.problems().isEmpty()) {
            throw new IllegalArgumentException("Expected a valid expression, but \"" + source + "\": "
                    + compilation.problems().stream().map(ExpressionProblem::message).toList());
        }
        return compilation.expression();
    }

    /** The compiled expression, or what keeps it from being one. */
    private record Compilation(CompiledExpression expression, List<ExpressionProblem> problems) {}

    /** The one path from source to program, from the cheapest check to the dearest; stops where the next needs more. */
    private static Compilation compilation(String source, ExpressionType type) {
        int length = source.codePointCount(0, source.length());
        if (length > ExpressionLimits.MAX_LENGTH) {
            return refused(ExpressionProblem.overLimit("Expected an expression of at most "
                    + ExpressionLimits.MAX_LENGTH + " characters, but it has " + length));
        }
        CelValidationResult result = Holder.CEL.compile(source);
        if (result.hasError()) {
            return refused(parseProblem(result));
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (CelValidationException e) {
            return refused(ExpressionProblem.invalid(e.getMessage()));
        }
        List<ExpressionProblem> problems = new ArrayList<>();
        typeMismatch(ast, type).map(ExpressionProblem::invalid).ifPresent(problems::add);
        problems.addAll(StaticBounds.of(ast));
        if (!problems.isEmpty()) {
            return new Compilation(null, List.copyOf(problems));
        }
        try {
            return new Compilation(new CompiledExpression(source, Holder.CEL.createProgram(ast),
                    readsProfileHistory(ast), callsMatches(ast)), List.of());
        } catch (CelEvaluationException e) { // e.g. a type name CEL checks but cannot plan ("dyn")
            return refused(ExpressionProblem.invalid(e.getMessage()));
        }
    }

    private static Compilation refused(ExpressionProblem problem) {
        return new Compilation(null, List.of(problem));
    }

    /**
     * CEL reports nesting beyond its recursion limit as a parse error; it is a limit, not a mistake, and the other
     * errors it comes with are only its consequences.
     */
    private static ExpressionProblem parseProblem(CelValidationResult result) {
        boolean tooDeep = result.getErrors().stream()
                .anyMatch(issue -> issue.getMessage().startsWith(CEL_RECURSION_LIMIT));
        if (tooDeep) {
            return ExpressionProblem.overLimit("Expected an expression nested at most " + ExpressionLimits.MAX_NESTING
                    + " levels deep (parentheses, calls, lists, each operator of a chain), but it is nested deeper");
        }
        return ExpressionProblem.invalid(result.getErrorString());
    }

    /** How cel-java's parser begins the error of {@code maxParseRecursionDepth}; ExpressionsTest pins it. */
    private static final String CEL_RECURSION_LIMIT = "Expression recursion limit exceeded";

    private static Optional<String> typeMismatch(CelAbstractSyntaxTree ast, ExpressionType expected) {
        CelType actual = ast.getResultType();
        if (expected == ExpressionType.ANY || actual.kind() == CelKind.DYN) {
            return Optional.empty(); // a dyn result is checked when evaluated
        }
        CelKind wanted = expected == ExpressionType.BOOL ? CelKind.BOOL : CelKind.TIMESTAMP;
        if (actual.kind() == wanted) {
            return Optional.empty();
        }
        return Optional.of("Expected an expression returning " + expected.description() + ", but it returns "
                + actual.name());
    }

    /** Whether the expression calls matches, whose bindings carry the regular-expression work of one evaluation. */
    private static boolean callsMatches(CelAbstractSyntaxTree ast) {
        return ast.getReferenceMap().values().stream()
                .flatMap(reference -> reference.overloadIds().stream())
                .anyMatch(BoundedRegex::isOverload);
    }

    /** Whether the expression calls countEvents or inAudience, whose bindings depend on the profile. */
    private static boolean readsProfileHistory(CelAbstractSyntaxTree ast) {
        return ast.getReferenceMap().values().stream()
                .flatMap(reference -> reference.overloadIds().stream())
                .anyMatch(id -> id.startsWith(CalendarFunctions.COUNT_EVENTS + "_")
                        || id.startsWith(CalendarFunctions.IN_AUDIENCE + "_"));
    }
}
