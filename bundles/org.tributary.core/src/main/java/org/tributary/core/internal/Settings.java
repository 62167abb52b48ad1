package org.tributary.core.internal;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.tributary.api.StreamException;

/**
 * Checks a stream's settings against its source type's metatype and turns them into the property types
 * Config Admin stores, so that a component reading them gets what its configuration type declares.
 *
 * <p>Frontends pass text (the Gogo shell, form fields, query strings) as often as typed values (JSON), so a
 * value is accepted as the declared type or as text that reads as it: {@code "25"} for a number,
 * {@code "true"} for a boolean. A multi-valued setting takes an array, a collection or a single value.
 *
 * <p>Stateless; every method is a pure function of its arguments.
 */
final class Settings {

    /** The property that names a stream; set by the core from the stream's name, never as a setting. */
    static final String NAME = "name";

    private Settings() {
    }

    /**
     * The properties to store: {@code stored} with {@code changes} applied (a {@code null} value removes the
     * setting, so it falls back to its default), every value the metatype describes converted to its type.
     * Properties in {@code stored} that the metatype does not describe are kept as they are (Config Admin and
     * File Install keep bookkeeping there); a changed setting it does not describe is refused.
     *
     * @param type the source type's name, for messages
     * @param schema the type's settings, or {@code null} when its bundle describes none: then changes are
     *        stored as given, provided Config Admin can store them
     * @throws StreamException {@link StreamException.Kind#INVALID} naming the setting and what is wrong
     */
    static Map<String, Object> merge(String type, ObjectClassDefinition schema, Map<String, Object> stored,
            Map<String, Object> changes) throws StreamException {
        Map<String, Object> result = new TreeMap<>(stored);
        if (schema == null) {
            for (Map.Entry<String, Object> change : changes.entrySet()) {
                if (change.getValue() == null) {
                    result.remove(change.getKey());
                } else {
                    result.put(change.getKey(), storable(type, change.getKey(), change.getValue()));
                }
            }
            return result;
        }
        Map<String, AttributeDefinition> known = new LinkedHashMap<>();
        AttributeDefinition[] all = schema.getAttributeDefinitions(ObjectClassDefinition.ALL);
        for (AttributeDefinition ad : all == null ? new AttributeDefinition[0] : all) {
            known.put(ad.getID(), ad);
        }
        for (Map.Entry<String, Object> change : changes.entrySet()) {
            String key = change.getKey();
            AttributeDefinition ad = known.get(key);
            if (ad == null) {
                throw invalid("unknown setting '" + key + "' for type '" + type + "'; known: " + knownList(known));
            }
            if (change.getValue() == null) {
                result.remove(key);
            } else {
                result.put(key, convert(type, ad, change.getValue(), ""));
            }
        }
        for (Map.Entry<String, Object> entry : stored.entrySet()) {
            AttributeDefinition ad = known.get(entry.getKey());
            if (ad != null && !changes.containsKey(entry.getKey()) && entry.getValue() != null) {
                result.put(entry.getKey(), convert(type, ad, entry.getValue(), "stored "));
            }
        }
        AttributeDefinition[] required = schema.getAttributeDefinitions(ObjectClassDefinition.REQUIRED);
        for (AttributeDefinition ad : required == null ? new AttributeDefinition[0] : required) {
            String[] defaults = ad.getDefaultValue();
            boolean hasDefault = defaults != null && defaults.length > 0;
            Object value = result.get(ad.getID());
            boolean missing = value == null || value instanceof String s && s.isBlank();
            if (missing && !hasDefault) {
                throw invalid("setting '" + ad.getID() + "'" + label(ad) + " is required for type '" + type + "'"
                        + (value == null ? "" : " and may not be empty"));
            }
        }
        return result;
    }

    /**
     * A stream's stored settings as a person may see them: sorted, without its name and the bookkeeping of Config
     * Admin and File Install, the values of password settings and the password of a URL masked as {@code ***}.
     */
    static Map<String, Object> shown(ObjectClassDefinition schema, Map<String, Object> stored) {
        Map<String, AttributeDefinition> known = new LinkedHashMap<>();
        AttributeDefinition[] all = schema == null ? null : schema.getAttributeDefinitions(ObjectClassDefinition.ALL);
        for (AttributeDefinition ad : all == null ? new AttributeDefinition[0] : all) {
            known.put(ad.getID(), ad);
        }
        Map<String, Object> result = new TreeMap<>();
        for (Map.Entry<String, Object> entry : stored.entrySet()) {
            String key = entry.getKey();
            if (key.equals(NAME) || key.startsWith("service.") || key.startsWith("felix.") || key.startsWith("component.")
                    || entry.getValue() == null) {
                continue;
            }
            AttributeDefinition ad = known.get(key);
            Object value = entry.getValue();
            if (ad != null && ad.getType() == AttributeDefinition.PASSWORD) {
                value = "***";
            } else if (value instanceof String s) {
                value = withoutPassword(s);
            } else if (value.getClass().isArray() || value instanceof Collection) {
                value = elements(value).stream().map(e -> e instanceof String s ? withoutPassword(s) : e).toList();
            }
            result.put(key, value);
        }
        return result;
    }

