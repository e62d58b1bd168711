package io.journeys.report;

import static io.journeys.report.Html.escape;
import static io.journeys.report.Html.percent;

import io.journeys.dsl.Journey;
import io.journeys.report.JourneyReport.ArmResult;
import io.journeys.report.JourneyReport.ExperimentResult;
import io.journeys.report.JourneyReport.GoalResult;
import io.journeys.report.JourneyReport.Interval;
import io.journeys.report.JourneyReport.SendTimeCounts;
import io.journeys.report.JourneyReport.StepCounts;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report as one self-contained HTML page: inline CSS, inline SVG and a few lines of inline script (click
 * or Enter on a step, or an address ending in {@code #step=ID}, shows all its counts; hovering a step lights its
 * edges). Nothing is loaded from
 * anywhere, so the file can be mailed or archived as it is. Every text from journeys and events is escaped.
 */
public final class ReportHtml {

    private ReportHtml() {}

    public static String render(Report report) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Journey report</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n")
                .append("<h1>Journey report</h1>\n");
        if (report.journeys().isEmpty()) {
            html.append("<p class=\"empty\">No step events.</p>\n");
        } else {
            html.append("<nav><ul>\n");
            for (JourneyReport journey : report.journeys()) {
                html.append("<li><a href=\"#").append(anchor(journey)).append("\">").append(escape(journey.key().toString()))
                        .append("</a></li>\n");
            }
            html.append("</ul></nav>\n");
        }
        int index = 0;
        for (JourneyReport journey : report.journeys()) {
            section(html, journey, index++);
        }
        html.append("<p class=\"legend\">Boxes: steps with their counts (click one for all of them). Arrows: the ways ")
                .append("taken, with how many instances and their share of the step's departures; grey: never taken; ")
                .append("dashed, in the lanes below: back edges (a loop). See the README, Reports, for what each figure ")
                .append("means.</p>\n");
        return html.append("<script>\n").append(SCRIPT).append("</script>\n</body>\n</html>\n").toString();
    }

    private static String anchor(JourneyReport journey) {
        return escape("journey-" + journey.key().journeyId() + "-v" + journey.key().version());
    }

    private static void section(StringBuilder html, JourneyReport journey, int index) {
        Journey definition = journey.definition();
        html.append("<section class=\"journey\" id=\"").append(anchor(journey)).append("\" data-journey-id=\"")
                .append(escape(journey.key().journeyId())).append("\" data-journey-version=\"")
                .append(journey.key().version()).append("\">\n<h2>").append(escape(journey.key().toString()));
        if (definition != null && definition.name() != null) {
            html.append(" <span class=\"name\">").append(escape(definition.name())).append("</span>");
        }
        html.append("</h2>\n<dl class=\"figures\">\n");
        figure(html, "entered", journey.entered());
        figure(html, "inside", journey.inside());
        figure(html, "completed", journey.completed());
        figure(html, "exited", journey.exited());
        figure(html, "timedOut", journey.timedOut());
        figure(html, "errors", journey.errors());
        figure(html, "excluded", journey.excluded());
        html.append("</dl>\n");
        if (definition == null) {
            html.append("<p class=\"note\">Without the journey's document: the steps and ways the events show.</p>\n");
        }
        html.append("<div class=\"graph-frame\">\n").append(GraphSvg.render(journey, "-" + index)).append("</div>\n");
        html.append("<div class=\"details\" aria-live=\"polite\"><p class=\"hint\">Click a step for its counts.</p></div>\n");
        rules(html, journey);
        goals(html, journey);
        experiments(html, journey);
        sendTimes(html, journey);
        steps(html, journey);
        html.append("</section>\n");
    }

    private static void figure(StringBuilder html, String name, long value) {
        html.append("<div><dt>").append(name).append("</dt><dd data-figure=\"").append(name).append("\">").append(value)
                .append("</dd></div>\n");
    }

    /** What delivery rules did, when the journey names a rule set or its events carry a rule's code. */
    private static void rules(StringBuilder html, JourneyReport journey) {
        if (journey.rules().isEmpty()) {
            return;
        }
        String set = journey.definition() == null ? null : journey.definition().rules();
        html.append("<h3>Delivery rules").append(set == null ? "" : " of " + escape(set)).append("</h3>\n")
                .append("<table class=\"rules\">\n<thead><tr><th>code</th><th>what the rule did</th><th>events</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (Map.Entry<String, Long> entry : journey.rules().entrySet()) {
            html.append("<tr data-rule=\"").append(escape(entry.getKey())).append("\"><td>").append(escape(entry.getKey()))
                    .append("</td><td>").append(escape(RuleCodes.meaning(entry.getKey()))).append("</td><td class=\"n\">")
                    .append(entry.getValue()).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    private static void goals(StringBuilder html, JourneyReport journey) {
        if (journey.goals().isEmpty()) {
            return;
        }
        html.append("<h3>Goals</h3>\n<table class=\"goals\">\n<thead><tr><th>goal</th><th>event</th><th>conversions</th>")
                .append("<th>rate (of entered)</th><th>95% interval</th><th></th></tr></thead>\n<tbody>\n");
        for (Map.Entry<String, GoalResult> entry : journey.goals().entrySet()) {
            GoalResult goal = entry.getValue();
            Journey.Goal declared = journey.definition() == null ? null : journey.definition().goal(entry.getKey());
            html.append("<tr data-goal-id=\"").append(escape(entry.getKey())).append("\"><td>").append(escape(entry.getKey()))
                    .append("</td><td>").append(escape(declared == null ? "" : declared.event())).append("</td><td class=\"n\">")
                    .append(goal.conversions()).append("</td><td class=\"n\">").append(percent(goal.rate()))
                    .append("</td><td class=\"n\">").append(interval(goal.ci95())).append("</td><td>")
                    .append(bar(goal.rate(), goal.ci95())).append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    private static void experiments(StringBuilder html, JourneyReport journey) {
        for (Map.Entry<String, ExperimentResult> entry : journey.experiments().entrySet()) {
            ExperimentResult experiment = entry.getValue();
            html.append("<h3>Experiment ").append(escape(entry.getKey())).append(experiment.goal() == null
                    ? " <span class=\"note\">(goal unknown without the document: conversions on any goal)</span>"
                    : " on goal " + escape(experiment.goal())).append("</h3>\n");
            html.append("<p>Winner: ").append(experiment.winner() == null ? "none yet"
                    : "<strong class=\"winner-name\">" + escape(experiment.winner()) + "</strong>").append("</p>\n");
            html.append("<table class=\"experiment\" data-experiment=\"").append(escape(entry.getKey()))
                    .append("\">\n<thead><tr><th>arm</th><th>profiles</th><th>conversions</th><th>rate</th>")
                    .append("<th>95% interval</th><th></th><th>P(best)</th></tr></thead>\n<tbody>\n");
            for (Map.Entry<String, ArmResult> arm : experiment.arms().entrySet()) {
                ArmResult a = arm.getValue();
                boolean winner = arm.getKey().equals(experiment.winner());
                html.append("<tr data-arm=\"").append(escape(arm.getKey())).append('"')
                        .append(winner ? " class=\"winner\"" : "").append("><td>").append(escape(arm.getKey()))
                        .append(Boolean.TRUE.equals(a.control()) ? " <span class=\"tag\">control</span>" : "")
                        .append(winner ? " <span class=\"tag win\">winner</span>" : "").append("</td><td class=\"n\">")
                        .append(a.profiles()).append("</td><td class=\"n\">").append(a.conversions())
                        .append("</td><td class=\"n\">").append(percent(a.rate())).append("</td><td class=\"n\">")
                        .append(interval(a.ci95())).append("</td><td>").append(bar(a.rate(), a.ci95()))
                        .append("</td><td class=\"n\">").append(a.probabilityBest() == null ? "–" : percent(a.probabilityBest()))
                        .append("</td></tr>\n");
            }
            html.append("</tbody>\n</table>\n");
        }
    }

    /** When the messages of steps with {@code sendTime} were scheduled: by local hour (a bar chart), day, basis. */
    private static void sendTimes(StringBuilder html, JourneyReport journey) {
        if (journey.sendTimes().isEmpty()) {
            return;
        }
        html.append("<h3>Send times</h3>\n");
        for (Map.Entry<String, SendTimeCounts> entry : journey.sendTimes().entrySet()) {
            SendTimeCounts counts = entry.getValue();
            html.append("<div class=\"send-time\" data-send-step=\"").append(escape(entry.getKey()))
                    .append("\" data-scheduled=\"").append(counts.scheduled()).append("\">\n<h4>")
                    .append(escape(entry.getKey())).append("</h4>\n<p>").append(escape(SendTimeText.summary(counts)))
                    .append("</p>\n<p class=\"note\">By local hour of the day, in each profile's zone:</p>\n")
                    .append(hourChart(counts.localHours()));
            html.append("<table class=\"send-days\">\n<thead><tr><th>local day</th>");
            for (String day : SendTimeText.DAYS) {
                html.append("<th>").append(day).append("</th>");
            }
            html.append("</tr></thead>\n<tbody><tr><td>scheduled</td>");
            for (int day = 0; day < 7; day++) {
                html.append("<td class=\"n\" data-day=\"").append(day).append("\">").append(counts.localDays().get(day))
                        .append("</td>");
            }
            html.append("</tr></tbody>\n</table>\n<table class=\"send-bases\">\n<thead><tr><th>basis</th>")
                    .append("<th>scheduled</th></tr></thead>\n<tbody>\n");
            for (Map.Entry<String, Long> basis : counts.byBasis().entrySet()) {
                html.append("<tr data-basis=\"").append(escape(basis.getKey())).append("\"><td>")
                        .append(escape(SendTimeText.basis(basis.getKey()))).append("</td><td class=\"n\">")
                        .append(basis.getValue()).append("</td></tr>\n");
            }
            html.append("</tbody>\n</table>\n</div>\n");
        }
    }

    /** 24 bars, one per local hour of the day, each as tall as its share of the busiest hour. */
    private static String hourChart(List<Long> hours) {
        double barWidth = 18;
        double plotHeight = 80;
        long busiest = Math.max(1, hours.stream().mapToLong(Long::longValue).max().orElse(0));
        StringBuilder svg = new StringBuilder("<svg class=\"hours\" width=\"440\" height=\"112\" viewBox=\"0 0 440 112\"")
                .append(" role=\"img\" aria-label=\"scheduled by local hour of the day\">\n");
        for (int hour = 0; hour < 24; hour++) {
            long count = hours.get(hour);
            double height = count == 0 ? 0 : Math.max(1, plotHeight * count / busiest);
            double x = 4 + hour * barWidth;
            svg.append("<g class=\"hour\" data-hour=\"").append(hour).append("\" data-count=\"").append(count)
                    .append("\"><title>").append(String.format(Locale.ROOT, "%02d:00", hour))
                    .append(" local: ").append(count).append("</title><rect x=\"").append(Html.coordinate(x))
                    .append("\" y=\"").append(Html.coordinate(12 + plotHeight - height)).append("\" width=\"")
                    .append(Html.coordinate(barWidth - 3)).append("\" height=\"").append(Html.coordinate(height))
                    .append("\"/>");
            if (count > 0) {
                svg.append("<text class=\"count\" x=\"").append(Html.coordinate(x + (barWidth - 3) / 2)).append("\" y=\"")
                        .append(Html.coordinate(10 + plotHeight - height)).append("\">").append(count).append("</text>");
            }
            if (hour % 3 == 0) {
                svg.append("<text class=\"label\" x=\"").append(Html.coordinate(x + (barWidth - 3) / 2))
                        .append("\" y=\"106\">").append(hour).append("</text>");
            }
            svg.append("</g>\n");
        }
        svg.append("<line class=\"axis\" x1=\"2\" y1=\"92.5\" x2=\"436\" y2=\"92.5\"/>\n");
        return svg.append("</svg>\n").toString();
    }

    private static void steps(StringBuilder html, JourneyReport journey) {
        html.append("<h3>Steps</h3>\n<table class=\"steps\">\n<thead><tr><th>step</th><th>type</th><th>reached</th>")
                .append("<th>waiting</th><th>held</th><th>executed</th><th>completed</th><th>exited</th><th>timedOut</th>")
                .append("<th>skipped</th><th>excluded</th><th>errors</th><th>rules</th></tr></thead>\n<tbody>\n");
        for (Map.Entry<String, StepCounts> entry : journey.steps().entrySet()) {
            StepCounts s = entry.getValue();
            html.append("<tr data-step-row=\"").append(escape(entry.getKey())).append("\"><td>").append(escape(entry.getKey()))
                    .append("</td><td>").append(escape(s.type() == null ? "" : s.type())).append("</td>");
            for (long value : new long[] {s.reached(), s.waiting(), s.held(), s.executed(), s.completed(), s.exited(),
                    s.timedOut(), s.skipped(), s.excluded()}) {
                html.append("<td class=\"n\">").append(value).append("</td>");
            }
            html.append("<td>").append(escape(codes(s.errors()))).append("</td><td>").append(escape(codes(s.rules())))
                    .append("</td></tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    private static String codes(Map<String, Long> counts) {
        return counts.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String interval(Interval interval) {
        return percent(interval.low()) + " – " + percent(interval.high());
    }

    /** A small inline bar: the 95% interval as a band on [0, 100%], the rate as a tick. */
    private static String bar(double rate, Interval interval) {
        double width = 120;
        return "<svg class=\"bar\" width=\"120\" height=\"12\" viewBox=\"0 0 120 12\" aria-hidden=\"true\">"
                + "<rect class=\"track\" x=\"0\" y=\"5\" width=\"120\" height=\"2\"/>"
                + "<rect class=\"band\" x=\"" + Html.coordinate(interval.low() * width) + "\" y=\"2\" width=\""
                + Html.coordinate(Math.max(1, (interval.high() - interval.low()) * width)) + "\" height=\"8\"/>"
                + "<rect class=\"tick\" x=\"" + Html.coordinate(Math.min(width - 2, rate * width)) + "\" y=\"0\" width=\"2\""
                + " height=\"12\"/></svg>";
    }

    private static final String STYLE = """
            body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d2330; background: #f6f7f9; }
            h1 { font-size: 22px; margin: 0 0 12px; }
            h2 { font-size: 18px; margin: 0 0 8px; }
            h2 .name { font-weight: normal; color: #5b6475; }
            h3 { font-size: 15px; margin: 18px 0 6px; }
            nav ul { list-style: none; padding: 0; display: flex; gap: 12px; flex-wrap: wrap; }
            section.journey { background: #fff; border: 1px solid #d9dde4; border-radius: 8px; padding: 16px;
              margin: 16px 0; }
            dl.figures { display: flex; gap: 20px; flex-wrap: wrap; margin: 0 0 12px; }
            dl.figures div { display: flex; flex-direction: column; }
            dl.figures dt { color: #5b6475; font-size: 12px; }
            dl.figures dd { margin: 0; font-size: 20px; font-weight: 600; }
            .graph-frame { overflow: auto; border: 1px solid #eceef2; border-radius: 6px; background: #fbfcfd; }
            svg.graph text { font-size: 12px; fill: #1d2330; }
            .step rect { fill: #fff; stroke: #3d6bd1; stroke-width: 1.5; }
            .step.has-waiting rect { fill: #fff7e0; stroke: #c98a00; }
            .step.unreached rect { stroke: #b8bec9; stroke-dasharray: 4 3; }
            .step.unreached text { fill: #8a92a1; }
            .step:hover rect, .step:focus rect, .step.selected rect { stroke-width: 3; }
            .step { cursor: pointer; outline: none; }
            .step .step-id { font-weight: 700; font-size: 13px; }
            .step .step-type { font-style: italic; fill: #5b6475; }
            svg.graph .figure, svg.graph .value { font-size: 11px; }
            .step .value { font-weight: 600; text-anchor: end; font-variant-numeric: tabular-nums; }
            .step .zero { fill: #9aa1ad; }
            .edge path { fill: none; stroke: #3d6bd1; stroke-width: 1.6; }
            .edge.untaken path { stroke: #c3c8d1; }
            .edge.back path { stroke-dasharray: 6 4; }
            .edge.lit path { stroke-width: 3.2; }
            .arrowhead.taken path { fill: #3d6bd1; }
            .arrowhead.untaken path { fill: #c3c8d1; }
            .edge-label { font-size: 11px; text-anchor: middle; paint-order: stroke; stroke: #fbfcfd; stroke-width: 4px;
              stroke-linejoin: round; }
            .edge.untaken .edge-label { fill: #9aa1ad; }
            .edge-label .port { font-size: 10px; fill: #5b6475; }
            .details { margin: 8px 0; min-height: 24px; }
            .details h4 { margin: 0 0 4px; font-size: 14px; }
            .details dl { display: grid; grid-template-columns: max-content max-content; gap: 2px 12px; margin: 0; }
            .details dt { color: #5b6475; }
            .details dd { margin: 0; font-weight: 600; }
            .hint, .note, .legend { color: #5b6475; }
            table { border-collapse: collapse; margin: 4px 0; }
            th, td { border-bottom: 1px solid #eceef2; padding: 3px 10px; text-align: left; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; }
            tr.winner td { background: #e6f6ea; font-weight: 600; }
            .tag { font-size: 11px; border-radius: 4px; padding: 0 5px; background: #eceef2; font-weight: normal; }
            .tag.win { background: #2f9e52; color: #fff; }
            svg.bar .track { fill: #d9dde4; }
            svg.bar .band { fill: #9bb5ee; }
            svg.bar .tick { fill: #1d2330; }
            .send-time h4 { margin: 10px 0 2px; font-size: 14px; }
            .send-time p { margin: 0 0 4px; }
            svg.hours rect { fill: #3d6bd1; }
            svg.hours text { font-size: 10px; text-anchor: middle; fill: #5b6475; }
            svg.hours .count { fill: #1d2330; }
            svg.hours .axis { stroke: #b8bec9; }
            """;

    private static final String SCRIPT = """
            (function () {
              var FIGURES = [['reached', 'reached'], ['waiting', 'waiting'], ['held', 'held'], ['executed', 'executed'],
                ['completed', 'completed'], ['exited', 'exited'], ['timedOut', 'timedOut'], ['skipped', 'skipped'],
                ['excluded', 'excluded'], ['errors', 'errors'], ['errorCodes', 'error codes'], ['ruleCodes', 'rule codes']];
              var CODES = ['errorCodes', 'ruleCodes'];
              function show(step) {
                var section = step.closest('section');
                section.querySelectorAll('.step.selected').forEach(function (s) { s.classList.remove('selected'); });
                step.classList.add('selected');
                var panel = section.querySelector('.details');
                panel.textContent = '';
                var title = document.createElement('h4');
                title.textContent = step.dataset.stepId + (step.dataset.type ? ' (' + step.dataset.type + ')' : '');
                panel.appendChild(title);
                var list = document.createElement('dl');
                FIGURES.forEach(function (figure) {
                  var term = document.createElement('dt');
                  term.textContent = figure[1];
                  var value = document.createElement('dd');
                  value.textContent = step.dataset[figure[0]] || (CODES.indexOf(figure[0]) >= 0 ? '-' : '0');
                  list.appendChild(term);
                  list.appendChild(value);
                });
                panel.appendChild(list);
              }
              function light(step, on) {
                var id = step.dataset.stepId;
                step.closest('section').querySelectorAll('.edge').forEach(function (edge) {
                  if (edge.dataset.from === id || edge.dataset.to === id) { edge.classList.toggle('lit', on); }
                });
              }
              document.querySelectorAll('.step[data-step-id]').forEach(function (step) {
                step.addEventListener('click', function () { show(step); });
                step.addEventListener('keydown', function (e) { if (e.key === 'Enter') { show(step); } });
                step.addEventListener('mouseenter', function () { light(step, true); });
                step.addEventListener('mouseleave', function () { light(step, false); });
              });
              var wanted = /^#step=(.+)$/.exec(location.hash);
              if (wanted) {
                var id = decodeURIComponent(wanted[1]);
                document.querySelectorAll('.step[data-step-id]').forEach(function (step) {
                  if (step.dataset.stepId === id) { show(step); }
                });
              }
              document.body.setAttribute('data-ready', 'true');
            })();
            """;
}
