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

            assertThatThrownBy(() -> when.evaluateBoolean(variables))
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

            assertThatThrownBy(() -> when.evaluateBoolean(variables))
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

            assertThatThrownBy(() -> when.evaluateBoolean(variables))
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
            assertThat(Expressions.check(source, ExpressionType.BOOL)).hasValueSatisfying(
                    message -> assertThat(message).isNotBlank());
        }

        @Test
        void shouldReportAnUndeclaredVariableOrFunction() {
            assertThat(Expressions.check("customer.plan == 'pro'", ExpressionType.BOOL)).isPresent();
            assertThat(Expressions.check("weekOfYear(now) == 1", ExpressionType.BOOL)).isPresent();
            assertThat(Expressions.check("dayOfWeek('monday') == 1", ExpressionType.BOOL)).isPresent();
        }

        @ParameterizedTest(name = "\"{0}\"")
        @ValueSource(strings = {"dayOfWeek(now)", "1 + 2", "size(eventType)"})
        void shouldRefuseAConditionReturningAnInt(String source) {
            assertThat(Expressions.check(source, ExpressionType.BOOL)).hasValueSatisfying(message -> assertThat(message)
                    .contains("Expected an expression returning a bool")
                    .contains("int"));
        }

        @Test
        void shouldRefuseAnUntilThatIsNotATimestamp() {
            assertThat(Expressions.check("'tomorrow'", ExpressionType.TIMESTAMP)).hasValueSatisfying(
                    message -> assertThat(message).contains("a timestamp"));
            assertThat(Expressions.check("now > eventTime", ExpressionType.TIMESTAMP)).isPresent();
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
            assertThat(Expressions.check("profile.", ExpressionType.ANY)).isPresent();
        }

        @Test
        void shouldRefuseToCompileWhatCheckRefuses() {
            assertThatThrownBy(() -> Expressions.compile("dayOfWeek(now)", ExpressionType.BOOL))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Expressions.compile("profile.logins >", ExpressionType.BOOL))
                    .isInstanceOf(IllegalArgumentException.class);
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

            assertThatThrownBy(() -> until.evaluateTimestamp(variables))
                    .isInstanceOf(ExpressionException.class)
                    .hasMessageContaining("atLocalTime");
        }

        @Test
        void shouldFailAtEvaluationOnALiteralLocalTimeThatDoesNotParse() {
            CompiledExpression until = Expressions.compile("atLocalTime(now, \"nine\")", ExpressionType.TIMESTAMP);

            assertThatThrownBy(() -> until.evaluateTimestamp(at("2026-03-28T21:00:00Z")))
                    .isInstanceOf(ExpressionException.class)
                    .hasMessageContaining("nine");
        }

        @Test
        void shouldEvaluateTheSameCompiledExpressionInEachCallersTimeZone() throws Exception {
            CompiledExpression day = Expressions.compile("dayOfWeek(now)", ExpressionType.ANY);
            Instant fridayNight = instant("2026-03-27T23:30:00Z");

            assertThat(day.evaluate(Variables.inZone(PARIS).now(fridayNight))).isEqualTo(6L);
            assertThat(day.evaluate(Variables.inZone(ZoneId.of("America/New_York")).now(fridayNight))).isEqualTo(5L);
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

    private static Variables at(String now) {
        return Variables.inZone(PARIS).now(instant(now));
    }

    private static Instant instant(String text) {
        return Instant.parse(text);
    }

    private static boolean bool(String source, Variables variables) throws ExpressionException {
        return Expressions.compile(source, ExpressionType.BOOL).evaluateBoolean(variables);
    }

    private static Instant timestamp(String source, Variables variables) throws ExpressionException {
        return Expressions.compile(source, ExpressionType.TIMESTAMP).evaluateTimestamp(variables);
    }

    private static Object value(String source, Variables variables) throws ExpressionException {
        return Expressions.compile(source, ExpressionType.ANY).evaluate(variables);
    }
}
