package io.kafkagateway.confluent;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Confluent's media types: {@code application/vnd.kafka[.embedded].v1|v2+json}, and the generic JSON types it takes
 * beside them. Parses a Content-Type or each entry of an Accept header; what is not a type here is {@link #OTHER}.
 */
record MediaTypes(Kind kind, Embedded embedded, String version) {

    enum Kind {
        /** application/vnd.kafka[.embedded].vN+json */
        KAFKA,
        /** application/vnd.kafka+json, application/json */
        JSON,
        /** application/octet-stream */
        OCTET_STREAM,
        /** *&#47;* or application/* */
        ANY,
        OTHER
    }

    enum Embedded { NONE, BINARY, JSON, AVRO, JSONSCHEMA, PROTOBUF, STRING }

    static final MediaTypes OTHER = new MediaTypes(Kind.OTHER, Embedded.NONE, null);
    private static final Pattern KAFKA = Pattern.compile("application/vnd\\.kafka(?:\\.([a-z]+))?(?:\\.(v[12]))?\\+json");

    static MediaTypes parse(String header) {
        if (header == null) {
            return OTHER;
        }
        String type = header.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        switch (type) {
            case "application/json":
                return new MediaTypes(Kind.JSON, Embedded.NONE, null);
            case "application/octet-stream":
                return new MediaTypes(Kind.OCTET_STREAM, Embedded.NONE, null);
            case "*/*":
            case "application/*":
                return new MediaTypes(Kind.ANY, Embedded.NONE, null);
            default:
                break;
        }
        Matcher m = KAFKA.matcher(type);
        if (!m.matches()) {
            return OTHER;
        }
        Embedded embedded;
        try {
            embedded = m.group(1) == null ? Embedded.NONE : Embedded.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return OTHER;
        }
        if (m.group(2) == null && embedded != Embedded.NONE) {
            return OTHER; // application/vnd.kafka.binary+json names no version
        }
        return new MediaTypes(m.group(2) == null ? Kind.JSON : Kind.KAFKA, embedded, m.group(2));
    }

    /** Each entry of an Accept header (none when it is absent: any type is acceptable). */
    static List<MediaTypes> accepted(String accept) {
        List<MediaTypes> types = new ArrayList<>();
        if (accept == null || accept.isBlank()) {
            types.add(new MediaTypes(Kind.ANY, Embedded.NONE, null));
            return types;
        }
        for (String entry : accept.split(",")) {
            if (!entry.contains("q=0") || entry.matches(".*q=0\\.\\d*[1-9].*")) {
                types.add(parse(entry));
            }
        }
        return types;
    }

    boolean v1() {
        return "v1".equals(version);
    }
}
