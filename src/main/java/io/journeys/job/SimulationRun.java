package io.journeys.job;

import io.journeys.dsl.DocumentSet;
import io.journeys.report.Report;
import io.journeys.report.ReportBuilder;

/**
 * A simulation as {@code ./journeys simulate} runs one, for every front end that runs one (the command, the
 * designer's test mode): the real {@link Simulation} of a checked set of documents, and the report of the step
 * events it wrote, built over the journeys of that set (their graphs, goals and experiments).
 */
public final class SimulationRun {

    private SimulationRun() {}

    /** The outputs of the run and their report (report.json's content). */
    public record Outcome(Simulation.Result result, Report report) {}

    /**
     * Runs {@code documents} over the inputs {@code simulation} holds (its journeys are set from the documents).
     *
     * @throws IllegalArgumentException when the documents have problems: the caller lists them first
     */
    public static Outcome run(DocumentSet documents, Simulation.Builder simulation) throws Exception {
        if (!documents.allValid() || !documents.completeSetProblems().isEmpty()) {
            throw new IllegalArgumentException("Expected documents without problems, but some have problems");
        }
        Simulation.Result result = simulation.journeys(documents.texts()).run();
        ReportBuilder report = new ReportBuilder(documents.journeys());
        result.steps().forEach(report::addLine);
        return new Outcome(result, report.build());
    }
}
