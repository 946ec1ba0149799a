package dev.helios4j;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed model spec, {@code PROVIDER:MODEL}, after aliases are followed.
 *
 * @param provider the provider's name, lower case
 * @param model everything after the first ':', possibly empty
 */
record ModelSpec(String provider, String model) {
    /** Built-in aliases; settings may override them. */
    static final Map<String, String> BUILT_IN_ALIASES = Map.of("demo", "llamacpp:demo");

    private static final Pattern PROVIDER_AND_MODEL = Pattern.compile("([A-Za-z0-9][A-Za-z0-9_-]*):(.*)", Pattern.DOTALL);
    private static final int MAX_ALIAS_DEPTH = 8;
    static final String EXAMPLES = "Examples: demo, llamacpp:/path/to/model.gguf, "
            + "llamacpp:hf:ORG/REPO/FILE.gguf, openai:gpt-4o-mini.";

    /** @return the spec as {@code PROVIDER:MODEL} */
    @Override
    public String toString() {
        return provider + ":" + model;
    }

    /**
     * Parses a spec, following aliases from the settings and the built-in ones.
     *
     * @throws InvalidRequestException for a blank, malformed or looping spec
     */
    static ModelSpec resolve(String spec, Settings settings) {
        if (spec == null || spec.isBlank()) {
            throw new InvalidRequestException("The model spec is blank. Give PROVIDER:MODEL or an alias. " + EXAMPLES);
        }
        Map<String, String> aliases = settings.aliases();
        Set<String> seen = new LinkedHashSet<>();
        String current = spec.strip();
        while (true) {
            Matcher m = PROVIDER_AND_MODEL.matcher(current);
            if (m.matches()) {
                return new ModelSpec(m.group(1).toLowerCase(Locale.ROOT), m.group(2).strip());
            }
            String alias = current.toLowerCase(Locale.ROOT);
            if (!seen.add(alias) || seen.size() > MAX_ALIAS_DEPTH) {
                throw new InvalidRequestException("The aliases " + String.join(" -> ", seen) + " -> " + alias
                        + " form a loop or a chain deeper than " + MAX_ALIAS_DEPTH + "; point one of them at PROVIDER:MODEL.");
            }
            String target = aliases.getOrDefault(alias, BUILT_IN_ALIASES.get(alias));
            if (target == null) {
                throw new InvalidRequestException(notASpec(spec, current, aliases));
            }
            current = target.strip();
        }
    }

    private static String notASpec(String original, String current, Map<String, String> aliases) {
        StringBuilder s = new StringBuilder("'").append(current).append("'");
        if (!current.equals(original.strip())) {
            s.append(" (reached from '").append(original.strip()).append("')");
        }
        s.append(" is neither PROVIDER:MODEL nor a known alias. ");
        if (current.toLowerCase(Locale.ROOT).endsWith(".gguf")) {
            s.append("For a local model file write llamacpp:").append(current).append(". ");
        }
        s.append(EXAMPLES);
        Set<String> names = new java.util.TreeSet<>(BUILT_IN_ALIASES.keySet());
        names.addAll(aliases.keySet());
        s.append(" Known aliases: ").append(String.join(", ", names))
                .append(". Define one with alias.NAME=SPEC in the helios4j settings.");
        return s.toString();
    }
}
