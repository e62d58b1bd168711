package io.journeys.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads what quiet hours and window steps share: a weekly period ({@code days}, {@code from}, {@code to}) and the
 * zone it is read in ({@code timeZone}: "profile" or a zone id), recording problems in the document's list.
 */
final class PeriodReader {

    static final String DAYS = "days";
    static final String FROM = "from";
    static final String TO = "to";
    static final String TIME_ZONE = "timeZone";
    static final String CHANNELS = "channels";

    private static final Pattern CLOCK = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");

    private final DocumentReader reader;

    PeriodReader(DocumentReader reader) {
        this.reader = reader;
    }

    /** The period of {@code node}; null when a part of it has a problem (recorded). */
    WeeklyPeriod period(JsonNode node, String at) {
        Set<DayOfWeek> days = days(node, at);
        LocalTime from = clock(node, at, FROM);
        LocalTime to = clock(node, at, TO);
        if (from != null && from.equals(to)) {
            reader.problem(ProblemCode.BAD_CLOCK, DocumentReader.pointer(at, TO),
                    "Expected a to other than from (" + from + "), but they are equal: the period would be empty");
            return null;
        }
        return days == null || from == null || to == null ? null : new WeeklyPeriod(days, from, to);
    }

    /** {@code timeZone}: "profile" (the default) or a zone id. */
    ZoneChoice zone(JsonNode node, String at) {
        return reader.optionalString(node, at, TIME_ZONE).map(text -> zoneChoice(text, DocumentReader.pointer(at, TIME_ZONE)))
                .orElse(ZoneChoice.PROFILE);
    }

    ZoneChoice zoneChoice(String text, String at) {
        if (text.equals("profile")) {
            return ZoneChoice.PROFILE;
        }
        return new ZoneChoice(zone(text, at, "\"profile\" or an IANA time zone"));
    }

    /** A zone id where "profile" is not a choice (a rule set's fallback zone). */
    ZoneId zone(String text, String at) {
        return zone(text, at, "an IANA time zone");
    }

    private ZoneId zone(String text, String at, String expected) {
        try {
            return ZoneId.of(text);
        } catch (DateTimeException e) {
            reader.problem(ProblemCode.BAD_TIME_ZONE, at,
                    "Expected " + expected + " such as Europe/Paris, but found \"" + text + "\"");
            return java.time.ZoneOffset.UTC;
        }
    }

    /** A non-empty list of channels, each named once. */
    Set<Channel> channels(JsonNode node, String at) {
        Set<Channel> channels = EnumSet.noneOf(Channel.class); // looked up on every ruled send
        List<JsonNode> items = reader.requiredArray(node, at, CHANNELS);
        String channelsAt = DocumentReader.pointer(at, CHANNELS);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String itemAt = channelsAt + "/" + i;
            if (!item.isTextual()) {
                reader.wrongType(itemAt, "a channel name", item);
                continue;
            }
            Channel channel = Channel.fromJson(item.textValue()).orElse(null);
            if (channel == null) {
                reader.problem(ProblemCode.UNKNOWN_CHANNEL, itemAt,
                        "Expected one of email, push, sms, inApp, custom, but found \"" + item.textValue() + "\"");
            } else if (!channels.add(channel)) {
                reader.problem(ProblemCode.DUPLICATE_ID, itemAt, "Expected each channel once, but "
                        + channel.jsonName() + " is named twice");
            }
        }
        return channels;
    }

    /** {@code days}: 1 (Monday) to 7 (Sunday), each once; every day when absent. */
    private Set<DayOfWeek> days(JsonNode node, String at) {
        if (!node.has(DAYS)) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        boolean valid = true;
        List<JsonNode> items = reader.requiredArray(node, at, DAYS);
        String daysAt = DocumentReader.pointer(at, DAYS);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isIntegralNumber() || item.asLong() < 1 || item.asLong() > 7) {
                reader.problem(ProblemCode.BAD_CLOCK, daysAt + "/" + i,
                        "Expected a day from 1 (Monday) to 7 (Sunday), but found " + item);
                valid = false;
            } else if (!days.add(DayOfWeek.of(item.intValue()))) {
                reader.problem(ProblemCode.BAD_CLOCK, daysAt + "/" + i, "Expected each day once, but "
                        + item.intValue() + " is there twice");
                valid = false;
            }
        }
        return valid && !items.isEmpty() ? days : null;
    }

    private LocalTime clock(JsonNode node, String at, String field) {
        String text = reader.requiredString(node, at, field).orElse(null);
        if (text == null) {
            return null;
        }
        if (!CLOCK.matcher(text).matches()) {
            reader.problem(ProblemCode.BAD_CLOCK, DocumentReader.pointer(at, field),
                    "Expected a local time as HH:MM from 00:00 to 23:59, but found \"" + text + "\"");
            return null;
        }
        return LocalTime.parse(text);
    }
}
