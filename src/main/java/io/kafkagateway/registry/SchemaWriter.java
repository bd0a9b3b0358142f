package io.kafkagateway.registry;

import io.kafkagateway.core.GatewayException;
import io.kafkagateway.core.SchemaCommand;
import io.kafkagateway.core.SchemaReply;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;

/**
 * The registry's writes, carried out on the elected writer only, one at a time: each checks the request against the
 * state (read to the end of the topic), writes its documents to the topic and answers once the topic reader has
 * applied them, so that the answer and every later read agree with the topic. An id is the next after every id the
 * topic has held; if another writer's record took it first (a rebalance race), the state keeps the first and the
 * write is made again.
 */
final class SchemaWriter {

    /** A record of the topic: its key and value (null: a tombstone). */
    record Doc(byte[] key, byte[] value) {
    }

    /** Writes the topic: each record produced in order, answering the last one's offset. */
    interface Topic {
        Future<Long> write(List<Doc> records);
    }

    private static final int ATTEMPTS = 3;

    private final SchemaState state;
    private final SchemaQueries queries;
    private final SchemaLog log;
    private final Topic topic;

    SchemaWriter(SchemaState state, SchemaQueries queries, SchemaLog log, Topic topic) {
        this.state = state;
        this.queries = queries;
        this.log = log;
        this.topic = topic;
    }

    Future<SchemaReply> write(SchemaCommand command) {
        try {
            if (command instanceof SchemaCommand.Register register) {
                return register(register, ATTEMPTS);
            }
            if (command instanceof SchemaCommand.DeleteSubject delete) {
                return deleteSubject(delete);
            }
            if (command instanceof SchemaCommand.DeleteVersion delete) {
                return deleteVersion(delete);
            }
            if (command instanceof SchemaCommand.SetConfig set) {
                String level = Compatibility.level(set.compatibility());
                return append(List.of(record(SchemaDocs.subjectKey("CONFIG", set.subject()),
                        SchemaDocs.configValue(set.subject(), level))), new SchemaReply.Compatibility(level, true));
            }
            if (command instanceof SchemaCommand.DeleteConfig delete) {
                String level = state.compatibility(delete.subject());
                if (delete.subject() != null && level == null) {
                    throw RegistryErrors.subjectNotFound(delete.subject());
                }
                return append(List.of(record(SchemaDocs.subjectKey("CONFIG", delete.subject()), null)),
                        new SchemaReply.Compatibility(level, false));
            }
            if (command instanceof SchemaCommand.SetMode set) {
                if (set.mode() == null) {
                    String mode = state.mode(set.subject());
                    if (set.subject() == null || mode == null) {
                        throw RegistryErrors.subjectNotFound(String.valueOf(set.subject()));
                    }
                    return append(List.of(record(SchemaDocs.subjectKey("MODE", set.subject()), null)), new SchemaReply.Mode(mode));
                }
                String mode = set.mode().trim().toUpperCase(java.util.Locale.ROOT);
                if (!mode.equals("READWRITE") && !mode.equals("READONLY")) {
                    throw RegistryErrors.invalidMode(set.mode());
                }
                return append(List.of(record(SchemaDocs.subjectKey("MODE", set.subject()),
                        SchemaDocs.modeValue(set.subject(), mode))), new SchemaReply.Mode(mode));
            }
            throw new IllegalArgumentException("not a registry write: " + command);
        } catch (GatewayException refused) {
            return Future.failedFuture(refused);
        }
    }

    private Future<SchemaReply> register(SchemaCommand.Register register, int attempts) {
        String subject = register.subject();
        SchemaCommand.Schema schema = queries.canonical(register.schema());
        String key = SchemaState.contentKey(schema);
        for (SchemaState.Version version : state.versions(subject, false)) {
            if (SchemaState.contentKey(state.byId(version.id()).schema()).equals(key)) {
                return Future.succeededFuture(new SchemaReply.Id(version.id()));
            }
        }
        requireWritable(subject);
        List<SchemaFormat.Parsed> previous = new ArrayList<>();
        state.versions(subject, false).forEach(v -> previous.add(queries.parsed(v)));
        List<String> problems = Compatibility.problems(state.effectiveCompatibility(subject),
                queries.parse(schema), previous);
        if (!problems.isEmpty()) {
            throw RegistryErrors.incompatible(subject, problems);
        }
        int known = state.idOf(schema);
        int id = known != 0 ? known : state.maxId() + 1;
        int version = state.lastVersion(subject) + 1;
        // Registered again after a soft delete: the new version replaces the soft-deleted ones of the same schema.
        List<Doc> records = new ArrayList<>();
        state.versions(subject, true).stream().filter(v -> v.deleted() && v.id() == id)
                .forEach(v -> records.add(record(SchemaDocs.schemaKey(subject, v.version()), null)));
        records.add(record(SchemaDocs.schemaKey(subject, version), SchemaDocs.schemaValue(subject, version, id, schema, false)));
        return topic.write(records).compose(offset -> log.applied(offset + 1)).compose(applied -> {
            SchemaState.Version landed = state.version(subject, version);
            if (landed != null && landed.id() == id) {
                return Future.succeededFuture(new SchemaReply.Id(id));
            }
            if (attempts <= 1) {
                return Future.failedFuture(RegistryErrors.storeError("another writer took id " + id
                        + " at the same time; register again"));
            }
            try {
                return register(register, attempts - 1);
            } catch (GatewayException refused) {
                return Future.failedFuture(refused);
            }
        });
    }

