package io.kafkagateway.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * Durations written the way Go's {@code time.ParseDuration} reads them, as Kafka-Pixy configs do: a sequence of
 * decimal numbers with units, e.g. {@code 300ms}, {@code 1.5s}, {@code 2h45m}. Units: ns, us (or µs), ms, s, m, h.
 */
public final class GoDuration {

    private static final Map<String, Long> NANOS_PER_UNIT = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "\u00b5s", 1_000L,
            "\u03bcs", 1_000L,
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private GoDuration() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a message that says what is wrong and shows the syntax
     */
    public static Duration parse(String text) {
        if (text == null) {
            throw bad("null");
        }
        String s = text.trim();
        if (s.equals("0") || s.equals("+0") || s.equals("-0")) {
            return Duration.ZERO;
        }
        boolean negative = false;
        int i = 0;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        if (i >= s.length()) {
            throw bad(text);
        }
        BigDecimal total = BigDecimal.ZERO;
        while (i < s.length()) {
            int numberStart = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            String number = s.substring(numberStart, i);
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
                i++;
            }
            String unit = s.substring(unitStart, i);
            Long nanosPerUnit = NANOS_PER_UNIT.get(unit);
            if (number.isEmpty() || number.equals(".") || unit.isEmpty() || nanosPerUnit == null) {
                throw bad(text);
            }
            BigDecimal value;
            try {
                value = new BigDecimal(number);
            } catch (NumberFormatException e) {
                throw bad(text);
            }
            total = total.add(value.multiply(BigDecimal.valueOf(nanosPerUnit)));
            if (total.compareTo(MAX_NANOS) > 0) {
                throw new IllegalArgumentException("duration '" + text + "' is too long");
            }
        }
        long nanos = total.longValue();
        return Duration.ofNanos(negative ? -nanos : nanos);
    }

    /** Formats {@code duration} as Go prints it, e.g. {@code 500ms}, {@code 1m30s}, {@code 0s}. */
    public static String format(Duration duration) {
        long nanos = duration.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        long abs = Math.abs(nanos);
        if (abs < 1_000L) {
            return sign + abs + "ns";
        }
        if (abs < 1_000_000L) {
            return sign + trim(BigDecimal.valueOf(abs, 3)) + "us";
        }
        if (abs < 1_000_000_000L) {
            return sign + trim(BigDecimal.valueOf(abs, 6)) + "ms";
        }
        StringBuilder out = new StringBuilder(sign);
        long hours = abs / 3_600_000_000_000L;
        long minutes = (abs / 60_000_000_000L) % 60;
        long secondNanos = abs % 60_000_000_000L;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        out.append(trim(BigDecimal.valueOf(secondNanos, 9))).append('s');
        return out.toString();
    }

    private static String trim(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0).toPlainString() : stripped.toPlainString();
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("'" + text + "' is not a duration; write it like 300ms, 1.5s, 2m or 1h30m"
                + " (units ns, us, ms, s, m, h)");
    }
}
