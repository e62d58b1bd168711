package io.journeys.report;

import io.journeys.report.JourneyReport.SendTimeCounts;
import java.time.Duration;
import java.util.stream.Collectors;

/** The words the table and the page use for a step's send times, so both say the same. */
final class SendTimeText {

    static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

    private SendTimeText() {}

    /** "237 scheduled (profile 74, population 153, at once 0, explore 10), held median 13h, p90 2d 13h". */
    static String summary(SendTimeCounts counts) {
        String bases = counts.byBasis().entrySet().stream().map(e -> basis(e.getKey()) + " " + e.getValue())
                .collect(Collectors.joining(", "));
        String held = counts.delayMedian() == null ? ""
                : ", held median " + duration(counts.delayMedian()) + ", p90 " + duration(counts.delayP90());
        return counts.scheduled() + " scheduled (" + bases + ")" + held;
    }

    /** A basis as people read it: "at once" for {@code atOnce}. */
    static String basis(String name) {
        return "atOnce".equals(name) ? "at once" : name;
    }

    /** Days, hours and minutes, the zeros left out: "2d 13h", "45m", "0m". */
    static String duration(Duration duration) {
        long minutes = duration.toMinutes();
        StringBuilder text = new StringBuilder();
        if (minutes >= 24 * 60) {
            text.append(minutes / (24 * 60)).append("d ");
        }
        if (minutes % (24 * 60) >= 60) {
            text.append(minutes % (24 * 60) / 60).append("h ");
        }
        if (minutes % 60 > 0 || text.isEmpty()) {
            text.append(minutes % 60).append("m");
        }
        return text.toString().strip();
    }
}
