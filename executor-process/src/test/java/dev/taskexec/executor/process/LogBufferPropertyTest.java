package dev.taskexec.executor.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import com.google.protobuf.ByteString;
import dev.taskexec.api.proto.LogMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Properties of the bounded log buffer, for random message sizes, bounds and reader positions. */
class LogBufferPropertyTest {

    @Test
    void staysWithinItsBoundKeepsTheNewestAndNumbersInOrder() {
        qt().withExamples(500)
                .forAll(integers().between(1, 4096), lists().of(integers().between(0, 1500)).ofSizeBetween(0, 200),
                        integers().between(0, 250))
                .checkAssert((bound, sizes, readFrom) -> {
                    LogBuffer buffer = new LogBuffer(bound);
                    for (int i = 0; i < sizes.size(); i++) {
                        buffer.append(message(sizes.get(i)));
                    }
                    List<LogBuffer.Entry> held = buffer.snapshot();
                    long bytes = held.stream().mapToLong(e -> e.message().getData().size()).sum();
                    // within the bound, except that the newest message is kept whatever its size
                    assertTrue(bytes <= bound || held.size() == 1, "holds " + bytes + " bytes for a bound of " + bound);
                    assertEquals(sizes.size(), buffer.nextSeq());
                    if (!sizes.isEmpty()) {
                        assertEquals(sizes.size() - 1, held.get(held.size() - 1).seq(), "the newest is kept");
                    }
                    for (int i = 1; i < held.size(); i++) {
                        assertEquals(held.get(i - 1).seq() + 1, held.get(i).seq(), "what is held is contiguous");
                    }
                    for (LogBuffer.Entry e : held) {
                        assertEquals(sizes.get((int) e.seq()).intValue(), e.message().getData().size());
                    }
                    try {
                        // a reader never waits for what exists, and gets only what it has not seen
                        LogBuffer.Batch batch = buffer.awaitFrom(readFrom, 0);
                        assertTrue(batch.entries().stream().allMatch(e -> e.seq() >= readFrom));
                        assertEquals(Math.max(readFrom, sizes.size()), batch.next());
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                });
    }

    private static LogMessage message(int size) {
        return LogMessage.newBuilder().setData(ByteString.copyFrom(new byte[size])).build();
    }
}
