package io.journeys.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.journeys.avro.HttpCall;
import io.journeys.testing.Fuzz;
import io.journeys.testing.InputGenerators;
import io.journeys.testing.Mutations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the HTTP caller with what a real server may answer, written byte for byte on a local socket: valid JSON
 * answers, any status, bodies that are not JSON, wrong content types and lengths, broken chunks, garbage instead
 * of a status line, a connection closed without an answer, bodies over the limit, and answers that never come.
 * The caller never throws and always answers with a status the call step routes on (an HTTP 2xx goes on, a
 * timeout is CAL-003, the rest CAL-002); a valid JSON answer keeps its status and body.
 */
class HttpResponseFuzzTest {

    private static final int CASES = 10_000;
    private static final int MAX_RESPONSE_BYTES = 4_096;
    // a timeout that a loaded machine never reaches, but for the answers that never come: they wait a short one
    private static final long TIMEOUT_MILLIS = 10_000;
    private static final long NEVER_TIMEOUT_MILLIS = 150;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the server writes for one case; {@code never}: it holds the connection open without answering. */
    record Answer(byte[] bytes, boolean never) {}

    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private ServerSocket server;
    private ExecutorService connections;
    private HttpCaller caller;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        connections = Executors.newCachedThreadPool();
        connections.execute(this::accept);
        caller = new HttpCaller(HttpCaller.defaultClient(), HostPolicy.of(List.of("127.0.0.1")),
                new SecretResolver(name -> null), () -> 0.0);
    }

    @AfterEach
    void stop() throws IOException {
        stopping.countDown();
        server.close();
        connections.shutdownNow();
    }

    @Test
    void shouldAnswerEveryResponseWithAStatusTheCallStepRoutesOn() {
        Fuzz.Tally tally = Fuzz.run("HTTP responses", CASES, this::check);
        assertThat(tally.validCount()).isGreaterThan(CASES / 4);
        assertThat(tally.badCount()).isGreaterThan(CASES / 3);
    }

    private void check(Random random, Fuzz.Tally tally) throws Exception {
        String path = "/case/" + random.nextLong();
        int choice = random.nextInt(10);
        JsonNode body = InputGenerators.object(random);
        while (!hasUtf8Form(body.toString())) {
            body = InputGenerators.object(random); // a lone surrogate has no UTF-8 form: no server can send it
        }
        int status = 200 + (random.nextInt(4) == 0 ? random.nextInt(7) : 0);
        boolean valid = choice < 3;
        // a 204 has no content: one with a body is among the hostile answers
        Answer planned = valid ? new Answer(response(status, "application/json", status == 204 ? "" : body.toString()),
                false) : hostile(random);
        answers.put(path, planned);
        HttpCall call = new HttpCall("fuzz", 1, random.nextBoolean() ? "GET" : "POST",
                "http://127.0.0.1:" + server.getLocalPort() + path, new HashMap<>(), null,
                planned.never() ? NEVER_TIMEOUT_MILLIS : TIMEOUT_MILLIS, 0, 0, 0,
                MAX_RESPONSE_BYTES, true);
        String text = caller.call(call, "req-" + path, () -> 0L).get(30, TimeUnit.SECONDS);
        answers.remove(path);
        JsonNode answer = JSON.readTree(text);
        String answered = answer.path("status").asText("");
        int code = answer.path("code").asInt(-1);
        if (answered.startsWith("http_")) {
            assertThat(answered).isEqualTo("http_" + code);
            assertThat(code).isBetween(100, 999); // any three digits: a 999 is answered as it is
        } else {
            assertThat(answered).isIn(CallAnswers.TIMED_OUT, CallAnswers.ERROR);
            assertThat(code).isZero();
        }
        if (valid) {
            assertThat(answered).as("the answer to a valid response").isEqualTo("http_" + status);
            assertThat(answer.get("body")).isEqualTo(status == 204 ? JSON.nullNode() : JSON.readTree(body.toString()));
            tally.valid();
        } else if (CallAnswers.succeeded(answered)) {
            tally.valid();
        } else {
            String stepCode = answered.equals(CallAnswers.TIMED_OUT) ? "CAL-003" : "CAL-002";
            Fuzz.assertDocumented(stepCode, answered);
            tally.bad(stepCode);
        }
    }

    private static boolean hasUtf8Form(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(text);
    }

    /** One of the ways a server answers badly (or well, by accident of a mutation). */
    private static Answer hostile(Random random) {
        String json = InputGenerators.object(random).toString();
        switch (random.nextInt(12)) {
            case 0: // any status, with any body
                return new Answer(response(100 + 100 * (1 + random.nextInt(4)) + random.nextInt(100),
                        "application/json", random.nextBoolean() ? json : "<html>Bad Gateway</html>"), false);
            case 1: // a 5xx or 429 (retries 0: answered as it is)
                return new Answer(response(Mutations.pick(random, List.of(500, 502, 503, 504, 429)), "text/plain",
                        "upstream down"), false);
            case 2: // a 2xx whose body is not JSON, or whose type says something else
                return new Answer(response(200, Mutations.pick(random, List.of("text/html", "application/xml",
                        "application/octet-stream", "")), Mutations.mutateText(json, random)), false);
            case 3: // binary garbage as a body
                return new Answer(bytes(200, "application/json", Mutations.garbage(random, 1_000)), false);
            case 4: // garbage instead of a response
                return new Answer(Mutations.garbage(random, 200), false);
            case 5: { // a Content-Length longer than the body, then the connection closes
                byte[] full = response(200, "application/json", json);
                return new Answer(java.util.Arrays.copyOf(full, Math.max(0, full.length - 1 - random.nextInt(
                        Math.max(1, json.length())))), false);
            }
            case 6: // a body over maxResponseBytes
                return new Answer(response(200, "application/json", "[" + "1,".repeat(MAX_RESPONSE_BYTES) + "1]"),
                        false);
            case 7: // a broken chunked body
                return new Answer(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
                        + "Content-Type: application/json\r\n\r\n" + Mutations.pick(random, List.of("zz\r\n{}\r\n0\r\n\r\n",
                        "5\r\n{}\r\n", "FFFFFFFFFFFF\r\n{}", "2\r\n{}\r\n"))).getBytes(StandardCharsets.ISO_8859_1), false);
            case 8: // headers the client cannot take: a bad status line, a header without a colon, a huge header
                return new Answer(Mutations.pick(random, List.of("HTTP/1.1 abc OK\r\n\r\n", "HTTP/9.9 200 OK\r\n\r\n",
                        "HTTP/1.1 200 OK\r\nno colon here\r\nConnection: close\r\n\r\n{}",
                        "HTTP/1.1 200 OK\r\nX-Big: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n{}",
                        "HTTP/1.1 999 Odd\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"))
                        .getBytes(StandardCharsets.ISO_8859_1), false);
            case 9: // closed at once, with nothing said
                return new Answer(new byte[0], false);
            case 10: // an empty 2xx, a 204 with a body
                return new Answer(random.nextBoolean() ? response(200, "application/json", "")
                        : response(204, "application/json", json), false);
            default: // slow: no answer before the timeout (rarely: each costs a timeout)
                return random.nextInt(20) == 0 ? new Answer(new byte[0], true)
                        : new Answer(response(200, "application/json; charset=utf-16", json), false);
        }
    }

    private static byte[] response(int status, String contentType, String body) {
        return bytes(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bytes(int status, String contentType, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "HTTP/1.1 " + status + " Status\r\n" + (contentType.isEmpty() ? "" : "Content-Type: " + contentType
                + "\r\n") + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body);
        return out.toByteArray();
    }

    // ---- the server: reads a request's head, writes the case's bytes, closes ----

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.execute(() -> answer(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void answer(Socket socket) {
        try (socket) {
            String path = requestPath(socket.getInputStream());
            Answer answer = path == null ? null : answers.get(path);
            if (answer == null) {
                return; // a connection that sent nothing (or a case already over): closed
            }
            if (answer.never()) {
                stopping.await(10, TimeUnit.SECONDS); // held open until the caller gives up (or the test ends)
                return;
            }
            OutputStream out = socket.getOutputStream();
            out.write(answer.bytes());
            out.flush();
            socket.shutdownOutput();
        } catch (IOException | InterruptedException gone) {
            // the client went away first: nothing to answer
        }
    }

    /** The path of the request line, after reading the head (and a body, if the head announces one). */
    private static String requestPath(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0D0A0D0A) {
                break;
            }
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        String[] requestLine = text.split("\r\n", 2)[0].split(" ");
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                in.readNBytes(Integer.parseInt(line.substring("content-length:".length()).trim()));
            }
        }
        return requestLine.length >= 2 ? requestLine[1] : null;
    }
}
