package io.journeys.expr;

/**
 * The guard rails of expressions: how large an expression may be and how much work one evaluation may do. cel-java
 * bounds neither comprehension iterations nor regular expressions by default, so without them one journey's
 * {@code [..].all(a, [..].all(b, ...))} or {@code matches()} could hold a task thread for minutes.
 *
 * <p>These are fixed, not job options: a journey that {@code validate} or {@code publish} accepted must load on every
 * job that reads the definitions topic (and after every restore), so its bounds cannot depend on a job's
 * configuration. Documented in the README (Configuration, "Fixed guard rails of expressions").
 */
public final class ExpressionLimits {

    private ExpressionLimits() {}

    /**
     * Characters (Unicode code points) of one expression. The longest expression of the shipped journeys is about 60
     * characters; 4,096 leaves room for a condition of dozens of clauses while keeping parsing and checking (linear in
     * the length) to milliseconds, once per journey load. CEL's own default is 100,000. Refused statically (JRN-031); the journey schema
     * carries it as {@code maxLength}.
     */
    public static final int MAX_LENGTH = 4_096;

    /**
     * Nesting depth, as CEL's parser counts it: each parenthesis, call, list, ternary and each operator of a chain like
     * {@code a + b + c} is one level ({@code &&} and {@code ||} chains are balanced and count little). 50 lets a param
     * join 50 pieces with {@code +} and is far from what overflows a task thread's stack in the parser, checker and
     * evaluator, which all recurse over the tree. CEL's default is 250. Refused statically (JRN-031).
     */
    public static final int MAX_NESTING = 50;

    /**
     * Comprehension iterations ({@code all}, {@code exists}, {@code exists_one}, {@code map}, {@code filter}) of one
     * evaluation, counted over every comprehension of the expression, nested ones included. Not 10,000: cel-java's
     * planner copies the accumulated list of {@code map} and {@code filter} at every step, so they are quadratic, and
     * 1,000 of their iterations already take about 100 ms (10,000 take about 10 s), while 1,000 of {@code all} or
     * {@code exists} take about a millisecond. A thousand still covers a cart, a list of tags or recent orders, or
     * two nested lists of 30. Refused statically when comprehensions over literal lists could iterate more
     * (JRN-031); stops an evaluation at run time (EXP-003).
     */
    public static final int MAX_ITERATIONS = 1_000;

    /**
     * Instructions of the compiled program of one regular expression ({@code matches}). Ordinary patterns are small (an
     * e-mail pattern is 13, an IBAN pattern 57, {@code [a-z]{1,100}} 201); nested counted repetitions multiply
     * ({@code ((a{1000}){1000}){1000}} would be a billion instructions and exhaust the heap while compiling, before
     * cel-java's own size check). A pattern whose size bound exceeds this is refused before it is compiled. Refused
     * statically for a literal pattern (JRN-031); stops an evaluation at run time for a pattern from data (EXP-003).
     */
    public static final int MAX_REGEX_PROGRAM_SIZE = 1_000;

    /**
     * Regular-expression work of one evaluation: the sum, over its {@code matches} calls, of the text's length times the
     * pattern's program size. RE2 matching is linear, but in both: a 1,000-instruction pattern over a 64 KB text takes
     * about two seconds. At roughly 30 ns a unit, 1,000,000 units is some 30 ms, and allows, say, a 100-instruction
     * pattern over a 10,000-character text. Stops an evaluation at run time (EXP-003).
     */
    public static final long MAX_REGEX_WORK = 1_000_000L;
}