    // scheme://user:password@host... becomes scheme://user:***@host...
    static String withoutPassword(String text) {
        return text.replaceAll("([A-Za-z][A-Za-z0-9+.-]*://[^/@:\\s]*):[^/@\\s]*@", "$1:***@");
    }

    private static Object convert(String type, AttributeDefinition ad, Object value, String which)
            throws StreamException {
        String what = which + "setting '" + ad.getID() + "' for type '" + type + "'";
        List<Object> values = elements(value);
        int cardinality = ad.getCardinality();
        if (cardinality == 0) {
            if (values.size() != 1) {
                throw invalid(what + " takes one value, not " + values.size());
            }
            return check(what, ad, one(what, ad, values.get(0)));
        }
        int max = Math.abs(cardinality);
        if (values.size() > max) {
            throw invalid(what + " takes at most " + max + " values, not " + values.size());
        }
        List<Object> converted = new ArrayList<>(values.size());
        for (Object element : values) {
            converted.add(check(what, ad, one(what, ad, element)));
        }
        if (cardinality < 0) {
            return converted;
        }
        Object array = Array.newInstance(javaType(ad.getType()), converted.size());
        for (int i = 0; i < converted.size(); i++) {
            Array.set(array, i, converted.get(i));
        }
        return array;
    }

    // The metatype's own constraints (minimum, maximum, options) through validate, and the options here too,
    // since validate may answer null (no validation) and the message can then list what is accepted. Text
    // matches an option in any case (udp for UDP) and is stored as the option is spelled.
    private static Object check(String what, AttributeDefinition ad, Object value) throws StreamException {
        Object result = value;
        String[] options = ad.getOptionValues();
        if (options != null && options.length > 0) {
            boolean found = false;
            for (String option : options) {
                try {
                    Object optionValue = one(what, ad, option);
                    if (optionValue.equals(value) || optionValue instanceof String o && value instanceof String v
                            && o.strip().equalsIgnoreCase(v.strip())) {
                        result = optionValue;
                        found = true;
                        break;
                    }
                } catch (StreamException e) {
                    // An option that does not read as the setting's type matches nothing.
                }
            }
            if (!found) {
                throw invalid(what + " must be one of " + String.join(", ", options) + ", not '" + value + "'");
            }
        }
        String problem = ad.validate(String.valueOf(result));
        if (problem != null && !problem.isEmpty()) {
            throw invalid(what + " " + Bounds.explain(ad, result, problem));
        }
        return result;
    }

    private static Object one(String what, AttributeDefinition ad, Object value) throws StreamException {
        int type = ad.getType();
        switch (type) {
            case AttributeDefinition.STRING:
            case AttributeDefinition.PASSWORD:
                if (value instanceof String || value instanceof Number || value instanceof Boolean
                        || value instanceof Character) {
                    return value.toString();
                }
                throw invalid(what + " must be text, not " + describe(value));
            case AttributeDefinition.BOOLEAN:
                if (value instanceof Boolean b) {
                    return b;
                }
                if (value instanceof String s) {
                    String t = s.strip();
                    if (t.equalsIgnoreCase("true")) {
                        return Boolean.TRUE;
                    }
                    if (t.equalsIgnoreCase("false")) {
                        return Boolean.FALSE;
                    }
                }
                throw invalid(what + " must be true or false, not " + describe(value));
            case AttributeDefinition.CHARACTER:
                if (value instanceof Character c) {
                    return c;
                }
                if (value instanceof String s && s.length() == 1) {
                    return s.charAt(0);
                }
                throw invalid(what + " must be a single character, not " + describe(value));
            case AttributeDefinition.DOUBLE:
            case AttributeDefinition.FLOAT: {
                double d = decimal(what, value, "a number").doubleValue();
                if (Double.isInfinite(d) || type == AttributeDefinition.FLOAT && Float.isInfinite((float) d)) {
                    throw invalid(what + " is out of range: " + describe(value));
                }
                return type == AttributeDefinition.FLOAT ? (Object) (float) d : (Object) d;
            }
            case AttributeDefinition.LONG:
            case AttributeDefinition.INTEGER:
            case AttributeDefinition.SHORT:
            case AttributeDefinition.BYTE:
            case AttributeDefinition.BIGINTEGER: {
                BigDecimal n = decimal(what, value, "a whole number");
                try {
                    return switch (type) {
                        case AttributeDefinition.LONG -> n.longValueExact();
                        case AttributeDefinition.INTEGER -> n.intValueExact();
                        case AttributeDefinition.SHORT -> n.shortValueExact();
                        case AttributeDefinition.BYTE -> n.byteValueExact();
                        // Config Admin stores no BigInteger: kept as its decimal text.
                        default -> n.toBigIntegerExact().toString();
                    };
                } catch (ArithmeticException e) {
                    throw invalid(what + " must be a whole number" + range(type) + ", not " + describe(value));
                }
            }
            case AttributeDefinition.BIGDECIMAL:
                return decimal(what, value, "a number").toString();
            default:
                return storable("", what, value);
        }
    }

