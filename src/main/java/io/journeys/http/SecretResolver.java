package io.journeys.http;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Matcher;
import io.journeys.dsl.ActionParser;

/**
 * Replaces {@code ${env:NAME}} and {@code ${file:PATH}} in a header value with the secret, where the
 * request is sent. Its messages name the reference, never the value.
 */
public final class SecretResolver implements Serializable {

    /** A reference that cannot be resolved. */
    public static final class MissingSecret extends Exception {
        MissingSecret(String message) {
            super(message, null, false, false);
        }
    }

    /** The environment, as a function (the process environment in production). */
    public interface Environment extends Function<String, String>, Serializable {}

    private final Environment environment;

    public SecretResolver(Environment environment) {
        this.environment = environment;
    }

    public static SecretResolver fromProcess() {
        return new SecretResolver(System::getenv);
    }

    public String resolve(String value) throws MissingSecret {
        Matcher reference = ActionParser.SECRET_REFERENCE.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (reference.find()) {
            String secret = reference.group(1).equals("env") ? environment.apply(reference.group(2))
                    : readFile(reference.group(2));
            if (secret == null) {
                throw new MissingSecret("secret ${" + reference.group(1) + ":" + reference.group(2) + "} is not set");
            }
            reference.appendReplacement(resolved, Matcher.quoteReplacement(secret));
        }
        reference.appendTail(resolved);
        return resolved.toString();
    }

    private static String readFile(String path) {
        try {
            return Files.readString(Path.of(path), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }
}
