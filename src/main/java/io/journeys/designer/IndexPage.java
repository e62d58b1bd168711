package io.journeys.designer;

/**
 * What {@code GET /} serves until the designer's page is built: a placeholder that says so and lists the API the
 * page will be built on (README, Designer).
 */
final class IndexPage {

    private IndexPage() {}

    static final String[][] API = {
        {"GET", "/api/documents", "[{file, kind, id, version}] of the folder's *.json (problems when not JSON)"},
        {"GET", "/api/documents/{file}", "the file's bytes, unchanged"},
        {"PUT", "/api/documents/{file}", "writes the body byte for byte; {file, created, problems}"},
        {"POST", "/api/validate[?file=NAME]", "{problems: [{code, pointer, message}]} of the body (a document)"},
        {"POST", "/api/simulate", "{documents: [text...], events: jsonl, profiles?: jsonl} → {report, actions, steps, profileWrites, deadLetters}"},
        {"GET", "/api/samples", "{events, profiles}: the folder's events.jsonl and profiles.jsonl (null when absent)"},
        {"GET", "/api/info", "{folder, kafka, bootstrapServers, topics, bodyLimit}"},
        {"POST", "/api/publish[?file=NAME]", "with --bootstrap-servers: validates, then publishes the body; {published, topic}"},
        {"GET", "/api/live[?since=N[&wait=S]]", "with --bootstrap-servers: {events, report, warning} of the step-events topic; since=N waits for counts of more than N events"},
    };

    static String render(String folder, boolean kafka) {
        StringBuilder rows = new StringBuilder();
        for (String[] route : API) {
            rows.append("<tr><td>").append(route[0]).append("</td><td><code>").append(escape(route[1]))
                    .append("</code></td><td>").append(escape(route[2])).append("</td></tr>\n");
        }
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Journey designer</title>
                <style>body{font:15px/1.5 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em}
                td{padding:.2em .8em;vertical-align:top;border-bottom:1px solid #ddd}code{white-space:nowrap}</style>
                </head><body>
                <h1>Journey designer</h1>
                <p>The designer's page is not built yet: this server serves its API, on which the page will be
                built. Folder: <code>%s</code>. Kafka: %s.</p>
                <p>Every answer is JSON; every failure is <code>{"error": "..."}</code> with a fitting status.</p>
                <table>
                %s</table>
                </body></html>
                """.formatted(escape(folder), kafka ? "yes (publish and live counts)" : "no (start with --bootstrap-servers for publish and live counts)", rows);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
