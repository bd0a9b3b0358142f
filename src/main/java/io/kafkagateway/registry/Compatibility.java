package io.kafkagateway.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Confluent's compatibility levels over a format's reader/writer rule: BACKWARD (the new schema reads data written
 * with the last one), FORWARD (the last one reads the new schema's data), FULL (both), their _TRANSITIVE forms
 * (against every version, not only the last), NONE.
 */
final class Compatibility {

    static final Set<String> LEVELS = Set.of("NONE", "BACKWARD", "BACKWARD_TRANSITIVE", "FORWARD", "FORWARD_TRANSITIVE",
            "FULL", "FULL_TRANSITIVE");

    private Compatibility() {
    }

    /** The level a request names, upper-cased, or a 42203 refusal. */
    static String level(String given) {
        String level = given == null ? "" : given.trim().toUpperCase(Locale.ROOT);
        if (!LEVELS.contains(level)) {
            throw RegistryErrors.invalidCompatibility(given);
        }
        return level;
    }

    /**
     * Why {@code candidate} breaks {@code level} against {@code previous} (oldest first); empty: it does not. A
     * non-transitive level looks at the last of {@code previous} only.
     */
    static List<String> problems(String level, SchemaFormat.Parsed candidate, List<SchemaFormat.Parsed> previous) {
        if ("NONE".equals(level) || previous.isEmpty()) {
            return List.of();
        }
        List<SchemaFormat.Parsed> against = level.endsWith("_TRANSITIVE") ? previous : List.of(previous.get(previous.size() - 1));
        boolean backward = level.startsWith("BACKWARD") || level.startsWith("FULL");
        boolean forward = level.startsWith("FORWARD") || level.startsWith("FULL");
        List<String> problems = new ArrayList<>();
        for (SchemaFormat.Parsed old : against) {
            if (backward) {
                problems.addAll(candidate.readProblems(old));
            }
            if (forward) {
                problems.addAll(old.readProblems(candidate));
            }
        }
        return problems;
    }
}
