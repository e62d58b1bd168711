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
import java.util.Optional;

/**
 * The journey expression language: CEL with the variables and calendar functions of DESIGN §5.
 *
 * <pre>{@code
 * CompiledExpression when = Expressions.compile("profile.loginCount > 0", ExpressionType.BOOL);
 * boolean loggedIn = when.evaluateBoolean(Variables.inZone(zone).profile(attributes).now(now));
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
                        .build())
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addVar(EVENT, object)
                .addVar(EVENT_TYPE, SimpleType.STRING)
                .addVar(EVENT_TIME, SimpleType.TIMESTAMP)
                .addVar(PROFILE, object)
                .addVar(JOURNEY, object)
                .addVar(NOW, SimpleType.TIMESTAMP)
                .addVar(AUDIENCE, object)
                .addFunctionDeclarations(CalendarFunctions.declarations())
                .addLateBoundFunctions(CalendarFunctions.NAMES)
                .build();
    }

    /** Why {@code source} is not a valid expression of {@code type}, or empty when it is. */
    public static Optional<String> check(String source, ExpressionType type) {
        CelValidationResult result = Holder.CEL.compile(source);
        if (result.hasError()) {
            return Optional.of(result.getErrorString());
        }
        try {
            return typeMismatch(result.getAst(), type);
        } catch (CelValidationException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Compiles an expression already known to be valid; throws if it is not (a broken invariant). */
    public static CompiledExpression compile(String source, ExpressionType type) {
        CelValidationResult result = Holder.CEL.compile(source);
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            Optional<String> mismatch = typeMismatch(ast, type);
            if (mismatch.isPresent()) {
                throw new IllegalArgumentException(mismatch.get());
            }
            return new CompiledExpression(source, Holder.CEL.createProgram(ast), readsProfileHistory(ast));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException("Expected a valid expression, but \"" + source + "\": " + e.getMessage(), e);
        }
    }

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

    /** Whether the expression calls countEvents or inAudience, whose bindings depend on the profile. */
    private static boolean readsProfileHistory(CelAbstractSyntaxTree ast) {
        return ast.getReferenceMap().values().stream()
                .flatMap(reference -> reference.overloadIds().stream())
                .anyMatch(id -> id.startsWith(CalendarFunctions.COUNT_EVENTS + "_")
                        || id.startsWith(CalendarFunctions.IN_AUDIENCE + "_"));
    }
}
