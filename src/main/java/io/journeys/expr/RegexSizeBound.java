package io.journeys.expr;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An upper bound of the size of the program re2j compiles a regular expression to, read from the pattern's text
 * without compiling it. It is needed because compiling is where the cost is: re2j expands a counted repetition
 * {@code x{n,m}} into m copies of x, so the 23 characters {@code ((a{1000}){1000}){1000}} ask for a billion
 * instructions and exhaust the heap before any size check can run; and it compiles nested groups recursively, so a
 * few thousand of them overflow the stack.
 *
 * <p>The bound follows re2j's compiler: at most one instruction per literal character, class, escape, anchor,
 * alternation and quantifier, two per group and two for the program; a repeated item counts its largest count times
 * (its size plus one). Groups nested deeper than {@link ExpressionLimits#MAX_NESTING} make it {@link #UNBOUNDED}. A
 * pattern this reader cannot follow (an unclosed group or class, which re2j refuses too) gets a cruder bound that
 * ignores structure: its length times the product of every repetition count in it.
 */
final class RegexSizeBound {

    static final long UNBOUNDED = Long.MAX_VALUE;

    private static final Pattern ANY_REPETITION = Pattern.compile("\\{(\\d+)(?:,(\\d*))?}");

    private final String pattern;
    private int at;
    private int depth;
    private boolean lost;

    private RegexSizeBound(String pattern) {
        this.pattern = pattern;
    }

    static long of(String pattern) {
        RegexSizeBound reader = new RegexSizeBound(pattern);
        long size = reader.alternation();
        if (reader.lost || reader.at < pattern.length()) { // an unbalanced ')' stops the reader early
            return size == UNBOUNDED ? UNBOUNDED : crude(pattern);
        }
        return plus(size, 2);
    }

    private long alternation() {
        long size = concatenation();
        while (!lost && peek() == '|') {
            at++;
            size = plus(size, plus(concatenation(), 1));
        }
        return size;
    }

    private long concatenation() {
        long size = 0;
        while (!lost && at < pattern.length() && peek() != '|' && peek() != ')') {
            size = plus(size, quantified());
        }
        return Math.max(size, 1); // an empty one compiles to a no-op
    }

    private long quantified() {
        long size = atom();
        while (!lost && at < pattern.length()) {
            char c = peek();
            if (c == '*' || c == '+' || c == '?') {
                at++;
                size = plus(size, 1);
            } else if (c == '{' && repetitionAt(at) >= 0) {
                long count = Math.max(1, repetitionAt(at));
                at = pattern.indexOf('}', at) + 1;
                size = times(count, plus(size, 1));
            } else {
                break;
            }
            if (peek() == '?') { // non-greedy: no instruction of its own
                at++;
            }
        }
        return size;
    }

    private long atom() {
        char c = peek();
        if (c == '(') {
            return group();
        }
        if (c == '[') {
            skipClass();
            return 1;
        }
        if (c == '\\') {
            return escape();
        }
        at += Character.charCount(pattern.codePointAt(at));
        return 1;
    }

    private long group() {
        if (++depth > ExpressionLimits.MAX_NESTING) {
            lost = true;
            return UNBOUNDED;
        }
        at++;
        if (peek() == '?') { // (?i) (?i:...) (?P<name>...) (?<name>...): the header emits nothing
            while (at < pattern.length() && peek() != ':' && peek() != ')' && peek() != '>') {
                at++;
            }
            if (peek() == ')') {
                at++;
                depth--;
                return 2;
            }
            at++;
        }
        long size = alternation();
        if (peek() != ')') {
            lost = true;
            return size;
        }
        at++;
        depth--;
        return plus(size, 2);
    }

    /** A class is one instruction whatever it holds; only where it ends matters. */
    private void skipClass() {
        at++;
        if (peek() == '^') {
            at++;
        }
        if (peek() == ']') { // a ']' first is a literal
            at++;
        }
        while (at < pattern.length() && peek() != ']') {
            if (peek() == '\\') {
                skipEscapeBody();
            } else if (pattern.startsWith("[:", at) && pattern.indexOf(":]", at + 2) > 0) {
                at = pattern.indexOf(":]", at + 2) + 2;
            } else {
                at++;
            }
        }
        if (at >= pattern.length()) {
            lost = true;
            return;
        }
        at++;
    }

    private long escape() {
        if (pattern.startsWith("\\Q", at)) { // quoted text: one instruction per character up to \E
            int end = pattern.indexOf("\\E", at + 2);
            int stop = end < 0 ? pattern.length() : end;
            long size = Math.max(1, stop - at - 2);
            at = end < 0 ? stop : end + 2;
            return size;
        }
        skipEscapeBody();
        return 1;
    }

    /** Skips a backslash and what it escapes: one character, or a braced name or code ({@code \p{Greek}}). */
    private void skipEscapeBody() {
        at++;
        if (at >= pattern.length()) {
            lost = true;
            return;
        }
        char c = peek();
        at++;
        if ((c == 'p' || c == 'P' || c == 'x') && peek() == '{') {
            int close = pattern.indexOf('}', at);
            if (close < 0) {
                lost = true;
                return;
            }
            at = close + 1;
        }
    }

    /** The largest count of a repetition {n}, {n,} or {n,m} starting at {@code from}, or -1 when it is a literal '{'. */
    private long repetitionAt(int from) {
        Matcher repetition = ANY_REPETITION.matcher(pattern).region(from, pattern.length());
        if (!repetition.lookingAt()) {
            return -1;
        }
        long least = count(repetition.group(1));
        String most = repetition.group(2);
        return most == null || most.isEmpty() ? least : Math.max(least, count(most));
    }

    private static long crude(String pattern) {
        if (deepestParenthesis(pattern) > ExpressionLimits.MAX_NESTING) {
            return UNBOUNDED;
        }
        long size = plus(pattern.length(), 2);
        Matcher repetition = ANY_REPETITION.matcher(pattern);
        while (repetition.find()) {
            String most = repetition.group(2);
            long count = most == null || most.isEmpty() ? count(repetition.group(1))
                    : Math.max(count(repetition.group(1)), count(most));
            size = times(Math.max(1, count), size);
        }
        return size;
    }

    /** How deep parentheses nest, counting every one not escaped (also those in classes: too deep is safe). */
    private static int deepestParenthesis(String pattern) {
        int depth = 0;
        int deepest = 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                deepest = Math.max(deepest, ++depth);
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            }
        }
        return deepest;
    }

    /** A repetition count; re2j refuses any above 1,000, so a longer number only needs to be large. */
    private static long count(String digits) {
        return digits.length() > 9 ? 1_000_000_000L : Long.parseLong(digits);
    }

    private char peek() {
        return at < pattern.length() ? pattern.charAt(at) : '\0';
    }

    private static long plus(long a, long b) {
        return a > UNBOUNDED - b ? UNBOUNDED : a + b;
    }

    private static long times(long a, long b) {
        return b != 0 && a > UNBOUNDED / b ? UNBOUNDED : a * b;
    }
}
