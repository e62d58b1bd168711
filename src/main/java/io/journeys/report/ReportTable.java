package io.journeys.report;

import io.journeys.report.JourneyReport.ArmResult;
import io.journeys.report.JourneyReport.ExperimentResult;
import io.journeys.report.JourneyReport.GoalResult;
import io.journeys.report.JourneyReport.Interval;
import io.journeys.report.JourneyReport.SendTimeCounts;
import io.journeys.report.JourneyReport.StepCounts;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report for a terminal: per journey version its figures, what delivery rules did, goals, steps (in the
 * graph's order), when the messages of steps with {@code sendTime} were scheduled, and experiments.
 */
public final class ReportTable {

    private ReportTable() {}

    public static String render(Report report) {
        if (report.journeys().isEmpty()) {
            return "(no step events)\n";
        }
        StringBuilder text = new StringBuilder();
        for (JourneyReport journey : report.journeys()) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(journey(journey));
        }
        return text.toString();
    }

    /** The per-step table of one journey version, indented by two spaces. */
    public static String steps(JourneyReport journey) {
        TextTable table = new TextTable("llrrrrrrrrl", "step", "type", "reached", "waiting", "held", "executed",
                "completed", "exited", "timedOut", "skipped", "errors");
        journey.steps().forEach((id, s) -> table.row(id, s.type() == null ? "-" : s.type(), n(s.reached()),
                n(s.waiting()), n(s.held()), n(s.executed()), n(s.completed()), n(s.exited()), n(s.timedOut()),
                n(s.skipped()), errors(s)));
        return table.render("  ");
    }

    private static String journey(JourneyReport journey) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT,
                "%s: entered %d, inside %d, completed %d, exited %d, timedOut %d, errors %d, excluded %d%n",
                journey.key(), journey.entered(), journey.inside(), journey.completed(), journey.exited(),
                journey.timedOut(), journey.errors(), journey.excluded()));
        for (Map.Entry<String, GoalResult> goal : journey.goals().entrySet()) {
            GoalResult g = goal.getValue();
            text.append(String.format(Locale.ROOT, "  goal %s: %d converted, %s of entered (95%%: %s)%n",
                    goal.getKey(), g.conversions(), percent(g.rate()), interval(g.ci95())));
        }
        text.append(rules(journey));
        text.append(steps(journey));
        journey.sendTimes().forEach((stepId, counts) -> text.append(sendTime(stepId, counts)));
        for (Map.Entry<String, ExperimentResult> experiment : journey.experiments().entrySet()) {
            text.append(experiment(experiment.getKey(), experiment.getValue()));
        }
        return text.toString();
    }

    /** A step's send times: the summary, then the choices by local hour of the day and by local day. */
    static String sendTime(String stepId, SendTimeCounts counts) {
        StringBuilder text = new StringBuilder("  send times at ").append(stepId).append(": ")
                .append(SendTimeText.summary(counts)).append('\n');
        String[] hourHeader = new String[25];
        String[] hourCounts = new String[25];
        hourHeader[0] = "local hour";
        hourCounts[0] = "scheduled";
        for (int hour = 0; hour < 24; hour++) {
            hourHeader[hour + 1] = Integer.toString(hour);
            hourCounts[hour + 1] = n(counts.localHours().get(hour));
        }
        text.append(new TextTable("l" + "r".repeat(24), hourHeader).row(hourCounts).render("    "));
        String[] dayHeader = new String[8];
        String[] dayCounts = new String[8];
        dayHeader[0] = "local day";
        dayCounts[0] = "scheduled";
        for (int day = 0; day < 7; day++) {
            dayHeader[day + 1] = SendTimeText.DAYS[day];
            dayCounts[day + 1] = n(counts.localDays().get(day));
        }
        return text.append(new TextTable("l" + "r".repeat(7), dayHeader).row(dayCounts).render("    ")).toString();
    }

    private static String experiment(String stepId, ExperimentResult experiment) {
        StringBuilder text = new StringBuilder("  experiment ").append(stepId);
        text.append(experiment.goal() == null ? " (goal unknown without the document)" : " on goal " + experiment.goal());
        text.append(experiment.winner() == null ? ", no winner" : ", winner " + experiment.winner()).append('\n');
        TextTable table = new TextTable("lrrrrrl", "arm", "profiles", "conversions", "rate", "95% interval", "P(best)", "");
        for (Map.Entry<String, ArmResult> entry : experiment.arms().entrySet()) {
            ArmResult arm = entry.getValue();
            String marks = (Boolean.TRUE.equals(arm.control()) ? "control" : "")
                    + (entry.getKey().equals(experiment.winner()) ? " winner" : "");
            table.row(entry.getKey(), n(arm.profiles()), n(arm.conversions()), percent(arm.rate()),
                    interval(arm.ci95()), arm.probabilityBest() == null ? "-" : percent(arm.probabilityBest()),
                    marks.strip());
        }
        return text.append(table.render("    ")).toString();
    }

    /** One line of what delivery rules did, when the journey names a rule set or its events carry a rule code. */
    private static String rules(JourneyReport journey) {
        if (journey.rules().isEmpty()) {
            return "";
        }
        String set = journey.definition() == null || journey.definition().rules() == null ? ""
                : " " + journey.definition().rules();
        String counts = journey.rules().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey() + " " + RuleCodes.meaning(e.getKey()) + " " + e.getValue())
                .collect(Collectors.joining(", "));
        return "  rules" + set + ": " + (counts.isEmpty() ? "nothing held, skipped or excluded" : counts) + "\n";
    }

    private static String errors(StepCounts step) {
        return step.errors().isEmpty() ? "-" : step.errors().entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(","));
    }

    private static String n(long count) {
        return Long.toString(count);
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    static String interval(Interval interval) {
        return percent(interval.low()) + "–" + percent(interval.high());
    }
}
