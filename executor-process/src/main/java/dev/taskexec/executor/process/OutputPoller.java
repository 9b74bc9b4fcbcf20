package dev.taskexec.executor.process;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the output files of every running task of an executor on <em>one</em> thread, whatever
 * the number of tasks: each task's stdout and stderr are files its process writes directly (see
 * {@link OutputFiles}), and this thread reads what was appended since its last look, into each
 * stream's {@link ChunkAssembler}.
 *
 * <p><b>Polling.</b> A file that gave data is read again at once, at most {@value #READ_SIZE} bytes
 * per file and pass, so streams share the thread fairly; a file that gave nothing is looked at
 * again after an eighth of the time it has been quiet, from 1 ms up to {@value #MAX_IDLE_MILLIS} ms:
 * a task silent for long costs about {@code 1000 / MAX_IDLE_MILLIS} positional reads a second, and
 * output after a silence of {@code t} is heard within {@code t / 8} (at most that maximum). {@link Source#drain()} reads a file to its end at once.
 *
 * <p><b>Holding back.</b> The file keeps what was not read yet, so there is no hurry to read it when a
 * follower of the task's logs is behind: while {@link ChunkAssembler#holdBack} says so, a source is
 * not read (looked at again every millisecond), and a follower slowed for a moment catches up instead
 * of missing messages. The task itself never waits: it writes to the file. A file whose read part
 * is freed ({@code reclaim}) is held back only while its unread part is within
 * {@value #HOLD_LIMIT} bytes, so that what waits there stays bounded; a complete copy (the
 * {@code state-dir}) costs nothing more by waiting.
 *
 * <p><b>Disk.</b> With {@code reclaim}, the part of a file already read is given back to the file
 * system ({@code fallocate(FALLOC_FL_PUNCH_HOLE)}, in steps of {@value #RECLAIM_STEP} bytes): the file
 * keeps its length but its disk use stays near what is not read yet. Without it (the executor's
 * {@code state-dir}) the file stays a complete copy of the output.
 *
 * <p>Linux only (through JNA, one descriptor per file); {@link #available()} tells. The thread
 * starts with the first file and ends once {@link #close() closed} and every file was drained.
 * Thread-safe.
 */
final class OutputPoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutputPoller.class);

    static final int READ_SIZE = ChunkAssembler.MAX_CHUNK;
    static final long MAX_IDLE_MILLIS = 100;
    static final long RECLAIM_STEP = 1L << 20;
    private static final long HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    static final long HOLD_LIMIT = 256L << 20;

    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int FALLOC_FL_PUNCH_HOLE = 2;
    private static final int EINTR = 4;

    /** Direct-mapped libc calls: an idle poll is one {@code pread}, so the call must be cheap. */
    private static final class LibC {
        static native int open(String path, int flags);

        static native long pread(int fd, com.sun.jna.Pointer buf, long count, long offset);

        static native int fallocate(int fd, int mode, long offset, long length);

        static native int close(int fd);
    }

    private static final boolean AVAILABLE = register();

    private static boolean register() {
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            return false;
        }
        try {
            Native.register(LibC.class, NativeLibrary.getInstance("c"));
            return true;
        } catch (LinkageError | RuntimeException e) {
            LOG.debug("libc's pread/fallocate are not reachable through JNA", e);
            return false;
        }
    }

    /** Whether output can be read this way here. */
    static boolean available() {
        return AVAILABLE;
    }

    private final String threadName;
    private final ConcurrentLinkedQueue<Source> added = new ConcurrentLinkedQueue<>();
    private final Object lifecycle = new Object();
    // guarded by lifecycle
    private Thread thread;
    private int live;
    private boolean closed;

    OutputPoller(String threadName) {
        this.threadName = threadName;
    }

    /**
     * Starts reading {@code file} (which must exist) from its beginning into {@code assembler}.
     *
     * @param reclaim free the disk space of what was read
     * @throws IOException when the file cannot be opened
     * @throws IllegalStateException when the poller is closed
     */
    Source register(Path file, ChunkAssembler assembler, boolean reclaim) throws IOException {
        int fd = LibC.open(file.toString(), O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("cannot open " + file + ": errno " + Native.getLastError());
        }
        Source s = new Source(file, fd, assembler, reclaim);
        synchronized (lifecycle) {
            if (closed) {
                LibC.close(fd);
                throw new IllegalStateException("the output poller is closed");
            }
            live++;
            added.add(s);
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name(threadName).start(this::run);
            } else {
                LockSupport.unpark(thread);
            }
        }
        return s;
    }

    /** Stops taking files; the thread ends once the registered ones are drained or cancelled. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            closed = true;
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }
    }

    /** Whether the thread runs, for tests. */
    boolean running() {
        synchronized (lifecycle) {
            return thread != null;
        }
    }

    private void wake() {
        Thread t;
        synchronized (lifecycle) {
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void run() {
        List<Source> sources = new ArrayList<>();
        Memory buffer = new Memory(READ_SIZE);
        byte[] bytes = new byte[READ_SIZE];
        try {
            while (true) {
                for (Source s; (s = added.poll()) != null; ) {
                    sources.add(s);
                }
                synchronized (lifecycle) {
                    if (sources.isEmpty() && added.isEmpty() && (closed || live == 0)) {
                        thread = null;
                        return;
                    }
                }
                long now = System.nanoTime();
                long wait = TimeUnit.MILLISECONDS.toNanos(MAX_IDLE_MILLIS);
                boolean progress = false;
                for (int i = 0; i < sources.size(); i++) {
                    Source s = sources.get(i);
                    if (s.cancelled) {
                        s.release();
                    } else if (s.draining || now - s.due >= 0) {
                        progress |= s.poll(buffer, bytes, now);
                    }
                    if (s.done) {
                        sources.set(i, sources.get(sources.size() - 1));
                        sources.remove(sources.size() - 1);
                        i--;
                        synchronized (lifecycle) {
                            live--;
                        }
                        continue;
                    }
                    wait = Math.min(wait, s.draining && !s.held ? 0 : s.due - now);
                }
                if (!progress && wait > 0) {
                    LockSupport.parkNanos(this, wait);
                }
            }
        } catch (Throwable t) {
            LOG.error("the output poller failed; output of running tasks is no longer read", t);
            for (Source s : sources) {
                s.fail(t);
            }
            synchronized (lifecycle) {
                thread = null;
            }
        }
    }

    /** One file being read. Its fields other than the flags are the poller thread's. */
    final class Source {

        private final Path file;
        private final int fd;
        private final ChunkAssembler assembler;
        private boolean reclaim;
        private long position;
        private long reclaimed;

        /** When the file last gave data (or was registered). */
        private long lastData = System.nanoTime();

        private long due = lastData;
        private volatile boolean draining;
        private volatile boolean cancelled;

        /** Whether the last look held back for a follower; then it is looked at again in a millisecond. */
        private boolean held;

        private boolean done;
        private final CompletableFuture<Void> drained = new CompletableFuture<>();

        private Source(Path file, int fd, ChunkAssembler assembler, boolean reclaim) {
            this.file = file;
            this.fd = fd;
            this.assembler = assembler;
            this.reclaim = reclaim;
        }

        /**
         * Reads the file to its current end, publishes a last unterminated line, and stops: the
         * writer has gone. The future completes then; a second call returns the same future.
         */
        CompletableFuture<Void> drain() {
            draining = true;
            wake();
            return drained;
        }

        /** Stops reading at once, without draining (the output is no longer wanted); idempotent. */
        void cancel() {
            cancelled = true;
            wake();
        }

        /** How far the file was read, for tests. */
        long position() {
            return position;
        }

        /** One read; whether it gave data. */
        private boolean poll(Memory buffer, byte[] bytes, long now) {
            boolean ending =
                    draining; // read before the file, so nothing the writer wrote is missed
            held = assembler.holdBack(now) && (!reclaim || unread() <= HOLD_LIMIT);
            if (held) {
                due = now + HOLD_NANOS;
                return false;
            }
            int want = Math.min(READ_SIZE, assembler.room());
            long n;
            do {
                n = LibC.pread(fd, buffer, want, position);
            } while (n < 0 && Native.getLastError() == EINTR);
            if (n < 0) {
                LOG.warn(
                        "reading {} failed (errno {}); the rest of this output is lost",
                        file,
                        Native.getLastError());
                n = 0;
                ending = true;
            }
            if (n > 0) {
                buffer.read(0, bytes, 0, (int) n);
                assembler.accept(bytes, 0, (int) n);
                position += n;
                lastData = now;
                due = now;
                reclaim();
                return true;
            }
            if (ending) {
                assembler.end();
                release();
                drained.complete(null);
                return false;
            }
            // look again after an eighth of the time the file has been quiet (1 ms to
            // MAX_IDLE_MILLIS): a
            // task that just started or paused briefly is heard at once, one silent for long costs
            // little
            long quiet = now - lastData;
            due =
                    now
                            + Math.min(
                                    TimeUnit.MILLISECONDS.toNanos(MAX_IDLE_MILLIS),
                                    Math.max(1_000_000, quiet / 8));
            return false;
        }

        /** How many bytes of the file were not read yet; 0 when that cannot be told. */
        private long unread() {
            try {
                return Math.max(0, Files.size(file) - position);
            } catch (IOException e) {
                return 0;
            }
        }

        private void reclaim() {
            if (!reclaim || position - reclaimed < RECLAIM_STEP) {
                return;
            }
            long upTo = position - position % RECLAIM_STEP;
            if (LibC.fallocate(
                            fd,
                            FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
                            reclaimed,
                            upTo - reclaimed)
                    != 0) {
                LOG.info(
                        "cannot free the disk space of read output in {} (errno {}); it stays until the task is removed",
                        file,
                        Native.getLastError());
                reclaim = false;
                return;
            }
            reclaimed = upTo;
        }

        private void release() {
            if (!done) {
                done = true;
                LibC.close(fd);
                drained.complete(null);
            }
        }

        private void fail(Throwable t) {
            if (!done) {
                done = true;
                LibC.close(fd);
                drained.completeExceptionally(t);
            }
        }
    }
}
