package org.tributary.rest.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The {@code settings} object of a create or update as the values {@link org.tributary.api.Streams} takes:
 * text, numbers, booleans and arrays of them, {@code null} to fall back to the default. The stream core checks
 * them against the source type's metatype, so nothing here knows any source's settings.
 */
final class JsonSettings {

    private JsonSettings() {
    }

    static Map<String, Object> of(JsonNode settings) throws Problem {
        Map<String, Object> result = new LinkedHashMap<>();
        if (settings == null || settings.isNull()) {
            return result;
        }
        if (!settings.isObject()) {
            throw new Problem(400, "'settings' must be a JSON object of setting names and values", "settings");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = settings.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            result.put(field.getKey(), value(field.getKey(), field.getValue()));
        }
        return result;
    }

    private static Object value(String key, JsonNode node) throws Problem {
        if (node.isNull()) {
            return null;
        }
        if (node.isArray()) {
            List<Object> values = new ArrayList<>(node.size());
            for (JsonNode element : node) {
                if (element.isArray() || element.isObject() || element.isNull()) {
                    throw new Problem(400, "setting '" + key + "' takes a value or a list of values, not nested "
                            + "lists, objects or nulls", key);
                }
                values.add(scalar(element));
            }
            return values;
        }
        if (node.isObject()) {
            throw new Problem(400, "setting '" + key + "' takes a value or a list of values, not an object", key);
        }
        return scalar(node);
    }

    private static Object scalar(JsonNode node) {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        return node.asText();
    }
}
