package io.journeys.cli;

/** Exit codes of every command. */
final class Exits {

    private Exits() {}

    static final int OK = 0;
    /** Invalid journeys, or a run that failed. */
    static final int FAILED = 1;
    /** Bad command line or unreadable input files. */
    static final int USAGE = 2;
}
