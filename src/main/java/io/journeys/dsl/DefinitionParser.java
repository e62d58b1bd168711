package io.journeys.dsl;

import java.util.List;

/**
 * Reads any published document, whichever kind it is (a journey, the default; an action definition; a rule
 * set): the one place that decides which parser a document goes to.
 *
 * <pre>{@code
 * Definition definition = DefinitionParser.parse(text, maxSteps);
 * if (!definition.valid()) { definition.problems().forEach(System.out::println); }
 * }</pre>
 */
public final class DefinitionParser {

    private DefinitionParser() {}

    /** A parsed document: exactly one of {@code journey}, {@code action} and {@code rules} is set, valid or with its problems. */
    public record Definition(ParseResult journey, ActionParser.Result action, RulesParser.Result rules) {

        public DefinitionKind kind() {
            return action != null ? DefinitionKind.ACTION : rules != null ? DefinitionKind.RULES : DefinitionKind.JOURNEY;
        }

        public boolean isJourney() {
            return kind() == DefinitionKind.JOURNEY;
        }

        public boolean isAction() {
            return kind() == DefinitionKind.ACTION;
        }

        public boolean isRules() {
            return kind() == DefinitionKind.RULES;
        }

        public boolean valid() {
            return switch (kind()) {
                case ACTION -> action.valid();
                case RULES -> rules.valid();
                case JOURNEY -> journey.isValid();
            };
        }

        public List<Problem> problems() {
            return switch (kind()) {
                case ACTION -> action.problems();
                case RULES -> rules.problems();
                case JOURNEY -> journey.problems();
            };
        }

        /** "id vN" of a journey, "action id vN" of an action, "rules id vN" of a rule set; only for a valid definition. */
        public String describe() {
            return switch (kind()) {
                case ACTION -> "action " + action.action().id() + " v" + action.action().version();
                case RULES -> "rules " + rules.rules().id() + " v" + rules.rules().version();
                case JOURNEY -> journey.journey().id() + " v" + journey.journey().version();
            };
        }
    }

    /** Parses a document of any kind; journeys may have at most {@code maxSteps} steps. */
    public static Definition parse(String document, int maxSteps) {
        return switch (DefinitionKind.of(document)) {
            case ACTION -> new Definition(null, ActionParser.parse(document), null);
            case RULES -> new Definition(null, null, RulesParser.parse(document));
            case JOURNEY -> new Definition(JourneyParser.parse(document, maxSteps), null, null);
        };
    }

    /** Parses a document of any kind, with the default bound on steps. */
    public static Definition parse(String document) {
        return parse(document, JourneyParser.DEFAULT_MAX_STEPS);
    }
}
