package io.journeys.report;

import java.util.Arrays;

/**
 * The statuses a step event can carry, as the report reads them. The engine writes the first eight today;
 * {@code converted}, {@code skipped} and {@code excluded} come with goals and delivery rules (DESIGN §9.1,
 * §9.3). A status this release does not know is {@link #OTHER}: its {@code next} still counts as an edge,
 * so a report of newer events stays right about the paths taken.
 */
public enum StepStatus {
    ENTERED("entered"),
    EXECUTED("executed"),
    WAITING("waiting"),
    RESUMED("resumed"),
    COMPLETED("completed"),
    EXITED("exited"),
    TIMED_OUT("timedOut"),
    ERROR("error"),
    CONVERTED("converted"),
    SKIPPED("skipped"),
    EXCLUDED("excluded"),
    OTHER("");

    private final String jsonName;

    StepStatus(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    /** Whether this status ends the instance. */
    public boolean endsInstance() {
        return this == COMPLETED || this == EXITED || this == TIMED_OUT || this == ERROR;
    }

    /**
     * Whether the event says where the instance is. A conversion does not move it (it may even come after the
     * end), and a refused entry never made an instance.
     */
    public boolean placesInstance() {
        return this != CONVERTED && this != EXCLUDED && this != OTHER;
    }

    public static StepStatus fromJson(String name) {
        return Arrays.stream(values()).filter(s -> s != OTHER && s.jsonName.equals(name)).findFirst().orElse(OTHER);
    }
}
