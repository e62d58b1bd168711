package io.journeys.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpressionsTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /** The weekday rule of DESIGN §5: from a weekend, wait until Monday 09:00; on a weekday, go on now. */
    private static final String NEXT_WEEKDAY_MORNING = """
            dayOfWeek(now) == 6 ? atLocalTime(plusDays(now, 2), "09:00")
            : dayOfWeek(now) == 7 ? atLocalTime(plusDays(now, 1), "09:00")
            : now""";

    @Nested
    class Numbers {

        @ParameterizedTest(name = "logins {0}")
        @ValueSource(strings = {"5", "5.0", "150", "2.5"})
        void shouldCompareAJsonNumberWithAnIntWhateverItsJsonForm(String logins) throws Exception {
            Variables variables = Variables.inZone(ZoneOffset.UTC).profile(profile("{\"logins\": " + logins + "}"));

            assertThat(bool("profile.logins > 2", variables)).isTrue();
            assertThat(bool("profile.logins < 2", variables)).isFalse();
        }

        @Test
        void shouldReadJsonIntegersAsLongsAndOtherNumbersAsDoubles() {
            assertThat(profile("{\"logins\": 5}").get("logins")).isEqualTo(5L);
            assertThat(profile("{\"logins\": 5.0}").get("logins")).isEqualTo(5.0d);
        }

        @ParameterizedTest(name = "amount {0}")
        @ValueSource(strings = {"150", "150.0", "100.5"})
        void shouldCompareAJsonNumberWithADoubleWhateverItsJsonForm(String amount) throws Exception {
            Variables variables = event("{\"amount\": " + amount + "}");

            assertThat(bool("event.amount > 100.0", variables)).isTrue();
        }

        @ParameterizedTest(name = "amount {0}")
        @ValueSource(strings = {"100", "100.0", "99"})
        void shouldNotHoldForAnAmountThatIsNotAbove(String amount) throws Exception {
            assertThat(bool("event.amount > 100.0", event("{\"amount\": " + amount + "}"))).isFalse();
        }

        @ParameterizedTest(name = "{0} with logins {1}")
        @CsvSource(delimiter = '|', textBlock = """
                profile.logins == 5   | 5.0
                profile.logins == 5.0 | 5
                profile.logins == 5   | 5
                profile.logins == 5.0 | 5.0
                """)
        void shouldFindFiveEqualToFivePointZero(String expression, String logins) throws Exception {
            Variables variables = Variables.inZone(ZoneOffset.UTC).profile(profile("{\"logins\": " + logins + "}"));

            assertThat(bool(expression, variables)).isTrue();
            assertThat(bool(expression.replace("==", "!="), variables)).isFalse();
        }

        @Test
        void shouldCompareTwoJsonNumbersOfDifferentForms() throws Exception {
            Variables variables = Variables.inZone(ZoneOffset.UTC)
                    .profile(profile("{\"logins\": 5}"))
                    .event("purchase", Instant.EPOCH, profile("{\"threshold\": 4.5}"));

            assertThat(bool("profile.logins > event.threshold", variables)).isTrue();
        }
    }

    @Nested
    class MissingFields {

        @Test
        void shouldFailAtEvaluationWhenAFieldIsMissing() {
            CompiledExpression when = Expressions.compile("profile.x > 1", ExpressionType.BOOL);
            Variables variables = Variables.inZone(ZoneOffset.UTC).profile(profile("{\"y\": 2}"));

            assertThatThrownBy(() -> when.evaluateBoolean(variables).orThrow())
                    .isInstanceOf(ExpressionException.class)
                    .hasMessageContaining("profile.x > 1");
        }

        @Test
        void shouldLetHasGuardAMissingField() throws Exception {
            Variables without = Variables.inZone(ZoneOffset.UTC).profile(profile("{\"y\": 2}"));
            Variables with = Variables.inZone(ZoneOffset.UTC).profile(profile("{\"x\": 2}"));

            assertThat(bool("has(profile.x) && profile.x > 1", without)).isFalse();
            assertThat(bool("has(profile.x) && profile.x > 1", with)).isTrue();
            assertThat(bool("!has(profile.x) || profile.x > 1", without)).isTrue();
        }

        @Test
        void shouldRefuseADynResultThatIsNotABoolWhenEvaluatedAsACondition() {
            CompiledExpression when = Expressions.compile("profile.x", ExpressionType.BOOL);
            Variables variables = Variables.inZone(ZoneOffset.UTC).profile(profile("{\"x\": 3}"));

            assertThatThrownBy(() -> when.evaluateBoolean(variables).orThrow())
                    .isInstanceOf(ExpressionException.class)
                    .hasMessageContaining("bool");
        }
    }

    /** Objects reach CEL as ExpressionMaps, which CEL takes without converting: every map operation must hold. */
    @Nested
    class Maps {

        private final Variables variables = event("""
                {"amount": 42, "plan": "pro", "items": [{"sku": "a", "qty": 2}, {"sku": "b", "qty": 1}],
                 "address": {"city": "Lyon", "geo": {"lat": 45.76}}}""");

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {
                "event.address.geo.lat > 45.0",
                "has(event.address.city) && !has(event.address.zip)",
                "'plan' in event && !('zip' in event.address)",
                "size(event) == 4 && size(event.address) == 2",
                "event['plan'] == 'pro' && event.address['city'] == 'Lyon'",
                "event.items[1].sku == 'b' && event.items.exists(item, item.qty > 1)",
                "event.items.map(item, item.qty) == [2, 1]",
                "event.address == {'city': 'Lyon', 'geo': {'lat': 45.76}}",
                "event.address != {'city': 'Paris', 'geo': {'lat': 45.76}}",
                "type(event.address) == map",
                "event.all(key, key.size() > 3)"})
        void shouldHoldForEveryMapOperation(String source) throws Exception {
            assertThat(bool(source, variables)).isTrue();
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"{}", "[]", "{\"a\":1}", "{\"total\":12.5,\"plan\":\"pro\",\"ok\":true,\"none\":null}",
                "{\"nested\":{\"list\":[1,2.5,\"x\",{\"deep\":[]}],\"empty\":{}},\"quote\":\"say \\\"hi\\\"\\n\"}",
                "{\"big\":12345678901234567890,\"neg\":-0.0001,\"unicode\":\"caf\u00e9 \u2603\"}"})
        void shouldWriteJsonTextAsJacksonPrintsIt(String json) throws Exception {
            com.fasterxml.jackson.databind.JsonNode node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);

            assertThat(JsonValues.text(node)).isEqualTo(node.toString());
        }

        @Test
        void shouldFailOnAMissingKeyOfANestedMap() {
            CompiledExpression when = Expressions.compile("event.address.zip == '69001'", ExpressionType.BOOL);

            assertThatThrownBy(() -> when.evaluateBoolean(variables).orThrow())
                    .isInstanceOf(ExpressionException.class)
                    .hasMessageContaining("zip");
        }

        @Test
        void shouldGiveAMapResultThatReadsAndPrintsAsJson() throws Exception {
            Object address = value("event.address", variables);

            assertThat(address).isInstanceOf(Map.class).isEqualTo(Map.of("city", "Lyon", "geo", Map.of("lat", 45.76)));
            assertThat(JsonValues.toJson(address).toString()).isEqualTo("{\"city\":\"Lyon\",\"geo\":{\"lat\":45.76}}");
        }

        @Test
        void shouldTakeAPlainMapAndRefuseToChangeOne() throws Exception {
            Variables plain = Variables.inZone(ZoneOffset.UTC).profile(new java.util.HashMap<>(Map.of("tier", "gold")));

            assertThat(bool("profile.tier == 'gold' && has(profile.tier)", plain)).isTrue();
            assertThatThrownBy(() -> ExpressionMap.of(new java.util.HashMap<>(Map.of("a", 1L))).put("b", 2L))
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class Checking {

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"profile.logins >", "event.plan == 'trial", "(1 + 2", ""})
        void shouldReportAnExpressionThatDoesNotParse(String source) {
            assertThat(Expressions.check(source, ExpressionType.BOOL)).singleElement().satisfies(problem -> {
                assertThat(problem.kind()).isEqualTo(ExpressionProblem.Kind.INVALID);
                assertThat(problem.message()).isNotBlank();
            });
        }

        @Test
        void shouldReportAnUndeclaredVariableOrFunction() {
            assertThat(Expressions.check("customer.plan == 'pro'", ExpressionType.BOOL)).isNotEmpty();
            assertThat(Expressions.check("weekOfYear(now) == 1", ExpressionType.BOOL)).isNotEmpty();
            assertThat(Expressions.check("dayOfWeek('monday') == 1", ExpressionType.BOOL)).isNotEmpty();
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"dayOfWeek(now)", "1 + 2", "size(eventType)"})
        void shouldRefuseAConditionReturningAnInt(String source) {
            assertThat(Expressions.check(source, ExpressionType.BOOL)).singleElement()
                    .satisfies(problem -> assertThat(problem.message())
                            .contains("Expected an expression returning a bool")
                            .contains("int"));
        }

        @Test
        void shouldRefuseAnUntilThatIsNotATimestamp() {
            assertThat(Expressions.check("'tomorrow'", ExpressionType.TIMESTAMP)).singleElement()
                    .satisfies(problem -> assertThat(problem.message()).contains("a timestamp"));
            assertThat(Expressions.check("now > eventTime", ExpressionType.TIMESTAMP)).isNotEmpty();
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {
            "event.plan != 'trial'",
            "has(profile.loginCount) && profile.loginCount > 0",
            "profile.vip",
            "eventType == 'purchase' && now - eventTime < duration('1h')",
            "dayOfWeek(now) >= 6 && hourOfDay(now) < 9"})
        void shouldAcceptAWellTypedCondition(String source) {
            assertThat(Expressions.check(source, ExpressionType.BOOL)).isEmpty();
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"now + duration('2h')", "atLocalTime(plusDays(now, 1), '09:00')", "journey.entryTime",
            NEXT_WEEKDAY_MORNING})
        void shouldAcceptAWellTypedUntil(String source) {
            assertThat(Expressions.check(source, ExpressionType.TIMESTAMP)).isEmpty();
        }

        @Test
        void shouldAcceptAnyValueAsAParam() {
            assertThat(Expressions.check("profile.firstName", ExpressionType.ANY)).isEmpty();
            assertThat(Expressions.check("dayOfWeek(now)", ExpressionType.ANY)).isEmpty();
            assertThat(Expressions.check("profile.", ExpressionType.ANY)).isNotEmpty();
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"dayOfWeek(now)", "profile.logins >", "type(1) == dyn", "dyn",
            "event.text.matches('a(')"})
        void shouldRefuseToCompileWhatCheckRefuses(String source) {
            assertThat(Expressions.check(source, ExpressionType.BOOL)).isNotEmpty();
            assertThatThrownBy(() -> Expressions.compile(source, ExpressionType.BOOL))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"event.x", "dyn(event.x)", "[event.x][0]", "type(event.x) == int ? true : false",
            "{'a': event.x}['a']"})
        void shouldCompileWhateverCheckAcceptsEvenOfTypeDyn(String source) {
            assertThat(Expressions.check(source, ExpressionType.BOOL)).isEmpty();
            assertThat(Expressions.compile(source, ExpressionType.BOOL).source()).isEqualTo(source);
        }

        @Test
        void shouldReportATypeNameThatCheckingAcceptsButNoProgramCanUse() {
            // CEL's checker takes the type name dyn; its planner cannot resolve it: check must say so, not compile
            assertThat(Expressions.check("type(1) == dyn", ExpressionType.BOOL)).singleElement()
                    .satisfies(problem -> assertThat(problem.message()).contains("dyn"));
        }
    }

    /** The static bounds of ExpressionLimits: refused when the journey is checked, with every problem at once. */
    @Nested
    class StaticLimits {

        @Test
        void shouldAcceptAnExpressionOfExactlyTheMaximumLengthInCharactersNotUtf16Units() {
            String emoji = "\uD83D\uDE00"; // one character, two UTF-16 units
            String longest = "'" + emoji.repeat(ExpressionLimits.MAX_LENGTH - 2) + "'";

            assertThat(Expressions.check(longest, ExpressionType.ANY)).isEmpty();
            assertThat(overLimit("'" + "a".repeat(ExpressionLimits.MAX_LENGTH - 1) + "'", ExpressionType.ANY))
                    .contains("at most 4096 characters").contains("4097");
        }

        @Test
        void shouldRefuseNestingDeeperThanTheLimitButNotALongOrChain() {
            assertThat(Expressions.check("(".repeat(40) + "true" + ")".repeat(40), ExpressionType.BOOL)).isEmpty();
            assertThat(overLimit("(".repeat(60) + "true" + ")".repeat(60), ExpressionType.BOOL))
                    .contains("nested at most 50");
            assertThat(overLimit("1" + " + 1".repeat(60) + " > 0", ExpressionType.BOOL)).contains("nested at most 50");
            // CEL balances && and || chains: a condition of many clauses is long, not deep
            assertThat(Expressions.check("profile.a == 1" + " || profile.a == 1".repeat(199), ExpressionType.BOOL))
                    .isEmpty();
        }

        @Test
        void shouldRefuseNestedComprehensionsOverLiteralListsThatCouldIterateMoreThanTheLimit() {
            // 40 + 40 * 40 = 1,640 iterations; the same shape over 400-element lists would be 160,400
            assertThat(overLimit(list(40) + ".all(a, " + list(40) + ".all(b, a == b))", ExpressionType.BOOL))
                    .contains("at most 1000 comprehension iterations").contains("1640");
            assertThat(overLimit(list(10) + ".all(a, " + list(10) + ".all(b, " + list(10) + ".exists(c, a + b == c)))",
                    ExpressionType.BOOL)).contains("1110");
            assertThat(overLimit("{'a': 1, 'b': 2}.all(k, " + list(600) + ".exists(x, x == 1))", ExpressionType.BOOL))
                    .contains("1202");
            assertThat(Expressions.check(list(30) + ".all(a, " + list(30) + ".all(b, a == b))", ExpressionType.BOOL))
                    .isEmpty();
        }

        @Test
        void shouldCountAListFromDataAsOneElementAndRefuseWhatOneElementAlreadyExceeds() {
            assertThat(Expressions.check("event.items.all(a, " + list(999) + ".exists(b, a == b))",
                    ExpressionType.BOOL)).isEmpty();
            assertThat(overLimit("event.items.all(a, " + list(1000) + ".exists(b, a == b))", ExpressionType.BOOL))
                    .contains("1001");
        }

        @Test
        void shouldCountIterationsAsCelDoesSoThatWhatPassesTheCheckIsNotStoppedAtRunTime() throws Exception {
            // 24 + 24 * 40 = 984 iterations pass both; 25 + 25 * 40 = 1,025 fail both, statically and at run time
            String nested = ".all(a, " + list(40) + ".all(b, a != b || true))";
            assertThat(Expressions.check(list(24) + nested, ExpressionType.BOOL)).isEmpty();
            assertThat(bool(list(24) + nested, Variables.inZone(ZoneOffset.UTC))).isTrue();
            assertThat(overLimit(list(25) + nested, ExpressionType.BOOL)).contains("1025");

            CompiledExpression fromData = Expressions.compile("event.items" + nested, ExpressionType.BOOL);
            assertThat(fromData.evaluateBoolean(items(24)).orThrow()).isTrue();
            assertThatThrownBy(() -> fromData.evaluateBoolean(items(25)).orThrow()).isInstanceOf(ExpressionException.class)
                    .satisfies(e -> assertThat(((ExpressionException) e).reason())
                            .isEqualTo(ExpressionException.Reason.OVER_LIMIT));
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {
            "((a{1000}){1000}){1000}", // a billion instructions: compiling it would exhaust the heap
            "(a{100}){100}", // 10,202 instructions
            "x{1000}y", // 1,003
            "[a-z]{1,300}@[a-z]{1,300}\\\\.[a-z]{2,300}"})
        void shouldRefuseALiteralPatternWhoseProgramIsLargerThanTheLimit(String pattern) {
            assertThat(overLimit("event.text.matches('" + pattern + "')", ExpressionType.BOOL))
                    .contains("at most 1000 instructions");
            assertThat(overLimit("matches(event.text, '" + pattern + "')", ExpressionType.BOOL))
                    .contains("at most 1000 instructions");
        }

        @Test
        void shouldRefuseGroupsNestedSoDeepThatCompilingThemWouldOverflowTheStack() {
            String deep = "(".repeat(1500) + "a" + ")".repeat(1500);

            assertThat(overLimit("event.text.matches('" + deep + "')", ExpressionType.BOOL)).contains("deeper than 50");
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"^[a-z0-9._%+-]+@[a-z0-9.-]+\\\\.[a-z]{2,}$", "^\\\\+?[0-9]{7,15}$",
            "[a-z]{1,499}x", "(?i)^(promo|sale)[-_ ]?[0-9]{2,4}$", "\\\\Qa{1000}\\\\E",
            "[a-z]{1,100}@[a-z]{1,100}\\\\.[a-z]{2,300}"})
        void shouldAcceptAnOrdinaryLiteralPatternUpToTheLimit(String pattern) {
            assertThat(Expressions.check("event.text.matches('" + pattern + "')", ExpressionType.BOOL)).isEmpty();
        }

        @Test
        void shouldRefuseALiteralPatternThatDoesNotCompileAsAnInvalidExpression() {
            assertThat(Expressions.check("event.text.matches('a(')", ExpressionType.BOOL)).singleElement()
                    .satisfies(problem -> {
                        assertThat(problem.kind()).isEqualTo(ExpressionProblem.Kind.INVALID);
                        assertThat(problem.message()).contains("Expected a valid regular expression").contains("a(");
                    });
        }

        @Test
        void shouldListEveryProblemOfOneExpressionAtOnce() {
            String source = "event.text.matches('(a{100}){100}') && event.name.matches('b(') && "
                    + list(40) + ".all(a, " + list(40) + ".all(b, a == b)) ? 1 : 2";

            assertThat(Expressions.check(source, ExpressionType.BOOL))
                    .extracting(ExpressionProblem::kind, problem -> problem.message().substring(0, 20))
                    .containsExactlyInAnyOrder(
                            org.assertj.core.groups.Tuple.tuple(ExpressionProblem.Kind.INVALID, "Expected an expressi"),
                            org.assertj.core.groups.Tuple.tuple(ExpressionProblem.Kind.OVER_LIMIT, "Expected a regular e"),
                            org.assertj.core.groups.Tuple.tuple(ExpressionProblem.Kind.INVALID, "Expected a valid reg"),
                            org.assertj.core.groups.Tuple.tuple(ExpressionProblem.Kind.OVER_LIMIT, "Expected at most 100"));
        }

        @Test
        void shouldPinTheMessageByWhichCelReportsItsRecursionLimit() {
            // Expressions tells nesting from other parse errors by this message: a new cel-java must keep it
            dev.cel.common.CelValidationResult result = dev.cel.bundle.CelFactory.standardCelBuilder()
                    .setOptions(dev.cel.common.CelOptions.current().maxParseRecursionDepth(3).build()).build()
                    .compile("((((1))))");
            assertThat(result.getErrors()).anySatisfy(issue -> assertThat(issue.getMessage())
                    .startsWith("Expression recursion limit exceeded"));
        }
    }

    /** The run-time bounds: an evaluation that reaches one stops at once with reason OVER_LIMIT (EXP-003). */
    @Nested
    class RunTimeLimits {

        @Test
        void shouldStopNestedComprehensionsOverDataThatWouldTakeAHundredMillionIterations() throws Exception {
            CompiledExpression pairs = Expressions.compile("event.items.all(a, event.items.all(b, a + b >= 0))",
                    ExpressionType.BOOL);

            assertThat(pairs.evaluateBoolean(items(30)).orThrow()).isTrue(); // 930 iterations
            assertThat(stopped(pairs, items(10_000))).contains("Iteration budget exceeded: 1000");
        }

        @Test
        void shouldStopAMapOverDataAtTheLimitOfIterations() {
            CompiledExpression doubled = Expressions.compile("event.items.map(x, x * 2)", ExpressionType.ANY);

            assertThat(stopped(doubled, items(5_000))).contains("Iteration budget exceeded");
        }

        @Test
        void shouldStopAPatternFromDataThatWouldNeedABillionInstructionsBeforeCompilingIt() {
            CompiledExpression match = Expressions.compile("event.text.matches(event.pattern)", ExpressionType.BOOL);

            assertThat(stopped(match, text("aaaa", "((a{1000}){1000}){1000}"))).contains("at most 1000 instructions");
            assertThat(stopped(match, text("aaaa", "(".repeat(5000) + "a" + ")".repeat(5000))))
                    .contains("deeper than 50");
            assertThat(stopped(match, text("aaaa", "x{1000}y"))).contains("has 1003");
        }

        @Test
        void shouldFailOnAnInvalidPatternFromDataWithoutCallingItALimit() {
            CompiledExpression match = Expressions.compile("event.text.matches(event.pattern)", ExpressionType.BOOL);

            assertThatThrownBy(() -> match.evaluateBoolean(text("aaaa", "a(")).orThrow())
                    .isInstanceOf(ExpressionException.class)
                    .hasMessageContaining("missing closing )")
                    .satisfies(e -> assertThat(((ExpressionException) e).reason())
                            .isEqualTo(ExpressionException.Reason.FAILED));
        }

        @Test
        void shouldStopMatchingWhenTextLengthTimesProgramSizeExceedsTheWorkOfOneEvaluation() throws Exception {
            // a 1,000-instruction pattern over 60,000 characters: about two seconds of matching without the bound
            CompiledExpression match = Expressions.compile("event.text.matches('[a-z]{1,499}x')", ExpressionType.BOOL);

            assertThat(match.evaluateBoolean(text("a".repeat(900), "")).orThrow()).isFalse(); // 900,000 units
            assertThat(stopped(match, text("a".repeat(60_000), ""))).contains("brings it to 60000000");
        }

        @Test
        void shouldAddUpTheRegexWorkOfAllCallsOfOneEvaluationButStartAfreshOnTheNext() throws Exception {
            // '^b' is 4 instructions: 500 characters cost 2,000 a call, 499 calls 998,000, 501 calls 1,002,000
            CompiledExpression each = Expressions.compile("event.items.all(x, !event.text.matches('^b'))",
                    ExpressionType.BOOL);
            Variables within = textAndItems("a".repeat(500), 499);

            assertThat(each.evaluateBoolean(within).orThrow()).isTrue();
            assertThat(each.evaluateBoolean(within).orThrow()).isTrue();
            assertThat(stopped(each, textAndItems("a".repeat(500), 501))).contains("brings it to 1002000");
        }

        @Test
        void shouldKeepCelsMatchesSemanticsAPatternMatchesAnyPartOfTheText() throws Exception {
            Variables none = Variables.inZone(ZoneOffset.UTC);

            assertThat(bool("'abc'.matches('b')", none)).isTrue();
            assertThat(bool("matches('abc', '^b')", none)).isFalse();
            assertThat(bool("'abc'.matches('^a.c$')", none)).isTrue();
        }

        @Test
        void shouldTellAWrongTypeFromAFailure() {
            CompiledExpression plan = Expressions.compile("event.plan", ExpressionType.BOOL);

            assertThatThrownBy(() -> plan.evaluateBoolean(event("{\"plan\": \"pro\"}")).orThrow())
                    .isInstanceOf(ExpressionException.class)
                    .satisfies(e -> assertThat(((ExpressionException) e).reason())
                            .isEqualTo(ExpressionException.Reason.WRONG_TYPE));
            assertThatThrownBy(() -> plan.evaluateBoolean(event("{}")).orThrow())
                    .satisfies(e -> assertThat(((ExpressionException) e).reason())
                            .isEqualTo(ExpressionException.Reason.FAILED));
        }

        private String stopped(CompiledExpression expression, Variables variables) {
            try {
                expression.evaluate(variables).orThrow();
            } catch (ExpressionException e) {
                assertThat(e.reason()).as(e.getMessage()).isEqualTo(ExpressionException.Reason.OVER_LIMIT);
                return e.getMessage();
            }
            throw new AssertionError("Expected \"" + expression + "\" to be stopped by a limit, but it returned");
        }
    }

    @Nested
    class Calendar {

        @ParameterizedTest(name = "{0} is day {1} at hour {2} in Paris")
        @CsvSource(textBlock = """
                2026-03-23T08:00:00Z, 1, 9
                2026-03-27T22:59:00Z, 5, 23
                2026-03-27T23:30:00Z, 6, 0
                2026-03-28T21:00:00Z, 6, 22
                2026-03-28T23:00:00Z, 7, 0
                2026-03-29T00:59:00Z, 7, 1
                2026-03-29T01:00:00Z, 7, 3
                2026-03-29T21:59:00Z, 7, 23
                2026-03-29T22:00:00Z, 1, 0
                """)
        void shouldGiveTheLocalDayOfWeekAndHourOfDay(String now, long day, long hour) throws Exception {
            Variables variables = at(now);

            assertThat(value("dayOfWeek(now)", variables)).isEqualTo(day);
            assertThat(value("hourOfDay(now)", variables)).isEqualTo(hour);
        }

        @Test
        void shouldBeAlreadySaturdayInParisAtHalfPastElevenUtcOnAFriday() throws Exception {
            Variables fridayNight = at("2026-03-27T23:30:00Z");

            assertThat(value("dayOfWeek(now)", Variables.inZone(ZoneOffset.UTC).now(instant("2026-03-27T23:30:00Z"))))
                    .isEqualTo(5L);
            assertThat(value("dayOfWeek(now)", fridayNight)).isEqualTo(6L);
            assertThat(value("hourOfDay(now)", fridayNight)).isEqualTo(0L);
        }

        @Test
        void shouldKeepTheLocalWallTimeWhenAddingDaysAcrossTheDaylightSavingChange() throws Exception {
            // Saturday 09:00 CET (+01:00) plus one day is Sunday 09:00 CEST (+02:00): 23 hours later.
            assertThat(timestamp("plusDays(now, 1)", at("2026-03-28T08:00:00Z")))
                    .isEqualTo(instant("2026-03-29T07:00:00Z"));
            // And back again, 25 hours later in autumn: Saturday 24 October 09:00 CEST to Sunday 09:00 CET.
            assertThat(timestamp("plusDays(now, 1)", at("2026-10-24T07:00:00Z")))
                    .isEqualTo(instant("2026-10-25T08:00:00Z"));
            assertThat(timestamp("plusDays(now, -1)", at("2026-03-29T07:00:00Z")))
                    .isEqualTo(instant("2026-03-28T08:00:00Z"));
        }

        @Test
        void shouldReachMondayNineInTheMorningFromSaturdayNightAcrossTheDaylightSavingChange() throws Exception {
            Variables saturdayNight = at("2026-03-28T21:00:00Z"); // 22:00 CET

            assertThat(timestamp("atLocalTime(plusDays(now, 2), \"09:00\")", saturdayNight))
                    .isEqualTo(instant("2026-03-30T07:00:00Z")); // 09:00 CEST
        }

        @Test
        void shouldTakeTheLocalDateNotTheUtcDateInAtLocalTime() throws Exception {
            // 23:30 UTC on Friday is Saturday 00:30 in Paris: 09:00 that day is Saturday 08:00 UTC.
            assertThat(timestamp("atLocalTime(now, \"09:00\")", at("2026-03-27T23:30:00Z")))
                    .isEqualTo(instant("2026-03-28T08:00:00Z"));
        }

        @Test
        void shouldMoveALocalTimeSkippedByTheDaylightSavingChangeForwardByTheGap() throws Exception {
            // 02:30 does not exist in Paris on 2026-03-29; it becomes 03:30 CEST.
            assertThat(timestamp("atLocalTime(now, \"02:30\")", at("2026-03-29T10:00:00Z")))
                    .isEqualTo(instant("2026-03-29T01:30:00Z"));
        }

        @ParameterizedTest(name = "{0} waits until {1}")
        @CsvSource(textBlock = """
                2026-03-28T21:00:00Z, 2026-03-30T07:00:00Z
                2026-03-27T23:30:00Z, 2026-03-30T07:00:00Z
                2026-03-29T10:00:00Z, 2026-03-30T07:00:00Z
                2026-03-29T21:59:00Z, 2026-03-30T07:00:00Z
                2026-03-29T22:00:00Z, 2026-03-29T22:00:00Z
                2026-03-27T22:59:00Z, 2026-03-27T22:59:00Z
                2026-03-25T12:00:00Z, 2026-03-25T12:00:00Z
                """)
        void shouldWaitFromTheWeekendUntilMondayMorningWithTheWeekdayFormula(String now, String until)
                throws Exception {
            assertThat(timestamp(NEXT_WEEKDAY_MORNING, at(now))).isEqualTo(instant(until));
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"9am", "25:00", "09:60", "", "09h00"})
        void shouldFailAtEvaluationOnALocalTimeThatDoesNotParse(String time) {
            CompiledExpression until = Expressions.compile("atLocalTime(now, profile.sendAt)", ExpressionType.TIMESTAMP);
            Variables variables = at("2026-03-28T21:00:00Z").profile(Map.of("sendAt", time));

            assertThatThrownBy(() -> until.evaluateTimestamp(variables).orThrow())
                    .isInstanceOf(ExpressionException.class)
                    .hasMessageContaining("atLocalTime");
        }

        @Test
        void shouldFailAtEvaluationOnALiteralLocalTimeThatDoesNotParse() {
            CompiledExpression until = Expressions.compile("atLocalTime(now, \"nine\")", ExpressionType.TIMESTAMP);

            assertThatThrownBy(() -> until.evaluateTimestamp(at("2026-03-28T21:00:00Z")).orThrow())
                    .isInstanceOf(ExpressionException.class)
                    .hasMessageContaining("nine");
        }

        @Test
        void shouldEvaluateTheSameCompiledExpressionInEachCallersTimeZone() throws Exception {
            CompiledExpression day = Expressions.compile("dayOfWeek(now)", ExpressionType.ANY);
            Instant fridayNight = instant("2026-03-27T23:30:00Z");

            assertThat(day.evaluate(Variables.inZone(PARIS).now(fridayNight)).orThrow()).isEqualTo(6L);
            assertThat(day.evaluate(Variables.inZone(ZoneId.of("America/New_York")).now(fridayNight)).orThrow()).isEqualTo(5L);
        }
    }

    // ---- helpers ----

    private static Map<String, Object> profile(String json) {
        return JsonValues.objectFromText(json);
    }

    private static Variables event(String payloadJson) {
        return Variables.inZone(ZoneOffset.UTC)
                .event("purchase", Instant.parse("2026-03-01T09:00:00Z"), JsonValues.objectFromText(payloadJson));
    }

    /** A literal list of {@code size} zeros. */
    private static String list(int size) {
        return "[" + String.join(",", java.util.Collections.nCopies(size, "0")) + "]";
    }

    private static Variables items(int size) {
        return textAndItems("", size);
    }

    private static Variables textAndItems(String text, int size) {
        java.util.List<Object> items = new java.util.ArrayList<>();
        for (long i = 0; i < size; i++) {
            items.add(i);
        }
        return Variables.inZone(ZoneOffset.UTC).event("purchase", Instant.parse("2026-03-01T09:00:00Z"),
                ExpressionMap.of(Map.of("items", java.util.Collections.unmodifiableList(items), "text", text)));
    }

    private static Variables text(String text, String pattern) {
        return Variables.inZone(ZoneOffset.UTC).event("purchase", Instant.parse("2026-03-01T09:00:00Z"),
                ExpressionMap.of(Map.of("text", text, "pattern", pattern)));
    }

    /** The message of the one problem of {@code source}, which must be a limit. */
    private static String overLimit(String source, ExpressionType type) {
        java.util.List<ExpressionProblem> problems = Expressions.check(source, type);
        assertThat(problems).as(source).singleElement()
                .satisfies(problem -> assertThat(problem.kind()).isEqualTo(ExpressionProblem.Kind.OVER_LIMIT));
        return problems.get(0).message();
    }

    private static Variables at(String now) {
        return Variables.inZone(PARIS).now(instant(now));
    }

    private static Instant instant(String text) {
        return Instant.parse(text);
    }

    private static boolean bool(String source, Variables variables) throws ExpressionException {
        return Expressions.compile(source, ExpressionType.BOOL).evaluateBoolean(variables).orThrow();
    }

    private static Instant timestamp(String source, Variables variables) throws ExpressionException {
        return Expressions.compile(source, ExpressionType.TIMESTAMP).evaluateTimestamp(variables).orThrow();
    }

    private static Object value(String source, Variables variables) throws ExpressionException {
        return Expressions.compile(source, ExpressionType.ANY).evaluate(variables).orThrow();
    }
}
