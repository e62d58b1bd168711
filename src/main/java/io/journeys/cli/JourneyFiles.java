package io.journeys.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds journey documents: a file is taken as is, a folder gives its {@code *.json} files. */
final class JourneyFiles {

    private JourneyFiles() {}

    static List<Path> expand(List<Path> paths) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> children = Files.list(path)) {
                    children.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(files::add);
                }
            } else {
                files.add(path);
            }
        }
        return files;
    }

    static String read(Path file) throws InputFileException {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new InputFileException("cannot read " + file + ": " + describe(e));
        }
    }

    static List<String> readLines(Path file) throws InputFileException {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new InputFileException("cannot read " + file + ": " + describe(e));
        }
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getClass().getSimpleName() + " "
                + e.getMessage();
    }

    /** An input file that cannot be used; the message is for the user, no stack trace. */
    static final class InputFileException extends Exception {
        InputFileException(String message) {
            super(message);
        }
    }
}
