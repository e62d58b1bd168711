package io.journeys.designer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The designer's page, as the Maven build puts it on the classpath under {@code designer/} (src/designer, built
 * with npm into target/classes/designer/): {@code GET /} is its index, {@code GET /static/NAME} its script and
 * stylesheet. Without a built page (a build that skipped npm), {@code GET /} falls back to {@link IndexPage}.
 */
final class StaticFiles {

    static final String FOLDER = "designer/";
    /** Plain file names only: nothing that could climb out of the folder. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "png", "image/png",
            "svg", "image/svg+xml");

    private final ClassLoader loader;
    private final String fallback;

    StaticFiles(ClassLoader loader, String fallback) {
        this.loader = loader;
        this.fallback = fallback;
    }

    void register(Router router) {
        router.on("GET", "/", request -> index())
                .onParameter("GET", "/static/", request -> file(request.parameter()));
    }

    Answer index() throws IOException {
        byte[] page = read("index.html");
        return page == null ? Answer.html(fallback) : new Answer(200, TYPES.get("html"), page);
    }

    private Answer file(String name) throws IOException, ApiException {
        String extension = name.substring(name.lastIndexOf('.') + 1);
        byte[] content = NAME.matcher(name).matches() && TYPES.containsKey(extension) ? read(name) : null;
        if (content == null) {
            throw ApiException.notFound("Expected a file of the designer's page, but got " + name);
        }
        return new Answer(200, TYPES.get(extension), content);
    }

    private byte[] read(String name) throws IOException {
        try (InputStream in = loader.getResourceAsStream(FOLDER + name)) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
