package io.journeys.bench.chaos;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP service the chaos run's calls reach, on a raw socket so that it can fail the way real services do:
 * it answers 503 before applying a call, applies a call and then resets the connection (the caller never learns
 * it was applied), or applies it and answers after the caller's timeout. It records every request by its
 * {@code Idempotency-Key} and, as a receiver should, applies each key once (a retried key gets the first answer
 * without a second effect) — unless deduplication is off, the negative control that shows repeated effects.
 */
public final class ChaosHttpService implements AutoCloseable {

    /** Shares of requests answered each way, in percent; the rest are answered 200 at once. */
    public record Faults(int unavailablePercent, int resetAfterApplyPercent, int slowPercent, long slowMillis) {
        public static final Faults NONE = new Faults(0, 0, 0, 0);
    }

    private static final Pattern PROFILE = Pattern.compile("\"profile\"\\s*:\\s*\"([^\"]*)\"");

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "chaos-http");
        thread.setDaemon(true);
        return thread;
    });
    private final boolean deduplicate;
    private final Random random;
    private volatile Faults faults;
    /** Requests received per key (every attempt). */
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    /** Effects applied per key: 1 each when deduplicating. */
    private final Map<String, AtomicInteger> applied = new ConcurrentHashMap<>();
    private final AtomicInteger unavailable = new AtomicInteger();
    private final AtomicInteger resets = new AtomicInteger();
    private final AtomicInteger slow = new AtomicInteger();
    private final AtomicInteger withoutKey = new AtomicInteger();

    public ChaosHttpService(boolean deduplicate, Faults faults, long seed) throws IOException {
        this.deduplicate = deduplicate;
        this.faults = faults;
        this.random = new Random(seed);
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        threads.submit(this::accept);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    public void setFaults(Faults faults) {
        this.faults = faults;
    }

    /** The tier the service answers for a profile: gold for a third of them, by the profile's number. */
    public static String tierOf(String profile) {
        return Math.floorMod(profile.hashCode(), 3) == 0 ? "gold" : "silver";
    }

    public Map<String, Integer> requestsByKey() {
        return snapshot(requests);
    }

    public Map<String, Integer> appliedByKey() {
        return snapshot(applied);
    }

    public int unavailableAnswers() {
        return unavailable.get();
    }

    public int resetsAfterApplying() {
        return resets.get();
    }

    public int slowAnswers() {
        return slow.get();
    }

    public int requestsWithoutKey() {
        return withoutKey.get();
    }

    private static Map<String, Integer> snapshot(Map<String, AtomicInteger> counts) {
        Map<String, Integer> copy = new java.util.HashMap<>();
        counts.forEach((key, count) -> copy.put(key, count.get()));
        return copy;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                threads.submit(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            // keep-alive: the caller's client reuses connections
            while (true) {
                Map<String, String> headers = new java.util.HashMap<>();
                String requestLine = readLine(in);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                String line;
                while ((line = readLine(in)) != null && !line.isEmpty()) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                    }
                }
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                if (!answer(socket, out, headers.get("idempotency-key"), body)) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the caller went away (its timeout): nothing to answer
        }
    }

    /** Answers one request; false when the connection is to be dropped. */
    private boolean answer(Socket socket, OutputStream out, String key, String body) throws IOException, InterruptedException {
        if (key == null) {
            withoutKey.incrementAndGet();
            respond(out, 400, "{\"error\": \"no Idempotency-Key\"}");
            return true;
        }
        requests.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        Faults now = faults;
        int roll;
        synchronized (random) {
            roll = random.nextInt(100);
        }
        if (roll < now.unavailablePercent()) {
            unavailable.incrementAndGet();
            respond(out, 503, "{\"error\": \"unavailable\"}");
            return true;
        }
        AtomicInteger effects = applied.computeIfAbsent(key, k -> new AtomicInteger());
        synchronized (effects) {
            if (!deduplicate || effects.get() == 0) {
                effects.incrementAndGet();
            }
        }
        Matcher profile = PROFILE.matcher(body);
        String tier = tierOf(profile.find() ? profile.group(1) : "");
        roll -= now.unavailablePercent();
        if (roll < now.resetAfterApplyPercent()) {
            resets.incrementAndGet();
            socket.setSoLinger(true, 0); // close with a TCP reset
            return false;
        }
        roll -= now.resetAfterApplyPercent();
        if (roll < now.slowPercent()) {
            slow.incrementAndGet();
            TimeUnit.MILLISECONDS.sleep(now.slowMillis());
        }
        respond(out, 200, "{\"tier\": \"" + tier + "\"}");
        return true;
    }

    private static void respond(OutputStream out, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + (status == 200 ? " OK" : status == 503 ? " Service Unavailable" : " Bad Request")
                + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
