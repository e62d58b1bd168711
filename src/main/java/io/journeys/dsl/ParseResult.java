package io.journeys.dsl;

import java.util.List;

/** A parsed journey, or every problem that kept it from being one. */
public record ParseResult(Journey journey, List<Problem> problems) {

    public boolean isValid() {
        return problems.isEmpty();
    }
}
