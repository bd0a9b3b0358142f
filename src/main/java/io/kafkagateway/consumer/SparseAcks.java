package io.kafkagateway.consumer;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * The commit-metadata encoding of acknowledged ranges above the committed offset, byte-compatible with Kafka-Pixy so
 * that groups move between the two without redelivery. Each range is written as two integers, its distance from the
 * previous end (the committed offset for the first) and its length; each integer as a little-endian base-32 varint,
 * five bits per character, 0x20 marking a continuation, over the base64 alphabet.
 */
public final class SparseAcks {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final int[] DECODE = new int[128];
    /** A 64-bit integer needs at most 13 five-bit groups. */
    private static final int MAX_CHARS_PER_INT = 13;

    static {
        java.util.Arrays.fill(DECODE, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            DECODE[ALPHABET.charAt(i)] = i;
        }
    }

    private SparseAcks() {
    }

    /** Encodes sorted, disjoint {@code ranges}, all above {@code committed}. */
    public static String encode(long committed, List<AckedRange> ranges) {
        StringBuilder out = new StringBuilder(ranges.size() * 4);
        long base = committed;
        for (AckedRange range : ranges) {
            encodeInt(range.from() - base, out);
            encodeInt(range.to() - range.from(), out);
            base = range.to();
        }
        return out.toString();
    }

    /**
     * Decodes {@code metadata} written for {@code committed}.
     *
     * @throws IllegalArgumentException when it is not a valid encoding, or a range is empty or not above the one
     *                                  before (the committed offset for the first)
     */
    public static List<AckedRange> decode(long committed, String metadata) {
        List<AckedRange> ranges = new ArrayList<>();
        if (metadata == null || metadata.isEmpty()) {
            return ranges;
        }
        int[] position = {0};
        long base = committed;
        while (position[0] < metadata.length()) {
            long gap = decodeInt(metadata, position);
            long length = decodeInt(metadata, position);
            if (gap <= 0 || length <= 0) {
                throw new IllegalArgumentException("range " + ranges.size() + " of '" + metadata + "' does not start above "
                        + base + " or is empty");
            }
            AckedRange range = new AckedRange(base + gap, base + gap + length);
            ranges.add(range);
            base = range.to();
        }
        return ranges;
    }

    /** The human form of the ranges relative to {@code committed}: {@code "1-4,6-8"}; empty when there are none. */
    public static String describe(long committed, List<AckedRange> ranges) {
        StringJoiner out = new StringJoiner(",");
        ranges.forEach(r -> out.add((r.from() - committed) + "-" + (r.to() - committed)));
        return out.toString();
    }

    static void encodeInt(long value, StringBuilder out) {
        long n = value;
        while ((n >>> 5) > 0) {
            out.append(ALPHABET.charAt((int) (n & 0x1F) | 0x20));
            n >>>= 5;
        }
        out.append(ALPHABET.charAt((int) (n & 0x1F)));
    }

    private static long decodeInt(String s, int[] position) {
        long value = 0;
        for (int i = 0; i < MAX_CHARS_PER_INT && position[0] < s.length(); i++) {
            char c = s.charAt(position[0]++);
            int digit = c < DECODE.length ? DECODE[c] : -1;
            if (digit < 0) {
                throw new IllegalArgumentException("'" + c + "' is not a sparse-ack character");
            }
            value |= (long) (digit & 0x1F) << (5 * i);
            if ((digit & 0x20) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("'" + s + "' ends in the middle of a number");
    }
}
