package io.kafkagateway.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Parses the lower-case spellings config files use for enum values, listing the allowed ones on a miss. */
final class ConfigEnums {

    /** An enum whose config spellings are {@link #spellings()}; the first is the canonical one. */
    interface Spelled {
        String[] spellings();
    }

    private ConfigEnums() {
    }

    static <E extends Enum<E> & Spelled> E parse(Class<E> type, String text) {
        String wanted = text == null ? "" : text.trim();
        for (E constant : type.getEnumConstants()) {
            for (String spelling : constant.spellings()) {
                if (spelling.equals(wanted)) {
                    return constant;
                }
            }
        }
        String allowed = Arrays.stream(type.getEnumConstants())
                .flatMap(c -> Arrays.stream(c.spellings()))
                .collect(Collectors.joining(", "));
        throw new IllegalConfigurationException(null, "'" + text + "' is not allowed; use one of " + allowed);
    }
}
