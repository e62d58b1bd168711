package io.journeys.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * A seeded generator of test values for property tests ({@link PropertyTries}), with no shrinking.
 *
 * <p>The property tests were first written with jqwik 1.10.1, whose author asks AI agents not to use it. These
 * generators draw values the way jqwik's defaults did, so that the tests keep exploring the same inputs:
 * <ul>
 *   <li>integers are biased towards the bound nearest zero: the range is cut into partitions, each a third of
 *       the distance left, and a partition is chosen uniformly before a value in it (in 1..300, a quarter of the
 *       values fall in 1..11);
 *   <li>a choice among values is uniform;
 *   <li>list sizes are uniform up to a cutoff ten above the least size, and beyond it only one time in ten
 *       (one in fifty the largest size); three lists in a hundred hold distinct elements only;
 *   <li>every generator, at every level, sometimes returns one of its <em>edge cases</em> instead: bounds and
 *       small numbers, the first and last of a choice, one-element lists, and the combinations of its parts'
 *       edge cases (one time in {@code min(max(genSize / edgeCases, 5), 20)}).
 * </ul>
 * {@code genSize} is the number of tries, as jqwik's generation size is.
 */
public final class Gen<T> {

    /** Draws one value from the generator's own distribution, its parts drawn with their edge cases. */
    @FunctionalInterface
    private interface Draw<T> {
        T from(Random random, int genSize);
    }

    private final Draw<T> draw;
    private final IntFunction<List<T>> edgeCases;

    // edge cases depend only on how many are asked for, and a property asks for the same number every time
    // (not thread-safe: a property runs its tries one after the other)
    private int cachedEdgeCasesFor = -1;
    private List<T> cachedEdgeCases;

    private Gen(Draw<T> draw, IntFunction<List<T>> edgeCases) {
        this.draw = draw;
        this.edgeCases = edgeCases;
    }

    /** One value: one of the edge cases now and then, else a value of the generator's distribution. */
    public T next(Random random, int genSize) {
        List<T> edges = edgeCases(Math.max(genSize, 10));
        if (!edges.isEmpty() && random.nextInt(edgeCaseRatio(genSize, edges.size())) == 0) {
            return edges.get(random.nextInt(edges.size()));
        }
        return draw.from(random, genSize);
    }

    /** At most {@code max} edge cases, in a fixed order. */
    public List<T> edgeCases(int max) {
        if (max != cachedEdgeCasesFor) {
            cachedEdgeCases = max <= 0 ? List.of() : List.copyOf(edgeCases.apply(max));
            cachedEdgeCasesFor = max;
        }
        return cachedEdgeCases;
    }

    /** Of every how many values one is an edge case (for a property: of every how many tries, plus one). */
    static int edgeCaseRatio(int genSize, int edgeCaseCount) {
        return Math.min(Math.max(genSize / edgeCaseCount, 5), 20);
    }

    // ---- integers ----

