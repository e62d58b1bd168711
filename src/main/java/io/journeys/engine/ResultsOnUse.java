package io.journeys.engine;

import io.journeys.expr.JsonValues;
import java.util.AbstractMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code journey.results}: the instance's kept answers (a call's, a cap's, an experiment's assignment), each read
 * from its JSON text when an expression first looks at it. The variables of an instance are built again after
 * every answer kept, and most expressions never read the results, so parsing them all each time cost more than
 * the expressions that did (about 2% of the feature-laden journeys' time). The texts must not change while the
 * map is in use: {@link StepContext} builds the variables again after it keeps an answer.
 */
final class ResultsOnUse extends AbstractMap<String, Object> {

    private final Map<String, String> texts;
    private final Map<String, Object> parsed = new HashMap<>();
    private Set<Entry<String, Object>> entries;

    ResultsOnUse(Map<String, String> texts) {
        this.texts = texts;
    }

    @Override
    public int size() {
        return texts.size();
    }

    @Override
    public boolean containsKey(Object key) {
        return texts.containsKey(key);
    }

    @Override
    public Object get(Object key) {
        Object value = parsed.get(key);
        if (value == null) {
            String text = texts.get(key);
            if (text == null) {
                return null;
            }
            value = JsonValues.objectFromText(text);
            parsed.put((String) key, value);
        }
        return value;
    }

    /** Every result, read (an expression that walks the whole map: equality, {@code size} aside). */
    @Override
    public Set<Entry<String, Object>> entrySet() {
        if (entries == null) {
            Map<String, Object> all = new LinkedHashMap<>();
            texts.keySet().forEach(stepId -> all.put(stepId, get(stepId)));
            entries = all.entrySet();
        }
        return entries;
    }
}
