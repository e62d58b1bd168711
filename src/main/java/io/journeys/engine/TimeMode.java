package io.journeys.engine;

/** Which clock drives "now" and the waits. One processor, one switch (DESIGN §3). */
public enum TimeMode {
    /** Production: waits fire on the wall clock, now is the processing time. */
    PROCESSING_TIME,
    /** Simulation, replays and tests: waits fire on watermarks, now is the timestamp being handled. */
    EVENT_TIME
}