    /** Integers from min to max, both included. */
    public static Gen<Integer> integers(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("Expected min <= max, but found " + min + " > " + max);
        }
        if (min == max) {
            return new Gen<>((random, genSize) -> min, n -> List.of(min));
        }
        long target = Math.max(min, Math.min(max, 0)); // the value nearest zero
        List<long[]> partitions = partitions(min, max, target);
        Draw<Integer> draw = (random, genSize) -> {
            long[] partition = partitions.get(random.nextInt(partitions.size()));
            return (int) random.nextLong(partition[0], partition[1] + 1);
        };
        List<Integer> edges = new ArrayList<>(new LinkedHashSet<>(List.of(-2, -1, 0, 2, 1, min, min + 1, max, max - 1)));
        edges.removeIf(value -> value < min || value > max);
        return new Gen<>(draw, n -> edges.subList(0, Math.min(n, edges.size())));
    }

    /**
     * Cuts [min, max] at points that close in on the target: from each bound, a point a third of the way (for
     * ranges under a million) from the target to the last point, until fewer than 21 values are left.
     */
    private static List<long[]> partitions(long min, long max, long target) {
        List<Long> points = new ArrayList<>();
        if (target > min) {
            points.addAll(pointsTowards(min, target, -1));
        }
        if (target < max) {
            points.addAll(pointsTowards(max, target, 1));
        }
        if (target > min && target < max && !points.isEmpty()) {
            points.add(target);
        }
        points.sort(null);
        List<long[]> partitions = new ArrayList<>();
        long lower = min;
        for (long point : points) {
            if (point <= lower) {
                continue;
            }
            if (point >= max) {
                break;
            }
            partitions.add(new long[] {lower, point - 1});
            lower = point;
        }
        partitions.add(new long[] {lower, max});
        return partitions;
    }

    private static List<Long> pointsTowards(long bound, long target, int side) {
        List<Long> points = new ArrayList<>();
        long point = bound;
        while (Math.abs(target - point) > 20) {
            long range = Math.abs(target - point);
            long distance = range / partitionRatio(range);
            if (distance == 0) {
                break;
            }
            point = target + side * distance;
            points.add(point);
        }
        return points;
    }

    /** 3 below about a million values; wider ranges are cut closer to the target. */
    private static long partitionRatio(long range) {
        int bits = 64 - Long.numberOfLeadingZeros(range);
        int approximateDecimals = bits / 10 * 3;
        return Math.max((long) Math.pow(approximateDecimals / 5.0, 10), 3);
    }

    // ---- choices ----

    @SafeVarargs
    public static <T> Gen<T> of(T... values) {
        return of(Arrays.asList(values));
    }

    /** One of the values, uniformly; the edge cases are the first and the last. */
    public static <T> Gen<T> of(List<T> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("Expected values to choose from, but found none");
        }
        List<T> choices = List.copyOf(values);
        List<T> edges = choices.size() == 1 ? choices : List.of(choices.get(0), choices.get(choices.size() - 1));
        return new Gen<>((random, genSize) -> choices.get(random.nextInt(choices.size())),
                n -> edges.subList(0, Math.min(n, edges.size())));
    }

    // ---- lists ----

    /** Lists of minSize to maxSize elements of this generator; the edge cases are its edge cases alone in a list. */
    public Gen<List<T>> list(int minSize, int maxSize) {
        if (minSize < 0 || minSize > 1 || maxSize < Math.max(minSize, 1)) {
            // jqwik also offers an empty list and lists of a repeated edge case; these tests need neither
            throw new IllegalArgumentException(
                    "Expected 0 or 1 elements at least and at least 1 at most, but found " + minSize + ".." + maxSize);
        }
        Gen<T> element = this;
        Draw<List<T>> draw = (random, genSize) -> {
            int size = size(random, minSize, maxSize, genSize);
            boolean distinct = size >= 2 && random.nextInt(100) <= 2;
            return distinct ? distinctElements(element, size, random, genSize) : elements(element, size, random, genSize);
        };
        return new Gen<>(draw, n -> {
            List<List<T>> edges = new ArrayList<>();
            if (minSize == 0) {
                edges.add(List.of());
            }
            element.edgeCases(n - edges.size()).forEach(edge -> edges.add(List.of(edge)));
            return edges;
        });
    }

    private static int size(Random random, int minSize, int maxSize, int genSize) {
        int offset = (int) Math.max(Math.round(Math.sqrt(genSize)), 10);
        int cutoff = maxSize - minSize <= offset ? maxSize : Math.min(minSize + offset, maxSize);
        if (cutoff >= maxSize) {
            return uniform(random, minSize, maxSize);
        }
        double largest = Math.min(0.02, 1.0 / (genSize / 10.0));
        if (random.nextDouble() <= largest) {
            return maxSize;
        }
        if (random.nextDouble() <= 0.1 + largest) {
            return uniform(random, cutoff + 1, maxSize);
        }
        return uniform(random, minSize, cutoff);
    }

    private static int uniform(Random random, int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    private static <T> List<T> elements(Gen<T> element, int size, Random random, int genSize) {
        List<T> elements = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            elements.add(element.next(random, genSize));
        }
        return elements;
    }

    /** Distinct elements while they can be found; then any, shuffled so that repeats are not all at the end. */
    private static <T> List<T> distinctElements(Gen<T> element, int size, Random random, int genSize) {
        List<T> elements = new ArrayList<>(size);
        Set<T> seen = new HashSet<>();
        int misses = 0;
        while (elements.size() < size && misses < 10_000) {
            T value = element.next(random, genSize);
            if (seen.add(value)) {
                elements.add(value);
            } else {
                misses++;
            }
        }
        if (elements.size() < size) {
            elements.addAll(elements(element, size - elements.size(), random, genSize));
            java.util.Collections.shuffle(elements, random);
        }
        return elements;
    }

    // ---- combinations ----

    @FunctionalInterface
    public interface Fn2<A, B, R> {
        R apply(A a, B b);
    }

    @FunctionalInterface
    public interface Fn3<A, B, C, R> {
        R apply(A a, B b, C c);
    }

    @FunctionalInterface
    public interface Fn5<A, B, C, D, E, R> {
        R apply(A a, B b, C c, D d, E e);
    }

    /** A value made of one value of each generator; the edge cases are made of their edge cases. */
    @SuppressWarnings("unchecked")
    public static <A, B, C, R> Gen<R> combine(Gen<A> a, Gen<B> b, Gen<C> c, Fn3<A, B, C, R> make) {
        return combination(List.<Gen<?>>of(a, b, c), v -> make.apply((A) v.get(0), (B) v.get(1), (C) v.get(2)));
    }

    /** A value made of one value of each generator; the edge cases are made of their edge cases. */
    @SuppressWarnings("unchecked")
    public static <A, B, C, D, E, R> Gen<R> combine(Gen<A> a, Gen<B> b, Gen<C> c, Gen<D> d, Gen<E> e,
            Fn5<A, B, C, D, E, R> make) {
        return combination(List.<Gen<?>>of(a, b, c, d, e),
                v -> make.apply((A) v.get(0), (B) v.get(1), (C) v.get(2), (D) v.get(3), (E) v.get(4)));
    }

    /** A value made of one value of each generator; the edge cases are made of their edge cases. */
    @SuppressWarnings("unchecked")
    public static <A, B, R> Gen<R> combine(Gen<A> a, Gen<B> b, Fn2<A, B, R> make) {
        return combination(List.<Gen<?>>of(a, b), v -> make.apply((A) v.get(0), (B) v.get(1)));
    }

    /**
     * A value of this generator, then one of {@code then} drawn after it from the same random numbers: this
     * generator draws exactly the values it draws alone, from the same seed, with the same edge cases (each
     * made with {@code then}'s first edge case), so that a property can draw more without changing what it drew
     * before. Unlike {@link #combine}, {@code then}'s edge cases only ever come from its own draws.
     */
    public <B, R> Gen<R> followedBy(Gen<B> then, Fn2<T, B, R> make) {
        Draw<R> draw = (random, genSize) -> {
            T first = this.draw.from(random, genSize); // next() of the result has made this generator's edge-case draw
            return make.apply(first, then.next(random, genSize));
        };
        return new Gen<>(draw, n -> {
            List<B> thenEdges = then.edgeCases(1);
            if (thenEdges.isEmpty()) {
                throw new IllegalStateException("Expected the generator drawn after to have an edge case, but it has none");
            }
            return edgeCases(n).stream().map(first -> make.apply(first, thenEdges.get(0))).toList();
        });
    }

    private static <R> Gen<R> combination(List<Gen<?>> parts, java.util.function.Function<List<Object>, R> make) {
        Draw<R> draw = (random, genSize) -> {
            List<Object> values = new ArrayList<>(parts.size());
            for (Gen<?> part : parts) {
                values.add(part.next(random, genSize));
            }
            return make.apply(values);
        };
        return new Gen<>(draw, n -> combinedEdgeCases(parts, n).stream().map(make).toList());
    }

    /**
     * The first {@code max} combinations of the parts' edge cases, the last part varying fastest. Each part
     * after the first is asked for fewer edge cases (max divided by the combinations so far, at least one), so
     * that the first parts' edge cases all take part.
     */
    private static List<List<Object>> combinedEdgeCases(List<Gen<?>> parts, int max) {
        List<List<?>> edges = new ArrayList<>();
        int wanted = max;
        for (Gen<?> part : parts) {
            List<?> partEdges = part.edgeCases(wanted);
            if (partEdges.isEmpty()) {
                return List.of();
            }
            edges.add(partEdges);
            wanted = (int) Math.max(1, Math.ceil((double) wanted / partEdges.size()));
        }
        List<List<Object>> combinations = new ArrayList<>();
        int[] index = new int[parts.size()];
        while (combinations.size() < max) {
            List<Object> combination = new ArrayList<>(parts.size());
            for (int i = 0; i < index.length; i++) {
                combination.add(edges.get(i).get(index[i]));
            }
            combinations.add(combination);
            int position = index.length - 1;
            while (position >= 0 && ++index[position] == edges.get(position).size()) {
                index[position--] = 0;
            }
            if (position < 0) {
                break;
            }
        }
        return combinations;
    }
}
