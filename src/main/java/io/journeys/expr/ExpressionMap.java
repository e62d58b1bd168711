package io.journeys.expr;

import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.CelValue;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * A read-only map of expression values that CEL takes as it is.
 *
 * <p>Why it is a {@link CelValue}: on every field access ({@code event.amount}), CEL's runtime converts the
 * variable to its runtime form, and for a plain {@link Map} that means walking every entry, nested maps
 * included, to find values to normalise. The walk finds nothing to change in maps the engine builds (their
 * numbers are already longs and doubles), yet it was an eighth of the engine's time. CEL leaves a
 * {@code CelValue} alone, and since this one is also a {@link Map}, every map operation (selection, {@code
 * has()}, {@code in}, indexing, {@code size}, equality) still takes CEL's map path.
 *
 * <p>Only maps whose values are already in runtime form may be wrapped: longs (not ints), doubles, strings,
 * booleans, {@link NullValue}, timestamps, durations, lists, and maps. {@link JsonValues} builds them so.
 */
public final class ExpressionMap extends CelValue implements Map<String, Object> {

    // what CEL gives a plain Map, so that type(event.address) == map holds as it does for one
    private static final CelType TYPE = MapType.create(SimpleType.DYN, SimpleType.DYN);
    private static final ExpressionMap EMPTY = new ExpressionMap(Map.of());

    private final Map<String, Object> entries;

    private ExpressionMap(Map<String, Object> entries) {
        this.entries = entries;
    }

    /** The map as CEL takes it; {@code entries} must not change afterwards. */
    public static ExpressionMap of(Map<String, Object> entries) {
        if (entries instanceof ExpressionMap ready) {
            return ready;
        }
        return entries.isEmpty() ? EMPTY : new ExpressionMap(Collections.unmodifiableMap(entries));
    }

    public static ExpressionMap empty() {
        return EMPTY;
    }

    // ---- CelValue: CEL unwraps the value to this same map ----

    @Override
    public Object value() {
        return this;
    }

    @Override
    public boolean isZeroValue() {
        return entries.isEmpty();
    }

    @Override
    public CelType celType() {
        return TYPE;
    }

    // ---- Map, read-only ----

    @Override
    public int size() {
        return entries.size();
    }

    @Override
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        return entries.containsValue(value);
    }

    @Override
    public Object get(Object key) {
        return entries.get(key);
    }

    @Override
    public Object put(String key, Object value) {
        throw new UnsupportedOperationException("An expression map is read-only");
    }

    @Override
    public Object remove(Object key) {
        throw new UnsupportedOperationException("An expression map is read-only");
    }

    @Override
    public void putAll(Map<? extends String, ?> m) {
        throw new UnsupportedOperationException("An expression map is read-only");
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("An expression map is read-only");
    }

    @Override
    public Set<String> keySet() {
        return entries.keySet();
    }

    @Override
    public Collection<Object> values() {
        return entries.values();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return entries.entrySet();
    }

    @Override
    public boolean equals(Object other) {
        return other == this || entries.equals(other);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