    private Future<SchemaReply> deleteSubject(SchemaCommand.DeleteSubject delete) {
        String subject = delete.subject();
        List<SchemaState.Version> all = queries.liveSubject(subject, true);
        List<SchemaState.Version> live = all.stream().filter(v -> !v.deleted()).toList();
        requireWritable(subject);
        List<Doc> records = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        if (!delete.permanent()) {
            if (live.isEmpty()) {
                throw RegistryErrors.subjectSoftDeleted(subject);
            }
            for (SchemaState.Version v : live) {
                requireUnreferenced(v, false);
                numbers.add(v.version());
            }
            // one record, as Confluent writes it: every version up to the last is deleted
            records.add(record(SchemaDocs.subjectKey("DELETE_SUBJECT", subject),
                    SchemaDocs.deleteSubjectValue(subject, all.get(all.size() - 1).version())));
            return append(records, new SchemaReply.Numbers(numbers));
        }
        if (!live.isEmpty()) {
            throw RegistryErrors.subjectNotSoftDeleted(subject);
        }
        for (SchemaState.Version v : all) {
            requireUnreferenced(v, true);
            records.add(record(SchemaDocs.schemaKey(subject, v.version()), null));
            numbers.add(v.version());
        }
        records.addAll(subjectSettingsGone(subject));
        return append(records, new SchemaReply.Numbers(numbers));
    }

    private Future<SchemaReply> deleteVersion(SchemaCommand.DeleteVersion delete) {
        // a number finds a soft-deleted version too (to say it is one); "latest" is the last live one
        boolean latest = SchemaQueries.versionNumber(delete.version()) == -1;
        SchemaState.Version version = queries.version(delete.subject(), delete.version(), !latest || delete.permanent());
        requireWritable(delete.subject());
        requireUnreferenced(version, delete.permanent());
        if (!delete.permanent()) {
            if (version.deleted()) {
                throw RegistryErrors.versionSoftDeleted(version.subject(), version.version());
            }
            return append(List.of(softDeleted(version)), new SchemaReply.Number(version.version()));
        }
        if (!version.deleted()) {
            throw RegistryErrors.versionNotSoftDeleted(version.subject(), version.version());
        }
        List<Doc> records = new ArrayList<>();
        records.add(record(SchemaDocs.schemaKey(version.subject(), version.version()), null));
        if (state.versions(version.subject(), true).size() == 1) {
            records.addAll(subjectSettingsGone(version.subject())); // its last version: the subject goes
        }
        return append(records, new SchemaReply.Number(version.version()));
    }

    /** Tombstones for a subject's own compatibility level and mode, when it has them. */
    private List<Doc> subjectSettingsGone(String subject) {
        List<Doc> records = new ArrayList<>();
        if (state.compatibility(subject) != null) {
            records.add(record(SchemaDocs.subjectKey("CONFIG", subject), null));
        }
        if (state.mode(subject) != null) {
            records.add(record(SchemaDocs.subjectKey("MODE", subject), null));
        }
        return records;
    }

    private Doc softDeleted(SchemaState.Version v) {
        return record(SchemaDocs.schemaKey(v.subject(), v.version()),
                SchemaDocs.schemaValue(v.subject(), v.version(), v.id(), state.byId(v.id()).schema(), true));
    }

    private void requireWritable(String subject) {
        if ("READONLY".equals(state.effectiveMode(subject))) {
            throw RegistryErrors.notPermitted("Subject " + subject + " is in read-only mode");
        }
    }

    /** A version other schemas still reference cannot go (soft: live referrers count; permanent: all). */
    private void requireUnreferenced(SchemaState.Version version, boolean permanent) {
        if (!state.referencing(version.subject(), version.version(), permanent).isEmpty()) {
            throw RegistryErrors.referenceExists(version.subject(), version.version());
        }
    }

    private Future<SchemaReply> append(List<Doc> records, SchemaReply answer) {
        return topic.write(records).compose(offset -> log.applied(offset + 1)).map(applied -> answer);
    }

    private static Doc record(byte[] key, byte[] value) {
        return new Doc(key, value);
    }
}
