package io.journeys.cli;

import io.journeys.report.Report;
import io.journeys.report.ReportHtml;
import io.journeys.report.ReportJson;
import io.journeys.report.ReportTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the report command puts a report: the table on stdout unless report.json goes there, report.json to a
 * file, the HTML page to a file. Files are replaced whole (written beside, then moved), so that a browser or
 * a script reading them while {@code --follow} rewrites them never sees half a report.
 */
final class ReportOutputs {

    private final PrintWriter out;
    private final String json;
    private final Path html;

    /** @param json null, "-" for stdout, or a file */
    ReportOutputs(PrintWriter out, String json, Path html) {
        this.out = out;
        this.json = json;
        this.html = html;
    }

    /** A report after the first (--follow): a table printed again is set apart from the one above it. */
    void writeAgain(Report report, long events) throws IOException {
        if (json == null && html == null) {
            out.println();
            out.println("--- after " + events + " step events");
        }
        write(report);
    }

    void write(Report report) throws IOException {
        if ("-".equals(json)) {
            out.println(ReportJson.render(report));
        } else if (json != null) {
            replace(Path.of(json), ReportJson.render(report) + "\n");
        }
        if (html != null) {
            replace(html, ReportHtml.render(report));
        }
        if (json == null && html == null) {
            out.print(ReportTable.render(report));
        } else if (!"-".equals(json)) {
            out.println("Written: " + String.join(", ", written()));
        }
        out.flush();
    }

    private List<String> written() {
        List<String> files = new ArrayList<>();
        if (json != null) {
            files.add(json);
        }
        if (html != null) {
            files.add(html.toString());
        }
        return files;
    }

    static void replace(Path file, String content) throws IOException {
        Path absolute = file.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        Files.writeString(temporary, content);
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
