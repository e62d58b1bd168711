package io.journeys.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.journeys.job.JobConfig.ConfigException;
import io.journeys.job.JobConfig.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the job's configuration values come from, in order: each key's default, then a YAML file (nested
 * mappings name keys with dots, lists are joined with commas), then {@code --set key=value} overrides. An
 * unknown key fails, naming where it was found.
 */
final class ConfigSources {

    private ConfigSources() {}

    /** Every key's value; {@code yaml} may be null. */
    static Map<Key, String> values(Path yaml, List<String> overrides) throws ConfigException {
        Map<Key, String> values = new LinkedHashMap<>();
        for (Key key : Key.values()) {
            values.put(key, key.defaultValue());
        }
        if (yaml != null) {
            for (Map.Entry<String, String> entry : flatten(readYaml(yaml), "").entrySet()) {
                values.put(key(entry.getKey(), yaml.toString()), entry.getValue());
            }
        }
        for (String override : overrides) {
            int equals = override.indexOf('=');
            if (equals <= 0) {
                throw new ConfigException("--set expects key=value, but got \"" + override + "\"");
            }
            values.put(key(override.substring(0, equals).trim(), "--set"), override.substring(equals + 1).trim());
        }
        return values;
    }

    private static Key key(String name, String where) throws ConfigException {
        for (Key key : Key.values()) {
            if (key.keyName().equals(name)) {
                return key;
            }
        }
        throw new ConfigException("Unknown configuration key \"" + name + "\" in " + where + "; known keys: "
                + Arrays.stream(Key.values()).map(Key::keyName).sorted().toList());
    }

    private static JsonNode readYaml(Path yaml) throws ConfigException {
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(yaml));
            if (root == null || root.isNull() || root.isMissingNode()) {
                return new ObjectMapper().createObjectNode();
            }
            if (!root.isObject()) {
                throw new ConfigException("Expected a YAML mapping in " + yaml + ", but found a " + root.getNodeType());
            }
            return root;
        } catch (NoSuchFileException e) {
            throw new ConfigException("cannot read " + yaml + ": no such file");
        } catch (IOException e) {
            throw new ConfigException("cannot read " + yaml + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static Map<String, String> flatten(JsonNode node, String prefix) {
        Map<String, String> flat = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            if (field.getValue().isObject()) {
                flat.putAll(flatten(field.getValue(), name));
            } else if (field.getValue().isArray()) {
                List<String> items = new ArrayList<>();
                field.getValue().forEach(item -> items.add(item.asText()));
                flat.put(name, String.join(",", items));
            } else {
                flat.put(name, field.getValue().asText());
            }
        }
        return flat;
    }
}
