package io.kafkagateway.registry;

import io.kafkagateway.core.SchemaCommand;
import io.kafkagateway.core.SchemaReference;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the registry's topic says, applied in log order: every subject's versions (each a schema id, soft-deleted or
 * not), the schemas by id, compatibility levels and modes. Confined to the registry's event loop; only
 * {@link SchemaLog} changes it.
 */
final class SchemaState {

    /** One version of a subject. */
    record Version(String subject, int version, int id, boolean deleted) {
    }

    /** A registered schema: what clients see, and its canonical text (the identity of a schema with its type and references). */
    record Stored(int id, SchemaCommand.Schema schema) {
    }

    private final Map<String, NavigableMap<Integer, Version>> subjects = new TreeMap<>();
    private final Map<Integer, Stored> byId = new HashMap<>();
    /** Content key ({@link #contentKey}) to id: the same schema under any subject has one id. */
    private final Map<String, Integer> idByContent = new HashMap<>();
    private final Map<String, String> compatibility = new HashMap<>();
    private final Map<String, String> modes = new HashMap<>();
    private String globalCompatibility = "BACKWARD";
    private String globalMode = "READWRITE";
    private int maxId;

    // ---- applying the log ----

    /** A version written: its schema under {@code id}. A schema that claims an id another schema holds is ignored. */
    boolean putVersion(String subject, int version, int id, boolean deleted, SchemaCommand.Schema schema) {
        Stored known = byId.get(id);
        if (known != null && !contentKey(known.schema()).equals(contentKey(schema))) {
            return false;
        }
        if (known == null) {
            byId.put(id, new Stored(id, schema));
            idByContent.putIfAbsent(contentKey(schema), id);
        }
        maxId = Math.max(maxId, id);
        subjects.computeIfAbsent(subject, s -> new TreeMap<>()).put(version, new Version(subject, version, id, deleted));
        return true;
    }

    /** A version removed for good (a tombstone); its schema goes once no version uses it. */
    void removeVersion(String subject, int version) {
        NavigableMap<Integer, Version> versions = subjects.get(subject);
        if (versions == null) {
            return;
        }
        Version gone = versions.remove(version);
        if (versions.isEmpty()) {
            subjects.remove(subject);
        }
        if (gone != null && !inUse(gone.id())) {
            Stored stored = byId.remove(gone.id());
            if (stored != null) {
                idByContent.remove(contentKey(stored.schema()), gone.id());
            }
        }
    }

    /** Every version up to {@code upTo} of {@code subject} soft-deleted (Confluent's DELETE_SUBJECT record). */
    void softDeleteUpTo(String subject, int upTo) {
        NavigableMap<Integer, Version> versions = subjects.get(subject);
        if (versions != null) {
            versions.headMap(upTo, true).replaceAll((v, old) -> new Version(subject, v, old.id(), true));
        }
    }

    /** Every version of {@code subject} removed for good (Confluent's CLEAR_SUBJECT record). */
    void clear(String subject) {
        NavigableMap<Integer, Version> versions = subjects.get(subject);
        if (versions != null) {
            new ArrayList<>(versions.keySet()).forEach(v -> removeVersion(subject, v));
        }
    }

    void setCompatibility(String subject, String level) {
        if (subject == null) {
            globalCompatibility = level == null ? "BACKWARD" : level;
        } else if (level == null) {
            compatibility.remove(subject);
        } else {
            compatibility.put(subject, level);
        }
    }

    void setMode(String subject, String mode) {
        if (subject == null) {
            globalMode = mode == null ? "READWRITE" : mode;
        } else if (mode == null) {
            modes.remove(subject);
        } else {
            modes.put(subject, mode);
        }
    }

    // ---- reading ----

    int maxId() {
        return maxId;
    }

    Stored byId(int id) {
        return byId.get(id);
    }

    /** The id the same schema has already, under any subject, or 0. */
    int idOf(SchemaCommand.Schema schema) {
        return idByContent.getOrDefault(contentKey(schema), 0);
    }

    List<String> subjects(boolean deleted) {
        List<String> names = new ArrayList<>();
        subjects.forEach((subject, versions) -> {
            if (deleted || versions.values().stream().anyMatch(v -> !v.deleted())) {
                names.add(subject);
            }
        });
        return names;
    }

    /** The subject's versions, oldest first; soft-deleted ones when {@code deleted}. */
    List<Version> versions(String subject, boolean deleted) {
        NavigableMap<Integer, Version> versions = subjects.get(subject);
        if (versions == null) {
            return List.of();
        }
        return versions.values().stream().filter(v -> deleted || !v.deleted()).toList();
    }

    /** Whether the subject has any version, soft-deleted or not. */
    boolean exists(String subject) {
        return subjects.containsKey(subject);
    }

    Version version(String subject, int version) {
        NavigableMap<Integer, Version> versions = subjects.get(subject);
        return versions == null ? null : versions.get(version);
    }

    /** The highest version number the subject has had, soft-deleted ones included (0: none). */
    int lastVersion(String subject) {
        NavigableMap<Integer, Version> versions = subjects.get(subject);
        return versions == null || versions.isEmpty() ? 0 : versions.lastKey();
    }

    /** Every version of every subject that uses schema {@code id}. */
    List<Version> usesOf(int id) {
        List<Version> uses = new ArrayList<>();
        subjects.values().forEach(versions -> versions.values().forEach(v -> {
            if (v.id() == id) {
                uses.add(v);
            }
        }));
        return uses;
    }

    /** Ids of the schemas that reference {@code subject}'s {@code version}: of live versions, or of any when {@code deleted}. */
    List<Integer> referencing(String subject, int version, boolean deleted) {
        List<Integer> ids = new ArrayList<>();
        byId.values().forEach(stored -> {
            boolean refers = stored.schema().references().stream()
                    .anyMatch(r -> r.subject().equals(subject) && r.version() == version);
            if (refers && usesOf(stored.id()).stream().anyMatch(v -> deleted || !v.deleted()) && !ids.contains(stored.id())) {
                ids.add(stored.id());
            }
        });
        ids.sort(null);
        return ids;
    }

    String compatibility(String subject) {
        return subject == null ? globalCompatibility : compatibility.get(subject);
    }

    String effectiveCompatibility(String subject) {
        return compatibility.getOrDefault(subject, globalCompatibility);
    }

    String mode(String subject) {
        return subject == null ? globalMode : modes.get(subject);
    }

    String effectiveMode(String subject) {
        return modes.getOrDefault(subject, globalMode);
    }

    private boolean inUse(int id) {
        return subjects.values().stream().anyMatch(versions -> versions.values().stream().anyMatch(v -> v.id() == id));
    }

    /** A schema's identity: its type, references and text (canonical when it was registered). */
    static String contentKey(SchemaCommand.Schema schema) {
        StringBuilder key = new StringBuilder(schema.type()).append('\u0000');
        for (SchemaReference r : schema.references()) {
            key.append(r.name()).append('\u0001').append(r.subject()).append('\u0001').append(r.version()).append('\u0000');
        }
        return key.append(Objects.requireNonNull(schema.schema())).toString();
    }
}