    private static BigDecimal decimal(String what, Object value, String expected) throws StreamException {
        try {
            if (value instanceof BigDecimal d) {
                return d;
            }
            if (value instanceof Number n) {
                // Through the number's text, so 0.1 stays 0.1 and NaN or infinity are refused.
                return new BigDecimal(n.toString());
            }
            if (value instanceof String s) {
                return new BigDecimal(s.strip());
            }
        } catch (NumberFormatException e) {
            // Falls through to the message below.
        }
        throw invalid(what + " must be " + expected + ", not " + describe(value));
    }

    private static String range(int type) {
        return switch (type) {
            case AttributeDefinition.INTEGER -> " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
            case AttributeDefinition.SHORT -> " from " + Short.MIN_VALUE + " to " + Short.MAX_VALUE;
            case AttributeDefinition.BYTE -> " from " + Byte.MIN_VALUE + " to " + Byte.MAX_VALUE;
            case AttributeDefinition.LONG -> " from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
            default -> "";
        };
    }

    private static Class<?> javaType(int type) {
        return switch (type) {
            case AttributeDefinition.LONG -> Long.class;
            case AttributeDefinition.INTEGER -> Integer.class;
            case AttributeDefinition.SHORT -> Short.class;
            case AttributeDefinition.CHARACTER -> Character.class;
            case AttributeDefinition.BYTE -> Byte.class;
            case AttributeDefinition.DOUBLE -> Double.class;
            case AttributeDefinition.FLOAT -> Float.class;
            case AttributeDefinition.BOOLEAN -> Boolean.class;
            default -> String.class;
        };
    }

    private static List<Object> elements(Object value) {
        if (value instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        if (value.getClass().isArray()) {
            int n = Array.getLength(value);
            List<Object> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(Array.get(value, i));
            }
            return list;
        }
        return List.of(value);
    }

    // Without a schema: Config Admin's own rule (simple types, arrays and collections of them).
    private static Object storable(String type, String key, Object value) throws StreamException {
        for (Object element : elements(value)) {
            if (!(element instanceof String || element instanceof Integer || element instanceof Long
                    || element instanceof Double || element instanceof Float || element instanceof Short
                    || element instanceof Byte || element instanceof Character || element instanceof Boolean)) {
                throw invalid((type.isEmpty() ? key : "setting '" + key + "' for type '" + type + "'")
                        + " cannot be stored: " + describe(element));
            }
        }
        return value instanceof Collection<?> c ? new ArrayList<>(c) : value;
    }

    private static String knownList(Map<String, AttributeDefinition> known) {
        List<String> names = known.keySet().stream().filter(k -> !k.equals(NAME)).sorted().toList();
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static String label(AttributeDefinition ad) {
        String name = ad.getName();
        return name == null || name.isBlank() || name.equals(ad.getID()) ? "" : " (" + name + ")";
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        if (value.getClass().isArray()) {
            return "a list " + Arrays.deepToString(new Object[] {value}).replaceAll("^\\[|\\]$", "");
        }
        return value instanceof Number || value instanceof Boolean ? value.toString()
                : "a " + value.getClass().getSimpleName() + " (" + value + ")";
    }

    private static StreamException invalid(String message) {
        return new StreamException(StreamException.Kind.INVALID, message);
    }
}
