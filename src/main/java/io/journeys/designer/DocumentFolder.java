package io.journeys.designer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The folder the designer serves: it reads and writes only plain {@code *.json} files directly in it (or files a
 * link in it leads to, when they are inside it too). A file name with a slash, a backslash, {@code ..}, a
 * leading dot or a control character is refused (400), and so is a link that leads out of the folder (403).
 * Writes replace a file whole (a temporary file beside it, then a move), so a job, a validator or the page
 * reading it meanwhile never sees half a document.
 */
final class DocumentFolder {

    static final String EXTENSION = ".json";
    private static final int LONGEST_NAME = 255;

    private final Path root;

    DocumentFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder + " is not a folder");
        }
        this.root = folder.toRealPath();
    }

    Path root() {
        return root;
    }

    /** The names of the folder's documents, sorted; files that are not, or that lead outside it, are left out. */
    List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(root)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                String name = file.getFileName().toString();
                if (problem(name) == null && Files.isRegularFile(file) && inside(file)) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** A document's bytes as they are on disk; 404 when there is none. */
    byte[] read(String name) throws IOException, ApiException {
        Path file = resolve(name);
        if (!Files.exists(file)) {
            throw ApiException.notFound("Expected a document " + name + " in " + root + ", but there is none");
        }
        return Files.readAllBytes(file);
    }

    /** A file of the folder that need not be a document (the sample inputs), if it is there. */
    Optional<String> readSample(String name) throws IOException {
        Path file = root.resolve(name);
        if (!Files.isRegularFile(file) || !inside(file)) {
            return Optional.empty();
        }
        return Optional.of(Files.readString(file));
    }

    /** Writes a document byte for byte; true when it is a new file. */
    boolean write(String name, byte[] content) throws IOException, ApiException {
        Path file = resolve(name);
        boolean created = !Files.exists(file);
        Path temporary = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                out.write(content);
            }
            if (!created) {
                keepPermissions(file, temporary);
            }
            move(temporary, file);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return created;
    }

    /** Why a name is not one of a document directly in the folder, or null when it is. */
    static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "Expected a file name, but got none";
        }
        if (name.indexOf('/') >= 0 || name.indexOf('\\') >= 0) {
            return "Expected a plain file name, but \"" + name + "\" has a slash";
        }
        if (name.startsWith(".")) {
            return "Expected a file name that does not start with a dot, but got \"" + name + "\"";
        }
        if (name.chars().anyMatch(Character::isISOControl)) {
            return "Expected a file name without control characters";
        }
        if (!name.endsWith(EXTENSION) || name.length() == EXTENSION.length()) {
            return "Expected a file name ending in " + EXTENSION + ", but got \"" + name + "\"";
        }
        if (name.length() > LONGEST_NAME) {
            return "Expected a file name of at most " + LONGEST_NAME + " characters";
        }
        return null;
    }

    /** The file a document name stands for: the folder's entry, or where a link there leads. */
    private Path resolve(String name) throws IOException, ApiException {
        String problem = problem(name);
        if (problem != null) {
            throw ApiException.badRequest(problem);
        }
        Path file = root.resolve(name);
        if (Files.isSymbolicLink(file)) {
            if (!Files.exists(file)) {
                throw ApiException.forbidden("Expected " + name + " to be a file, but it is a link that leads nowhere");
            }
            if (!inside(file)) {
                throw ApiException.forbidden("Expected " + name + " inside " + root + ", but it is a link out of it");
            }
            file = file.toRealPath(); // written through: the link stays
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw ApiException.badRequest("Expected " + name + " to be a file, but it is not one");
        }
        return file;
    }

    private boolean inside(Path file) throws IOException {
        return file.toRealPath().startsWith(root);
    }

    private static void keepPermissions(Path from, Path to) throws IOException {
        PosixFileAttributeView source = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        PosixFileAttributeView target = Files.getFileAttributeView(to, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (source != null && target != null) {
            target.setPermissions(source.readAttributes().permissions());
        }
    }

    private static void move(Path temporary, Path file) throws IOException {
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING); // the best this file system does
        }
    }
}
