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
                .forAll(
                        integers().between(1, 4096),
                        lists().of(integers().between(0, 1500)).ofSizeBetween(0, 200),
                        integers().between(0, 250))
                .checkAssert(
                        (bound, sizes, readFrom) -> {
                            LogBuffer buffer = new LogBuffer(bound, 0);
                            for (int i = 0; i < sizes.size(); i++) {
                                buffer.append(message(sizes.get(i)));
                            }
                            List<LogBuffer.Entry> held = buffer.snapshot();
                            long bytes =
                                    held.stream()
                                            .mapToLong(e -> e.message().getData().size())
                                            .sum();
                            // within the bound, except that the newest message is kept whatever its
                            // size
                            assertTrue(
                                    bytes <= bound || held.size() == 1,
                                    "holds " + bytes + " bytes for a bound of " + bound);
                            assertEquals(sizes.size(), buffer.nextSeq());
                            if (!sizes.isEmpty()) {
                                assertEquals(
                                        sizes.size() - 1,
                                        held.get(held.size() - 1).seq(),
                                        "the newest is kept");
                            }
                            for (int i = 1; i < held.size(); i++) {
                                assertEquals(
                                        held.get(i - 1).seq() + 1,
                                        held.get(i).seq(),
                                        "what is held is contiguous");
                            }
                            for (LogBuffer.Entry e : held) {
                                assertEquals(
                                        sizes.get((int) e.seq()).intValue(),
                                        e.message().getData().size());
                            }
                            // a follower attached now starts from the window, and has nothing more
                            // to read yet
                            try (LogBuffer.Cursor cursor = buffer.follow()) {
                                assertEquals(held, cursor.past());
                                assertEquals(List.of(), cursor.await(0).entries());
                            } catch (InterruptedException e) {
                                throw new AssertionError(e);
                            }
                        });
    }

    /**
     * A follower that reads at random moments while messages are appended: it gets every message
     * once, in order, or is told how many it missed; it misses none while what it lags by fits the
     * lag bound; and once it detaches the buffer shrinks back to its window.
     */
    @Test
    void aLaggingFollowerMissesNothingWithinTheLagBoundAndIsToldOfEveryGap() {
        qt().withExamples(500)
                .forAll(
                        integers().between(1, 2048),
                        integers().between(0, 8192),
                        lists().of(integers().between(-1, 600)).ofSizeBetween(0, 300))
                .checkAssert(
                        (bound, lag, ops) -> {
                            // ops: a size appends a message of that size, -1 lets the follower read
                            // one batch
                            LogBuffer buffer = new LogBuffer(bound, lag);
                            List<Integer> sizes = new java.util.ArrayList<>();
                            List<Long> received = new java.util.ArrayList<>();
                            long[] dropped = {0};
                            LogBuffer.Cursor cursor = buffer.follow();
                            long maxLagCost =
                                    0; // the most the follower ever lagged by, beyond the window
                            for (int op : ops) {
                                if (op < 0) {
                                    read(cursor, received, dropped);
                                } else {
                                    buffer.append(message(op));
                                    sizes.add(op);
                                }
                                maxLagCost =
                                        Math.max(
                                                maxLagCost,
                                                lagCost(
                                                        sizes,
                                                        received.size() + dropped[0],
                                                        bound));
                            }
                            buffer.end();
                            while (!cursor.exhausted()) {
                                read(cursor, received, dropped);
                            }
                            // every message was received once, in order, or counted as dropped
                            assertEquals(sizes.size(), received.size() + dropped[0]);
                            for (int i = 1; i < received.size(); i++) {
                                assertTrue(
                                        received.get(i - 1) < received.get(i),
                                        "in order: " + received);
                            }
                            if (maxLagCost <= lag) {
                                assertEquals(
                                        0,
                                        dropped[0],
                                        "lagged by at most " + maxLagCost + " of " + lag);
                            }
                            cursor.close();
                            assertEquals(0, buffer.keptCount());
                            assertEquals(buffer.snapshot().size(), buffer.heldCount());
                        });
    }

    private static void read(LogBuffer.Cursor cursor, List<Long> received, long[] dropped) {
        try {
            LogBuffer.Batch batch = cursor.await(0);
            dropped[0] += batch.dropped();
            batch.entries().forEach(e -> received.add(e.seq()));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * What keeping the unread messages before the window costs, for a follower that has consumed
     * the first {@code consumed} of {@code sizes} and a window of {@code bound} bytes.
     */
    private static long lagCost(List<Integer> sizes, long consumed, int bound) {
        int windowStart = sizes.size();
        long windowBytes = 0;
        while (windowStart > 0
                && (windowStart == sizes.size()
                        || windowBytes + sizes.get(windowStart - 1) <= bound)) {
            windowStart--;
            windowBytes += sizes.get(windowStart);
        }
        long cost = 0;
        for (long i = consumed; i < windowStart; i++) {
            cost += sizes.get((int) i) + LogBuffer.ENTRY_COST;
        }
        return cost;
    }

    private static LogMessage message(int size) {
        return LogMessage.newBuilder().setData(ByteString.copyFrom(new byte[size])).build();
    }
}
