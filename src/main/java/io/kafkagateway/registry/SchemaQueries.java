package io.kafkagateway.registry;

import io.kafkagateway.core.SchemaCommand;
import io.kafkagateway.core.SchemaReply;

import java.util.ArrayList;
import java.util.List;

/** The registry's reads, answered from its {@link SchemaState} (every gateway's own copy of the topic). */
final class SchemaQueries {

    private final SchemaState state;
    private final SchemaFormats formats;

    SchemaQueries(SchemaState state, SchemaFormats formats) {
        this.state = state;
        this.formats = formats;
    }

    SchemaReply answer(SchemaCommand command) {
        if (command instanceof SchemaCommand.ById byId) {
            return new SchemaReply.ById(stored(byId.id()).schema());
        }
        if (command instanceof SchemaCommand.VersionsById v) {
            stored(v.id());
            List<SchemaReply.SubjectVersion> uses = new ArrayList<>();
            state.usesOf(v.id()).stream().filter(use -> v.deleted() || !use.deleted())
                    .forEach(use -> uses.add(new SchemaReply.SubjectVersion(use.subject(), use.version())));
            return new SchemaReply.SubjectVersions(uses);
        }
        if (command instanceof SchemaCommand.Subjects s) {
            return new SchemaReply.Names(state.subjects(s.deleted()).stream()
                    .filter(name -> s.prefix() == null || name.startsWith(s.prefix())).toList());
        }
        if (command instanceof SchemaCommand.Versions v) {
            List<SchemaState.Version> versions = liveSubject(v.subject(), v.deleted());
            return new SchemaReply.Numbers(versions.stream().map(SchemaState.Version::version).toList());
        }
        if (command instanceof SchemaCommand.Version v) {
            SchemaState.Version version = version(v.subject(), v.version(), v.deleted());
            return registered(version);
        }
        if (command instanceof SchemaCommand.Lookup lookup) {
            return lookup(lookup);
        }
        if (command instanceof SchemaCommand.ReferencedBy r) {
            SchemaState.Version version = version(r.subject(), r.version(), true);
            return new SchemaReply.Numbers(state.referencing(version.subject(), version.version(), r.deleted()));
        }
        if (command instanceof SchemaCommand.GetConfig c) {
            String level = state.compatibility(c.subject());
            if (level == null) {
                if (!c.defaultToGlobal()) {
                    throw RegistryErrors.subjectConfigNotFound(c.subject());
                }
                level = state.compatibility(null);
            }
            return new SchemaReply.Compatibility(level, false);
        }
        if (command instanceof SchemaCommand.GetMode m) {
            String mode = state.mode(m.subject());
            if (mode == null) {
                throw RegistryErrors.subjectModeNotFound(m.subject());
            }
            return new SchemaReply.Mode(mode);
        }
        if (command instanceof SchemaCommand.Check check) {
            return check(check);
        }
        if (command instanceof SchemaCommand.Types) {
            return new SchemaReply.Names(formats.types());
        }
        throw new IllegalArgumentException("not a registry read: " + command);
    }

    /** The version a request names ("latest", -1 or a number) of a subject, or Confluent's refusal. */
    SchemaState.Version version(String subject, String given, boolean deleted) {
        List<SchemaState.Version> versions = liveSubject(subject, true);
        int number = versionNumber(given);
        if (number == -1) {
            List<SchemaState.Version> live = versions.stream().filter(v -> deleted || !v.deleted()).toList();
            if (live.isEmpty()) {
                throw RegistryErrors.versionNotFound("latest");
            }
            return live.get(live.size() - 1);
        }
        SchemaState.Version version = state.version(subject, number);
        if (version == null || (version.deleted() && !deleted)) {
            throw RegistryErrors.versionNotFound(number);
        }
        return version;
    }

    /** A version as text: "latest" and -1 are -1, else 1..2^31-1, else 42202. */
    static int versionNumber(String given) {
        if (given == null || "latest".equalsIgnoreCase(given.trim())) {
            return -1;
        }
        try {
            int number = Integer.parseInt(given.trim());
            if (number == -1 || number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw RegistryErrors.invalidVersion(given);
    }

    /** The subject's versions (soft-deleted ones too when {@code deleted}); none: 40401. */
    List<SchemaState.Version> liveSubject(String subject, boolean deleted) {
        List<SchemaState.Version> versions = state.versions(subject, deleted);
        if (versions.isEmpty()) {
            throw RegistryErrors.subjectNotFound(subject);
        }
        return versions;
    }

    SchemaReply.Registered registered(SchemaState.Version version) {
        return new SchemaReply.Registered(version.subject(), version.version(), version.id(), stored(version.id()).schema());
    }

    private SchemaReply lookup(SchemaCommand.Lookup lookup) {
        List<SchemaState.Version> versions = liveSubject(lookup.subject(), lookup.deleted());
        SchemaCommand.Schema canonical = canonical(lookup.schema());
        String key = SchemaState.contentKey(canonical);
        for (int i = versions.size() - 1; i >= 0; i--) {
            SchemaState.Version version = versions.get(i);
            if (SchemaState.contentKey(stored(version.id()).schema()).equals(key)) {
                return registered(version);
            }
        }
        throw RegistryErrors.schemaNotFound("Schema not found");
    }

    /**
     * A compatibility check: against every live version (no version given: as a registration would), or against the
     * one named (latest of a subject without versions: compatible; a number that does not exist: 40402).
     */
    private SchemaReply check(SchemaCommand.Check check) {
        List<SchemaState.Version> versions = state.versions(check.subject(), false);
        List<SchemaFormat.Parsed> against = new ArrayList<>();
        String level = state.effectiveCompatibility(check.subject());
        if (check.version() != null) {
            int number = versionNumber(check.version());
            if (number != -1 && (state.version(check.subject(), number) == null || state.version(check.subject(), number).deleted())) {
                throw RegistryErrors.versionNotFound(number);
            }
            versions = number == -1 ? (versions.isEmpty() ? List.of() : List.of(versions.get(versions.size() - 1)))
                    : List.of(state.version(check.subject(), number));
            level = level.replace("_TRANSITIVE", "");
        }
        SchemaFormat.Parsed candidate;
        try {
            candidate = formats.parse(check.schema(), state);
        } catch (io.kafkagateway.core.GatewayException invalid) {
            if (!check.verbose()) {
                throw invalid;
            }
            return new SchemaReply.Compatible(false, List.of(invalid.getMessage()));
        }
        versions.forEach(v -> against.add(parsed(v)));
        List<String> problems = Compatibility.problems(level, candidate, against);
        return new SchemaReply.Compatible(problems.isEmpty(), check.verbose() ? problems : List.of());
    }

    /** The schema as the registry keeps it: its text in the format's canonical form. */
    SchemaCommand.Schema canonical(SchemaCommand.Schema schema) {
        SchemaFormat.Parsed parsed = formats.parse(schema, state);
        return new SchemaCommand.Schema(schema.type(), parsed.canonical(), schema.references());
    }

    SchemaFormat.Parsed parse(SchemaCommand.Schema schema) {
        return formats.parse(schema, state);
    }

    SchemaFormat.Parsed parsed(SchemaState.Version version) {
        return formats.parse(stored(version.id()).schema(), state);
    }

    private SchemaState.Stored stored(int id) {
        SchemaState.Stored stored = state.byId(id);
        if (stored == null) {
            throw RegistryErrors.schemaNotFound("Schema " + id + " not found");
        }
        return stored;
    }
}
