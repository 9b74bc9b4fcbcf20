package dev.taskexec.executor.docker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import com.github.dockerjava.api.model.StreamType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The decoder gives back the engine's timestamps exactly, whether it parses one in full or reuses
 * the second of the one before (its fast path), for the shapes the engine writes: RFC 3339 in UTC
 * with nine fraction digits or fewer (trailing zeros trimmed), or none.
 */
class LogDecoderPropertyTest {

    @Test
    void timestampsAndDataComeBackExactly() {
        qt().withExamples(300)
                .forAll(
                        longs().between(1_600_000_000L, 1_900_000_000L),
                        lists().of(integers().between(0, 2_500_000)).ofSizeBetween(1, 40),
                        integers().between(1, 4096))
                .checkAssert(
                        (startSecond, steps, sliceSize) -> {
                            List<Instant> written = new ArrayList<>();
                            StringBuilder stream = new StringBuilder();
                            Instant t = Instant.ofEpochSecond(startSecond);
                            for (int step : steps) {
                                // steps of up to 2.5 s in 1 µs units, some landing on whole seconds
                                // or round fractions
                                t = t.plusNanos((long) step * (step % 3 == 0 ? 1_000_000 : 1_000));
                                written.add(t);
                                stream.append(t)
                                        .append(" line ")
                                        .append(written.size())
                                        .append('\n');
                            }
                            List<Instant> read = new ArrayList<>();
                            List<String> data = new ArrayList<>();
                            LogDecoder decoder =
                                    new LogDecoder(
                                            (s, ts, d) -> {
                                                read.add(ts);
                                                data.add(new String(d, StandardCharsets.UTF_8));
                                            });
                            byte[] bytes = stream.toString().getBytes(StandardCharsets.US_ASCII);
                            try {
                                // in slices, as docker-java hands them over: messages within one,
                                // and across several
                                for (int i = 0; i < bytes.length; i += sliceSize) {
                                    byte[] slice =
                                            java.util.Arrays.copyOfRange(
                                                    bytes,
                                                    i,
                                                    Math.min(bytes.length, i + sliceSize));
                                    decoder.feed(StreamType.STDOUT, slice, slice.length);
                                }
                                decoder.finish();
                            } catch (Exception e) {
                                throw new AssertionError(e);
                            }
                            assertEquals(written, read);
                            for (int i = 0; i < data.size(); i++) {
                                assertArrayEquals(
                                        ("line " + (i + 1) + "\n").getBytes(StandardCharsets.UTF_8),
                                        data.get(i).getBytes(StandardCharsets.UTF_8));
                            }
                        });
    }
}
