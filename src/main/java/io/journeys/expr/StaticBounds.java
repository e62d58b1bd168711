package io.journeys.expr;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@link ExpressionLimits} an expression visibly exceeds before it ever runs: a literal pattern of
 * {@code matches} that is invalid or too large, and comprehensions over literal lists that could iterate more than
 * {@link ExpressionLimits#MAX_ITERATIONS} times. Refusing these when the journey is validated keeps an author from
 * publishing a journey that would only fail, or hold a task thread, on its first profile.
 */
final class StaticBounds {

    private StaticBounds() {}

    static List<ExpressionProblem> of(CelAbstractSyntaxTree ast) {
        List<ExpressionProblem> problems = new ArrayList<>();
        literalPatterns(ast.getExpr()).forEach(pattern -> BoundedRegex.check(pattern).ifPresent(problems::add));
        long iterations = worstIterations(ast.getExpr());
        if (iterations > ExpressionLimits.MAX_ITERATIONS) {
            problems.add(ExpressionProblem.overLimit("Expected at most " + ExpressionLimits.MAX_ITERATIONS
                    + " comprehension iterations in one evaluation, but its comprehensions over literal lists could take "
                    + iterations));
        }
        return problems;
    }

    /**
     * The most iterations an evaluation can take, as CEL counts them (every element visited by every comprehension,
     * nested ones once per outer element). The size of a literal list or map is known; a range from data counts as one
     * element, so that only what is certain from the text refuses a journey. Short-circuits are ignored: the bound
     * is the worst case.
     */
    static long worstIterations(CelExpr expr) {
        if (expr.getKind() != CelExpr.ExprKind.Kind.COMPREHENSION) {
            return children(expr).mapToLong(StaticBounds::worstIterations).reduce(0, StaticBounds::plus);
        }
        CelExpr.CelComprehension loop = expr.comprehension();
        long perElement = plus(1, plus(worstIterations(loop.loopCondition()), worstIterations(loop.loopStep())));
        long around = plus(worstIterations(loop.iterRange()),
                plus(worstIterations(loop.accuInit()), worstIterations(loop.result())));
        return plus(around, times(literalSize(loop.iterRange()), perElement));
    }

    private static long literalSize(CelExpr range) {
        return switch (range.getKind()) {
            case LIST -> range.list().elements().size();
            case MAP -> range.map().entries().size();
            default -> 1;
        };
    }

    /** Patterns given as string literals to {@code matches}, in both its forms: {@code s.matches(re)} and {@code matches(s, re)}. */
    private static Stream<String> literalPatterns(CelExpr expr) {
        Stream<String> own = Stream.empty();
        if (expr.getKind() == CelExpr.ExprKind.Kind.CALL && expr.call().function().equals(BoundedRegex.FUNCTION)) {
            List<CelExpr> args = expr.call().args();
            CelExpr pattern = args.isEmpty() ? null : args.get(args.size() - 1);
            if (pattern != null && pattern.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                    && pattern.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
                own = Stream.of(pattern.constant().stringValue());
            }
        }
        return Stream.concat(own, children(expr).flatMap(StaticBounds::literalPatterns));
    }

    private static Stream<CelExpr> children(CelExpr expr) {
        return switch (expr.getKind()) {
            case SELECT -> Stream.of(expr.select().operand());
            case CALL -> Stream.concat(expr.call().target().stream(), expr.call().args().stream());
            case LIST -> expr.list().elements().stream();
            case MAP -> expr.map().entries().stream().flatMap(e -> Stream.of(e.key(), e.value()));
            case STRUCT -> expr.struct().entries().stream().map(CelExpr.CelStruct.Entry::value);
            case COMPREHENSION -> Stream.of(expr.comprehension().iterRange(), expr.comprehension().accuInit(),
                    expr.comprehension().loopCondition(), expr.comprehension().loopStep(),
                    expr.comprehension().result());
            default -> Stream.empty();
        };
    }

    private static long plus(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }

    private static long times(long a, long b) {
        return b != 0 && a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
