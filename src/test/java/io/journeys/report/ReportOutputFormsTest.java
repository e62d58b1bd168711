package io.journeys.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** report.json's shape, the terminal table and the HTML page, on the cart journey of {@link ReportBuilderTest}. */
class ReportOutputFormsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Report cartReport() {
        StepEvents cart = new StepEvents("cart", 1);
        ReportBuilder builder = new ReportBuilder(ReportBuilderTest.documents(ReportBuilderTest.CART));
        List<String> lines = new ArrayList<>();
        lines.addAll(cart.instance("i1").entered("exp").assigned("exp", 1, "email", "check", true)
                .executed("check", "default", "send").executed("send", "next", "wait").waiting("wait").lines());
        lines.addAll(cart.instance("i2").entered("exp").assigned("exp", 0, "holdout", "done", false)
                .completed("done").converted(null, "purchase").lines());
        lines.forEach(builder::addLine);
        return builder.build();
    }

    @Test
    void shouldWriteReportJsonInTheContractsShape() throws Exception {
        JsonNode root = JSON.readTree(ReportJson.render(cartReport()));

        assertThat(names(root)).containsExactly("journeys");
        JsonNode journey = root.get("journeys").get(0);
        assertThat(names(journey)).containsExactly("journeyId", "journeyVersion", "entered", "completed", "exited",
                "timedOut", "errors", "inside", "excluded", "rules", "steps", "edges", "goals", "experiments");
        assertThat(names(journey.get("rules"))).isEmpty();
        assertThat(journey.get("journeyVersion").isInt()).isTrue();
        assertThat(names(journey.get("steps"))).containsExactly("exp", "check", "send", "wait", "done");
        assertThat(names(journey.get("steps").get("wait"))).containsExactly("reached", "waiting", "held", "executed",
                "completed", "exited", "timedOut", "skipped", "excluded", "errors", "rules");
        assertThat(journey.get("steps").get("wait").get("waiting").asLong()).isEqualTo(1);
        assertThat(names(journey.get("edges").get(0))).containsExactly("from", "to", "branch", "count");
        assertThat(journey.get("edges").get(0).toString())
                .isEqualTo("{\"from\":\"exp\",\"to\":\"done\",\"branch\":\"arms/0\",\"count\":1}");
        assertThat(names(journey.get("goals").get("purchase"))).containsExactly("conversions", "rate", "ci95");
        assertThat(journey.get("goals").get("purchase").get("rate").asDouble()).isEqualTo(0.5);
        JsonNode experiment = journey.get("experiments").get("exp");
        assertThat(names(experiment)).containsExactly("goal", "winner", "arms");
        assertThat(experiment.get("winner").asText()).isEqualTo("email");
        JsonNode holdout = experiment.get("arms").get("holdout");
        assertThat(names(holdout)).containsExactly("profiles", "conversions", "rate", "ci95", "probabilityBest",
                "control");
        assertThat(holdout.get("ci95").size()).isEqualTo(2);
        assertThat(holdout.get("probabilityBest").isDouble()).isTrue();
        assertThat(holdout.get("control").asBoolean()).isTrue();
    }

    @Test
    void shouldPrintEachVersionsFiguresGoalsStepsAndArms() {
        String table = ReportTable.render(cartReport());

        assertThat(table).startsWith(
                "cart v1: entered 2, inside 1, completed 1, exited 0, timedOut 0, errors 0, excluded 0\n");
        assertThat(table).contains("  goal purchase: 1 converted, 50.0% of entered (95%: 9.5%–90.5%)\n");
        assertThat(lineStartingWith(table, "  wait ")).matches("  wait +await +1 +1 +0 +0 +0 +0 +0 +0 +-");
        assertThat(table).doesNotContain("  rules");
        assertThat(table).contains("  experiment exp on goal purchase, winner email\n");
        assertThat(lineStartingWith(table, "    holdout ")).matches("    holdout +1 +1 +100\\.0% +20\\.7%–100\\.0% +\\S+ +control");
        assertThat(lineStartingWith(table, "    email ")).endsWith("winner");
        // the table of steps in the graph's order
        assertThat(table.indexOf("  exp ")).isLessThan(table.indexOf("  check ")).isLessThan(table.indexOf("  done "));
    }

    @Test
    void shouldDrawEveryStepAndEdgeWithItsCountsInOneSelfContainedPage() {
        Report report = cartReport();
        String html = ReportHtml.render(report);
        JourneyReport journey = report.journey("cart", 1);

        for (String step : journey.steps().keySet()) {
            Matcher node = Pattern.compile("<g class=\"step[^\"]*\" tabindex=\"0\" data-step-id=\"" + step + "\"[^>]*"
                    + "data-reached=\"(\\d+)\" data-waiting=\"(\\d+)\"").matcher(html);
            assertThat(node.find()).as("a node for " + step).isTrue();
            assertThat(Long.parseLong(node.group(1))).isEqualTo(journey.steps().get(step).reached());
            assertThat(Long.parseLong(node.group(2))).isEqualTo(journey.steps().get(step).waiting());
        }
        for (JourneyReport.EdgeCount edge : journey.edges()) {
            assertThat(html).contains("data-edge=\"" + edge.from() + "-&gt;" + edge.to() + "\" data-from=\""
                    + edge.from() + "\" data-to=\"" + edge.to() + "\" data-branch=\"" + edge.branch()
                    + "\" data-count=\"" + edge.count() + "\"");
        }
        assertThat(count(html, "data-step-id=")).isEqualTo(journey.steps().size());
        assertThat(count(html, "data-edge=")).isEqualTo(journey.edges().size());
        // untaken edges are grey; one edge of a step with several ports is labelled with its port
        assertThat(html).contains("<g class=\"edge untaken\" data-edge=\"send-&gt;done\"");
        assertThat(html).contains("<tspan class=\"port\"");
        assertThat(html).contains("<tr data-arm=\"email\" class=\"winner\">");
        selfContained(html);
    }

    @Test
    void shouldShowWhenTheMessagesOfStepsWithSendTimeWentInEveryForm() throws Exception {
        ReportBuilder builder = new ReportBuilder(ReportBuilderTest.documents(ReportBuilderTest.SALE));
        ReportBuilderTest.saleEvents().forEach(builder::addLine);
        Report report = builder.build();

        JsonNode steps = JSON.readTree(ReportJson.render(report)).get("journeys").get(0).get("steps");
        JsonNode mail = steps.get("mail");
        assertThat(names(mail)).containsExactly("reached", "waiting", "held", "executed", "completed", "exited",
                "timedOut", "skipped", "excluded", "errors", "rules", "sendTime");
        assertThat(names(mail.get("sendTime")))
                .containsExactly("scheduled", "byBasis", "localHours", "localDays", "delay");
        assertThat(mail.get("sendTime").get("byBasis").toString())
                .isEqualTo("{\"profile\":1,\"population\":1,\"atOnce\":1,\"explore\":1}");
        assertThat(mail.get("sendTime").get("localHours").size()).isEqualTo(24);
        assertThat(mail.get("sendTime").get("localHours").get(20).asLong()).isEqualTo(2);
        assertThat(mail.get("sendTime").get("localDays").toString()).isEqualTo("[2,1,0,1,0,0,0]");
        assertThat(mail.get("sendTime").get("delay").toString()).isEqualTo("{\"median\":\"PT10H\",\"p90\":\"PT72H\"}");
        // a step without sendTime keeps the contract's shape
        assertThat(names(steps.get("later"))).doesNotContain("sendTime");

        String table = ReportTable.render(report);
        assertThat(table).contains("  send times at mail: 4 scheduled (profile 1, population 1, at once 1, "
                + "explore 1), held median 10h, p90 3d\n");
        assertThat(lineStartingWith(table, "    local hour ")).matches("    local hour +0 +1 +2 .* +23");
        assertThat(lineStartingWith(table, "    scheduled ")) // mail's hours: 10 once, 19 once, 20 twice
                .matches("    scheduled( +0){10} +1( +0){8} +1 +2( +0){3}");
        assertThat(table).doesNotContain("send times at later");

        String html = ReportHtml.render(report);
        assertThat(html).contains("<h3>Send times</h3>", "<div class=\"send-time\" data-send-step=\"mail\" data-scheduled=\"4\">",
                "<tr data-basis=\"atOnce\"><td>at once</td><td class=\"n\">1</td></tr>");
        assertThat(html).containsPattern("(?s)data-send-step=\"mail\".*?<g class=\"hour\" data-hour=\"20\" data-count=\"2\">");
        assertThat(count(html, "data-send-step=")).isEqualTo(2);
        selfContained(html);
    }

    private Report promoReport() {
        StepEvents promo = new StepEvents("promo", 1);
        ReportBuilder builder = new ReportBuilder(ReportBuilderTest.documents(ReportBuilderTest.PROMO));
        List<String> lines = new ArrayList<>();
        lines.addAll(promo.instance("a").entered("mail").held("mail").executed("mail", "next", "w").lines());
        lines.addAll(promo.instance("b").entered("mail").skipped("mail", "RUL-001", "w").lines());
        lines.addAll(promo.instance("c").excluded("mail", "RUL-005").lines());
        lines.forEach(builder::addLine);
        return builder.build();
    }

    @Test
    void shouldCarryWhatDeliveryRulesDidInEveryForm() throws Exception {
        Report report = promoReport();

        JsonNode journey = JSON.readTree(ReportJson.render(report)).get("journeys").get(0);
        assertThat(journey.get("rules").toString()).isEqualTo(
                "{\"RUL-001\":1,\"RUL-002\":0,\"RUL-003\":0,\"RUL-004\":0,\"RUL-005\":1,\"RUL-006\":1}");
        JsonNode mail = journey.get("steps").get("mail");
        assertThat(mail.get("held").asLong()).isEqualTo(1);
        assertThat(mail.get("skipped").asLong()).isEqualTo(1);
        assertThat(mail.get("excluded").asLong()).isEqualTo(1);
        assertThat(mail.get("errors").size()).isZero();
        assertThat(mail.get("rules").toString()).isEqualTo("{\"RUL-001\":1,\"RUL-005\":1,\"RUL-006\":1}");

        String table = ReportTable.render(report);
        assertThat(table).contains("  rules marketing: RUL-001 skipped by a frequency cap 1, "
                + "RUL-005 excluded by the concurrency cap 1, RUL-006 held by quiet hours 1\n");
        assertThat(lineStartingWith(table, "  step ")).matches("  step +type +reached +waiting +held +executed .*");
        assertThat(lineStartingWith(table, "  mail ")).matches("  mail +action +2 +0 +1 +1 +0 +0 +0 +1 +-");

        String html = ReportHtml.render(report);
        assertThat(html).containsPattern("data-step-id=\"mail\"[^>]* data-held=\"1\"[^>]* data-skipped=\"1\" "
                + "data-excluded=\"1\"[^>]* data-rule-codes=\"RUL-001:1 RUL-005:1 RUL-006:1\"");
        assertThat(html).contains("<h3>Delivery rules of marketing</h3>",
                "<tr data-rule=\"RUL-006\"><td>RUL-006</td><td>held by quiet hours</td><td class=\"n\">1</td></tr>");
        // drawn in the box, not only carried
        assertThat(html).containsPattern("data-step-id=\"mail\".*?>held</text><text [^>]*data-figure=\"held\">1<");
        selfContained(html);
    }

    @Test
    void shouldEscapeEveryTextFromJourneysAndEvents() {
        String document = ReportBuilderTest.CART.replace("\"version\": 1,",
                "\"version\": 1, \"name\": \"<script>alert('name')</script> & \\\"quotes\\\"\",");
        ReportBuilder builder = new ReportBuilder(ReportBuilderTest.documents(document));
        builder.addLine("{\"eventId\": \"e1\", \"journeyId\": \"cart\", \"journeyVersion\": 1, \"instanceId\": \"i\","
                + " \"stepId\": \"send\", \"status\": \"error\", \"errorCode\": \"<img src=x onerror=alert(1)>\"}");
        builder.addLine("{\"eventId\": \"e2\", \"journeyId\": \"<b>j</b>\", \"journeyVersion\": 1, \"instanceId\": \"i\","
                + " \"stepId\": \"a\\\"><script>x</script>\", \"status\": \"entered\"}");

        String html = ReportHtml.render(builder.build());

        assertThat(html).doesNotContain("<script>alert", "<img", "<b>j</b>", "a\"><script>");
        assertThat(html).contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;",
                "&lt;img src=x onerror=alert(1)&gt;", "&lt;b&gt;j&lt;/b&gt; v1", "data-step-id=\"a&quot;&gt;&lt;script&gt;x");
        assertThat(count(html, "<script>")).isEqualTo(1);
        selfContained(html);
    }

    @Test
    void shouldShortenLargeCountsInTheBoxesOnly() {
        assertThat(GraphSvg.compact(9_999)).isEqualTo("9999");
        assertThat(GraphSvg.compact(12_345)).isEqualTo("12.3k");
        assertThat(GraphSvg.compact(4_567_890)).isEqualTo("4.57M");
    }

    /** Nothing loaded from anywhere: no URL, no external resource, references only within the page. */
    private static void selfContained(String html) {
        assertThat(html).doesNotContainIgnoringCase("http:").doesNotContainIgnoringCase("https:")
                .doesNotContain("//").doesNotContainIgnoringCase("<link").doesNotContainIgnoringCase("@import")
                .doesNotContainIgnoringCase("<img").doesNotContainIgnoringCase("<iframe");
        assertThat(Pattern.compile("(?i)\\s(src|href|xlink:href)=\"([^\"]*)\"").matcher(html).results()
                .map(m -> m.group(2))).allSatisfy(target -> assertThat(target).startsWith("#"));
        assertThat(Pattern.compile("url\\(([^)]*)\\)").matcher(html).results().map(m -> m.group(1)))
                .allSatisfy(target -> assertThat(target).startsWith("#"));
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String lineStartingWith(String text, String prefix) {
        return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(
                () -> new AssertionError("no line starting with \"" + prefix + "\" in\n" + text));
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
