package dev.helios4j;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the configuration file, a Java properties file. Such files have comments only on lines of
 * their own, yet users write {@code model=openai:gpt-4o-mini   # the default}, as in shell, YAML
 * or INI files, and would otherwise send the comment to the server as part of the model name.
 */
final class ConfigFile {
    /** Whitespace, then a '#' standing alone as a word: a comment, as every other format writes it. */
    private static final Pattern TRAILING_COMMENT = Pattern.compile("\\s+#(\\s|$)");
    /** Whitespace then '#' anywhere: worth a warning even where it is kept ("a #1", "{# x #}"). */
    private static final Pattern HASH_AFTER_SPACE = Pattern.compile("\\s#");

    private ConfigFile() {
    }

    /**
     * @return key (lower case) to value; empty when the file does not exist
     * @throws InvalidRequestException when it exists and cannot be read or parsed
     */
    static Map<String, String> read(Path path) {
        if (!Files.isRegularFile(path)) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidRequestException("Cannot read the helios4j configuration file " + path + ": "
                    + e.getMessage() + ". Fix or remove it; it is a Java properties file.", e);
        }
        Map<String, String> values = new HashMap<>();
        for (String name : properties.stringPropertyNames()) {
            String key = name.trim().toLowerCase(Locale.ROOT);
            values.put(key, withoutTrailingComment(path, key, properties.getProperty(name).trim()));
        }
        return values;
    }

    /**
     * Cuts a trailing {@code " # comment"} off a value, and warns (once per file and key) whenever
     * a value has a '#' after whitespace. Values are never logged: they may be keys.
     */
    static String withoutTrailingComment(Path path, String key, String value) {
        if (!HASH_AFTER_SPACE.matcher(value).find()) {
            return value;
        }
        Matcher comment = TRAILING_COMMENT.matcher(value);
        String kept = comment.find() ? value.substring(0, comment.start()).strip() : value;
        if (kept.isEmpty()) {
            kept = value; // nothing before the '#': not a value followed by a comment
        }
        String howToFix = "Properties files have no comments after a value: put the comment on a line of its own "
                + "starting with #.";
        Settings.warnOnce("comment " + path + " " + key, kept.equals(value)
                ? "The setting " + key + " in " + path + " has a '#' after a space in its value, which is kept as "
                        + "part of the value. If it is meant as a comment: " + howToFix
                : "The setting " + key + " in " + path + " looks like it ends in a comment ('# ...'); helios4j "
                        + "ignores that part of the value. " + howToFix + " A value that really contains ' # ' "
                        + "can be given as a system property or environment variable instead.");
        return kept;
    }
}
