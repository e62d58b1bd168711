package io.journeys.expr;

import static dev.cel.common.types.SimpleType.DURATION;
import static dev.cel.common.types.SimpleType.INT;
import static dev.cel.common.types.SimpleType.STRING;
import static dev.cel.common.types.SimpleType.TIMESTAMP;

import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelLateFunctionBindings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Functions of the expression language that depend on the evaluation: the calendar functions,
 * {@code countEvents} over the profile's history, and {@code matches} with a budget per evaluation. Calendar
 * functions are evaluated in a time zone chosen per evaluation (the journey's, or the profile's). They work on local dates and wall times, so that a daylight-saving
 * change never shifts "Monday 09:00".
 */
final class CalendarFunctions {

    static final String DAY_OF_WEEK = "dayOfWeek";
    static final String HOUR_OF_DAY = "hourOfDay";
    static final String PLUS_DAYS = "plusDays";
    static final String AT_LOCAL_TIME = "atLocalTime";
    static final String COUNT_EVENTS = "countEvents";
    static final String IN_AUDIENCE = "inAudience";

    static final List<String> NAMES = List.of(DAY_OF_WEEK, HOUR_OF_DAY, PLUS_DAYS, AT_LOCAL_TIME, COUNT_EVENTS,
            IN_AUDIENCE);

    private static final Map<ZoneId, List<CelFunctionBinding>> CALENDAR = new ConcurrentHashMap<>();
    private static final Map<ZoneId, CelLateFunctionBindings> CALENDAR_ONLY = new ConcurrentHashMap<>();

    private CalendarFunctions() {}

    static List<CelFunctionDecl> declarations() {
        return List.of(
                CelFunctionDecl.newFunctionDeclaration(DAY_OF_WEEK,
                        CelOverloadDecl.newGlobalOverload("dayOfWeek_timestamp", INT, TIMESTAMP)),
                CelFunctionDecl.newFunctionDeclaration(HOUR_OF_DAY,
                        CelOverloadDecl.newGlobalOverload("hourOfDay_timestamp", INT, TIMESTAMP)),
                CelFunctionDecl.newFunctionDeclaration(PLUS_DAYS,
                        CelOverloadDecl.newGlobalOverload("plusDays_timestamp_int", TIMESTAMP, TIMESTAMP, INT)),
                CelFunctionDecl.newFunctionDeclaration(AT_LOCAL_TIME,
                        CelOverloadDecl.newGlobalOverload("atLocalTime_timestamp_string", TIMESTAMP, TIMESTAMP,
                                STRING)),
                CelFunctionDecl.newFunctionDeclaration(COUNT_EVENTS,
                        CelOverloadDecl.newGlobalOverload("countEvents_string_duration", INT, STRING, DURATION)),
                CelFunctionDecl.newFunctionDeclaration(IN_AUDIENCE,
                        CelOverloadDecl.newGlobalOverload("inAudience_string", dev.cel.common.types.SimpleType.BOOL,
                                STRING)));
    }

    /**
     * The bindings of one evaluation: calendar functions in its zone, countEvents and inAudience on its
     * profile, matches with its own budget of regular-expression work. An expression that needs neither the
     * profile's history nor matches shares the bindings of its zone, built once.
     */
    static CelLateFunctionBindings of(Variables variables, boolean readsProfileHistory, boolean callsMatches) {
        boolean history = readsProfileHistory
                && !(variables.eventCounter() == EventCounter.NONE && variables.memberships().isEmpty());
        if (!history && !callsMatches) {
            return CALENDAR_ONLY.computeIfAbsent(variables.zone(),
                    zone -> CelLateFunctionBindings.from(withoutHistory(zone)));
        }
        List<CelFunctionBinding> all = history ? withHistory(variables) : withoutHistory(variables.zone());
        if (callsMatches) {
            all.addAll(BoundedRegex.bindings());
        }
        return CelLateFunctionBindings.from(all);
    }

    private static List<CelFunctionBinding> withoutHistory(ZoneId zone) {
        List<CelFunctionBinding> bindings = new ArrayList<>(calendar(zone));
        bindings.add(CelFunctionBinding.from("inAudience_string", String.class, audience -> false));
        bindings.add(CelFunctionBinding.from("countEvents_string_duration", String.class, Duration.class,
                (type, window) -> 0L));
        return bindings;
    }

    private static List<CelFunctionBinding> withHistory(Variables variables) {
        List<CelFunctionBinding> all = new ArrayList<>(calendar(variables.zone()));
        java.util.Set<String> memberships = variables.memberships();
        all.add(CelFunctionBinding.from("inAudience_string", String.class, memberships::contains));
        EventCounter counter = variables.eventCounter();
        Instant now = variables.now();
        all.add(CelFunctionBinding.from("countEvents_string_duration", String.class, Duration.class,
                (type, window) -> counter.countWithin(type, now, window)));
        return all;
    }

    private static List<CelFunctionBinding> calendar(ZoneId zone) {
        return CALENDAR.computeIfAbsent(zone, CalendarFunctions::bindCalendar);
    }

    private static List<CelFunctionBinding> bindCalendar(ZoneId zone) {
        return List.of(
                CelFunctionBinding.from("dayOfWeek_timestamp", Instant.class,
                        t -> (long) t.atZone(zone).getDayOfWeek().getValue()),
                CelFunctionBinding.from("hourOfDay_timestamp", Instant.class,
                        t -> (long) t.atZone(zone).getHour()),
                CelFunctionBinding.from("plusDays_timestamp_int", Instant.class, Long.class,
                        (t, days) -> t.atZone(zone).plusDays(days).toInstant()),
                CelFunctionBinding.from("atLocalTime_timestamp_string", Instant.class, String.class,
                        (t, time) -> atLocalTime(t, time, zone)));
    }

    /** The local date of {@code t} at wall time {@code time}; a time skipped by DST moves forward by the gap. */
    private static Instant atLocalTime(Instant t, String time, ZoneId zone) throws CelEvaluationException {
        LocalTime local;
        try {
            local = LocalTime.parse(time);
        } catch (DateTimeParseException e) {
            throw new CelEvaluationException(
                    "Expected a local time such as \"09:00\" in atLocalTime, but found \"" + time + "\"");
        }
        return ZonedDateTime.of(t.atZone(zone).toLocalDate(), local, zone).toInstant();
    }
}
