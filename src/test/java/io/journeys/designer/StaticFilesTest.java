package io.journeys.designer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StaticFilesTest {

    /** A build without npm has no page on the classpath: the server still answers, with the API's placeholder. */
    @Test
    void shouldServeThePlaceholderListingTheApiWhenThePageIsNotBuilt() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            Answer answer = new StaticFiles(empty, IndexPage.render("/jobs/nudge", false)).index();

            assertThat(answer.status()).isEqualTo(200);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("not built yet", "/api/documents",
                    "/api/simulate", "/api/live");
        }
    }
}
