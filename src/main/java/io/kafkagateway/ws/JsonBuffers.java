package io.kafkagateway.ws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.UnsafeByteOperations;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** JSON frames written straight into a buffer as UTF-8, with message bytes copied in rather than decoded first. */
final class JsonBuffers {

    private static final JsonFactory JSON = new JsonFactory();

    /** Writes one JSON document. */
    interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private JsonBuffers() {
    }

    /** The document {@code body} writes, in a buffer sized for {@code estimate} bytes to begin with. */
    static Buffer write(int estimate, Body body) {
        ByteBuf out = Unpooled.buffer(Math.max(64, estimate));
        try (JsonGenerator json = JSON.createGenerator((OutputStream) new ByteBufOutputStream(out))) {
            body.write(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return BufferInternal.buffer(out);
    }

    /**
     * {@code bytes} as a JSON string: valid UTF-8 goes in as it is (escaped where JSON needs it); anything else is
     * decoded with replacement characters first, so the frame stays valid UTF-8.
     */
    static void text(JsonGenerator json, byte[] bytes) throws IOException {
        if (UnsafeByteOperations.unsafeWrap(bytes).isValidUtf8()) {
            json.writeUTF8String(bytes, 0, bytes.length);
        } else {
            json.writeString(new String(bytes, StandardCharsets.UTF_8));
        }
    }
}
