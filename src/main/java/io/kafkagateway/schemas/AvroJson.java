package io.kafkagateway.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Avro data as Confluent's REST Proxy writes and reads it in JSON: Avro's own JSON encoding (a union is {@code null} or
 * {@code {"branch": value}}, bytes and fixed are strings of code points U+0000-U+00FF), with Avro's encoders.
 */
public final class AvroJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private AvroJson() {
    }

    /** {@code json} in Avro's binary encoding of {@code schema}. @throws IllegalArgumentException saying what does not match */
    public static byte[] encode(Schema schema, JsonNode json) {
        try {
            Object datum = new GenericDatumReader<>(schema).read(null, DecoderFactory.get().jsonDecoder(schema, json.toString()));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<>(schema).write(datum, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | AvroRuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Avro binary {@code payload} (from {@code offset}) of {@code schema}, as JSON. @throws IllegalArgumentException when it does not decode */
    public static JsonNode decode(Schema schema, byte[] payload, int offset) {
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(payload, offset, payload.length - offset, null);
            Object datum = new GenericDatumReader<>(schema).read(null, decoder);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            JsonEncoder encoder = EncoderFactory.get().jsonEncoder(schema, out);
            new GenericDatumWriter<>(schema).write(datum, encoder);
            encoder.flush();
            return MAPPER.readTree(out.toByteArray());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not Avro data of schema " + schema.getFullName() + ": " + e, e);
        }
    }
}
