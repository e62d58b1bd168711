package io.journeys.cli;

/** Exit codes of every command. */
public final class Exits {

    private Exits() {}

    public static final int OK = 0;
    /** Invalid journeys, or a run that failed. */
    public static final int FAILED = 1;
    /** Bad command line or unreadable input files. */
    public static final int USAGE = 2;
}
