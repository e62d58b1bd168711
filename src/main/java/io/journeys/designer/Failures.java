package io.journeys.designer;

import java.util.ArrayList;
import java.util.List;

/** Says what went wrong in one line: Flink and Kafka wrap the cause that matters in several layers. */
final class Failures {

    private Failures() {}

    /** The first message and the root cause's, e.g. "Job execution failed.: IllegalStateException: ...". */
    static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        List<String> parts = new ArrayList<>();
        parts.add(message(failure));
        if (root != failure) {
            parts.add(root.getClass().getSimpleName() + ": " + message(root));
        }
        return String.join(": ", parts);
    }

    private static String message(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }
}
