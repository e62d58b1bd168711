package io.journeys.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.journeys.avro.InstanceState;
import io.journeys.avro.ProfileWrite;
import io.journeys.dsl.Step;
import io.journeys.expr.CompiledExpression;
import io.journeys.expr.Evaluation;
import io.journeys.expr.JsonValues;
import java.util.Map;

/** Sets profile attributes from expressions: updates the profile at once and emits a profile write. */
final class UpdateProfileStepProcessor implements StepProcessor<Step.UpdateProfile> {

    @Override
    public StepOutcome run(Step.UpdateProfile step, StepContext context) {
        ObjectNode attributes = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, CompiledExpression> entry : context.journey().profileSets(step.id()).entrySet()) {
            Evaluation<Object> value = entry.getValue().evaluate(context.variables());
            if (value.failed()) {
                return StepOutcome.Fail.expression(ExpressionFailures.stepField(step.id(), "set/" + entry.getKey()),
                        value.failure());
            }
            attributes.set(entry.getKey(), JsonValues.toJson(value.value()));
        }
        context.setAttributes(attributes);
        InstanceState instance = context.instance();
        context.emitter().profileWrite(ProfileWrite.newBuilder()
                .setWriteId(context.requestId(step.id()))
                .setProfileId(context.profileId())
                .setJourneyId(instance.getJourneyId())
                .setJourneyVersion(instance.getJourneyVersion())
                .setInstanceId(instance.getInstanceId())
                .setStepId(step.id())
                .setAttributes(attributes.toString())
                .setTimestamp(context.now().toEpochMilli())
                .build());
        return StepOutcome.Next.to(step.next(), Step.Port.NEXT);
    }
}
