package io.journeys.dsl;

import java.util.List;

/**
 * Reads any published document, whichever kind it is (a journey, the default, or an action definition):
 * the one place that decides which parser a document goes to.
 *
 * <pre>{@code
 * Definition definition = DefinitionParser.parse(text, maxSteps);
 * if (!definition.valid()) { definition.problems().forEach(System.out::println); }
 * }</pre>
 */
public final class DefinitionParser {

    private DefinitionParser() {}

    /** A parsed document: exactly one of {@code journey} and {@code action} is set, valid or with its problems. */
    public record Definition(ParseResult journey, ActionParser.Result action) {

        public boolean isAction() {
            return action != null;
        }

        public boolean valid() {
            return isAction() ? action.valid() : journey.isValid();
        }

        public List<Problem> problems() {
            return isAction() ? action.problems() : journey.problems();
        }

        /** "id vN" of a journey, "action id vN" of an action; only for a valid definition. */
        public String describe() {
            return isAction() ? "action " + action.action().id() + " v" + action.action().version()
                    : journey.journey().id() + " v" + journey.journey().version();
        }
    }

    /** Parses a document of either kind; journeys may have at most {@code maxSteps} steps. */
    public static Definition parse(String document, int maxSteps) {
        if (DefinitionKind.of(document) == DefinitionKind.ACTION) {
            return new Definition(null, ActionParser.parse(document));
        }
        return new Definition(JourneyParser.parse(document, maxSteps), null);
    }

    /** Parses a document of either kind, with the default bound on steps. */
    public static Definition parse(String document) {
        return parse(document, JourneyParser.DEFAULT_MAX_STEPS);
    }
}
