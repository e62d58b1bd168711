package io.journeys.http;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Capping and throttling per host, for one executor: at most N calls over any sliding minute (a call over
 * the cap is answered "capped" at once), and at most M calls in flight (the others queue, in order, until
 * one ends). Thread-safe: answers complete on the HTTP client's threads.
 */
final class CallLimits {

    private static final long MINUTE_MILLIS = 60_000;

    private final Map<String, Deque<Long>> recentCalls = new HashMap<>();
    private final Map<String, Integer> inFlight = new HashMap<>();
    private final Map<String, Deque<Runnable>> waiting = new HashMap<>();

    /** Counts a call at {@code now} unless the host had {@code maxPerMinute} calls in the minute before. */
    synchronized boolean tryCount(String host, int maxPerMinute, long now) {
        if (maxPerMinute <= 0) {
            return true;
        }
        Deque<Long> calls = recentCalls.computeIfAbsent(host, h -> new ArrayDeque<>());
        while (!calls.isEmpty() && calls.peekFirst() <= now - MINUTE_MILLIS) {
            calls.pollFirst();
        }
        if (calls.size() >= maxPerMinute) {
            return false;
        }
        calls.addLast(now);
        return true;
    }

    /** Runs {@code call} now if the host has fewer than {@code maxConcurrent} in flight, else when one ends. */
    void whenFree(String host, int maxConcurrent, Runnable call) {
        if (maxConcurrent <= 0) {
            call.run();
            return;
        }
        synchronized (this) {
            int running = inFlight.getOrDefault(host, 0);
            if (running >= maxConcurrent) {
                waiting.computeIfAbsent(host, h -> new ArrayDeque<>()).addLast(call);
                return;
            }
            inFlight.put(host, running + 1);
        }
        call.run();
    }

    /** A call to the host ended: the next waiting one runs in its place. */
    void ended(String host, int maxConcurrent) {
        if (maxConcurrent <= 0) {
            return;
        }
        Runnable next;
        synchronized (this) {
            Deque<Runnable> queue = waiting.get(host);
            next = queue == null ? null : queue.pollFirst();
            if (next == null) {
                inFlight.merge(host, -1, Integer::sum);
            }
        }
        if (next != null) {
            next.run();
        }
    }

    synchronized int inFlight(String host) {
        return inFlight.getOrDefault(host, 0);
    }
}
