package io.kafkagateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkagateway.core.ConsumedMessage;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The kafka-proxy batch frame: valid JSON in UTF-8 whatever the message bytes, values escaped where JSON needs it. */
class KafkaProxyFrameTest {

    private static ConsumedMessage message(long offset, byte[] value) {
        return new ConsumedMessage("t", 0, offset, 0, null, value, List.of());
    }

    @Test
    void everyKindOfValueBecomesTheMessageText() throws Exception {
        byte[] invalid = {'a', (byte) 0xff, 'b'};
        List<ConsumedMessage> batch = List.of(
                message(7, "plain".getBytes(StandardCharsets.UTF_8)),
                message(8, "quote \" backslash \\ newline \n tab \t bell \u0007".getBytes(StandardCharsets.UTF_8)),
                message(9, "héllo wörld ✓ 😀".getBytes(StandardCharsets.UTF_8)),
                message(10, invalid),
                message(11, null),
                message(12, new byte[0]));

        byte[] frame = KafkaProxySession.frame(batch).getBytes();

        // Then: a strict decoder (it throws on malformed input) reads the frame
        String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(frame)).toString();
        assertThat(text).startsWith("[{").endsWith("}]");
        JsonNode json = new ObjectMapper().readTree(frame);
        List<String> messages = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        json.forEach(m -> {
            messages.add(m.get("message").isNull() ? null : m.get("message").asText());
            offsets.add(m.get("offset").asLong());
        });
        assertThat(offsets).containsExactly(7L, 8L, 9L, 10L, 11L, 12L);
        assertThat(messages).containsExactly("plain", "quote \" backslash \\ newline \n tab \t bell \u0007",
                "héllo wörld ✓ 😀", "a\uFFFDb", null, "");
    }
}
