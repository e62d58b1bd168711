package io.journeys.report;

import java.util.List;

/** What happened in journeys, per journey version (sorted by id, then version): see README, Reports. */
public record Report(List<JourneyReport> journeys) {

    public Report {
        journeys = List.copyOf(journeys);
    }

    /** The report of one journey version, or null. */
    public JourneyReport journey(String journeyId, int version) {
        return journeys.stream().filter(j -> j.key().equals(new JourneyKey(journeyId, version))).findFirst()
                .orElse(null);
    }
}
