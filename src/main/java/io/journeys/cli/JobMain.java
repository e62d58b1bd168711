package io.journeys.cli;

/** Main class of the cluster jar: {@code flink run journeys-job.jar --bootstrap-servers HOST:PORT [--config FILE]}. */
public final class JobMain {

    private JobMain() {}

    public static void main(String[] args) {
        String[] withCommand = new String[args.length + 1];
        withCommand[0] = "job";
        System.arraycopy(args, 0, withCommand, 1, args.length);
        int exit = Main.execute(withCommand);
        if (exit != Exits.OK) {
            System.exit(exit);
        }
    }
}
