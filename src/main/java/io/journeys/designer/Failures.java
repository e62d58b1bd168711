package io.journeys.designer;

import java.util.ArrayList;
import java.util.List;

/** Says what went wrong in one line: Flink and Kafka wrap the cause that matters in several layers. */
final class Failures {

    private Failures() {}

    /** The failure and its root cause, e.g. "JobExecutionException: Job execution failed.: IllegalStateException: ...". */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        List<String> parts = new ArrayList<>();
        parts.add(named(failure));
        if (root != failure) {
            parts.add(named(root));
        }
        return String.join(": ", parts);
    }

    /** With its class: an IOException's message is often a bare path. */
    private static String named(Throwable failure) {
        String name = failure.getClass().getSimpleName();
        return failure.getMessage() == null ? name : name + ": " + failure.getMessage();
    }
}
