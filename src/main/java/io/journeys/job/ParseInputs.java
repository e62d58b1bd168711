package io.journeys.job;

import io.journeys.avro.EngineInput;
import io.journeys.avro.RawRecord;
import io.journeys.engine.OutputTags;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Parses raw inputs; malformed ones go to the dead-letter side output. */
final class ParseInputs extends ProcessFunction<RawRecord, EngineInput> {

    private final InputParser parser;
    /** deadLetters.<code> of this operator: malformed inputs by error code (README, "Metrics"). */
    private transient java.util.Map<String, org.apache.flink.metrics.Counter> deadLettersByCode;

    ParseInputs(InputParser parser) {
        this.parser = parser;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext openContext) {
        deadLettersByCode = new java.util.HashMap<>();
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<EngineInput> out) {
        InputParser.Parsed parsed = parser.parse(raw);
        if (parsed.input() != null) {
            out.collect(parsed.input());
        } else {
            String code = parsed.deadLetter().getErrorCode();
            deadLettersByCode.computeIfAbsent(code,
                    c -> getRuntimeContext().getMetricGroup().addGroup("deadLetters").counter(c)).inc();
            ctx.output(OutputTags.DEAD_LETTERS, parsed.deadLetter());
        }
    }
}
