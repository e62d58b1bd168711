package io.journeys.cli;

import io.journeys.dsl.IsoDurations;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a command-line duration: a whole number of seconds ({@code 45}), a whole number with a unit
 * ({@code 500ms}, {@code 45s}, {@code 2m}, {@code 1h}), or ISO-8601 as in journeys ({@code PT45S}, {@code P1D}).
 * Every option that takes a duration uses it, so that they all read the same way.
 *
 * <pre>{@code
 * @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class)
 * Duration duration;
 * }</pre>
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    /** What the options accept, for their help texts. */
    public static final String FORMS = "seconds (45), with a unit (500ms, 45s, 2m, 1h) or ISO-8601 (PT45S)";

    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("(\\d{1,18})(ms|s|m|h)?");

    @Override
    public Duration convert(String value) {
        String text = value == null ? "" : value.strip();
        Duration duration = parse(text).orElseThrow(() -> new TypeConversionException(
                "Expected " + FORMS + ", but found \"" + text + "\""));
        if (duration.isNegative() || duration.isZero()) {
            throw new TypeConversionException("Expected a positive duration, but found \"" + text + "\"");
        }
        return duration;
    }

    private static Optional<Duration> parse(String text) {
        Matcher matcher = NUMBER_AND_UNIT.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            String unit = matcher.group(2) == null ? "s" : matcher.group(2); // a bare number is seconds
            try {
                return Optional.of(switch (unit) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofSeconds(amount);
                });
            } catch (ArithmeticException tooLong) {
                return Optional.empty();
            }
        }
        // ISO-8601 begins with P, or a sign; IsoDurations refuses months and years, whose length varies
        return IsoDurations.parse(text);
    }
}
