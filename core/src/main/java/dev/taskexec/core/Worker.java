package dev.taskexec.core;

import static org.apiguardian.api.API.Status.STABLE;

import dev.taskexec.api.Controller;
import dev.taskexec.api.ControllerLogs;
import dev.taskexec.api.Errors;
import dev.taskexec.api.Executor;
import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.ReapedResource;
import dev.taskexec.api.TaskRecovery;
import dev.taskexec.api.proto.LogSelector;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the set of tasks assigned to this node, each at its desired state: swarmkit's worker.
 *
 * <p>The orchestrator (or an integrator standing in for it) hands the worker tasks, either as the
 * {@linkplain #assign(Collection) complete set} for this node or as
 * {@linkplain #update(Collection, Collection) changes} to it:
 * <ul>
 *   <li>a task not seen before is resolved with {@link Lifecycle#resolve} on the worker's
 *       {@link Executor}; the resulting status is recorded and reported even when resolution
 *       failed (it is then usually REJECTED, and the task stays known with that status but gets no
 *       runner: an update to it is ignored). Otherwise a {@link TaskRunner} starts driving it;</li>
 *   <li>a known task is handed to its runner as an {@linkplain TaskRunner#update(Task) update}
 *       (a lower desired state or a mere status change is ignored there);</li>
 *   <li>a task no longer assigned is forgotten at once (its status is no longer listed or
 *       reported) and cleaned up on a thread of its own: its runner is closed; its controller is
 *       {@linkplain Controller#shutdown() shut down} if the task had got as far as PREPARING but
 *       not to a terminal state, then {@linkplain Controller#remove() removed}, then
 *       {@linkplain Controller#close() closed}. Shutdown and remove are each tried up to
 *       {@value #CLEANUP_ATTEMPTS} times, with the runner options' backoff between attempts, and
 *       failures are logged; every step that succeeds happens exactly once, and close happens
 *       exactly once whatever came before. {@link #awaitCleanup(Duration)} waits for this.</li>
 * </ul>
 *
 * <p><b>Statuses.</b> The worker keeps the latest status of every task it knows
 * ({@link #status(String)}, {@link #statuses()}) and streams changes to every
 * {@linkplain #listen(StatusReporter) listener}, each on its own thread, so a listener that throws
 * or blocks stalls neither the tasks nor the other listeners. A runner's new status is recorded
 * (stored, then kept and streamed) on one thread of the worker's, in the order the runners gave
 * them, while the runner goes on to its next step, as swarmkit's agent reports statuses: a task
 * does not wait for a durable write (an fsync, several milliseconds on a busy disk) before each
 * step. So the worker's statuses trail its runners' by the writes still queued; {@link #close()}
 * finishes them.
 *
 * <p><b>Durability.</b> A worker made with {@link #create(Executor)} keeps its tasks in memory only.
 * One {@linkplain #open(Executor, TaskStore) opened} on a {@link TaskStore} (such as the SQLite
 * store of {@code taskexec-store-sqlite}) writes through it, in the order the store's
 * documentation gives: a task is stored before its runner starts, a status before it is recorded
 * and reported, a removed task is marked before its clean-up and deleted only after its
 * controller's {@code remove()} succeeded (when removal keeps failing the record stays, and the
 * next worker opened on the store tries again). A worker opened on a store that already holds
 * tasks takes them up again: see {@link #open(Executor, TaskStore, RunnerOptions)}. When the store
 * fails to record a status, the failure is logged and the status is neither recorded nor reported
 * (so that nothing reported can be lost), and the task goes on. Since the runners do not wait for
 * their statuses to be stored, a crash can leave the store a step or two behind a task's
 * controller (say READY for a container that has started); a worker taking the task up again
 * steps it on, and the backend reports what had already happened (see {@link TaskRecovery}).
 *
 * <p><b>Ownership.</b> The worker owns the controllers it resolved and the threads it started, but
 * neither the executor nor the store: {@link #close()} leaves both open, and the store then holds
 * every task the worker had, for the next worker opened on it.
 *
 * <p><b>Threads.</b> Every method is thread-safe. {@code assign} and {@code update} are serialised
 * with each other and return once every new runner has started and every removed task's clean-up
 * has been started; they block only for {@link Executor#controller(Task)} calls. When the calling
 * thread is interrupted during one, a new task whose resolution the interruption cut short is not
 * taken (and gets no status), so that the next {@code assign} resolves it again; the interrupt flag
 * stays set.
 */
@API(status = STABLE, since = "0.1")
public final class Worker implements AutoCloseable {

    /** How many times shutdown and remove are each tried when a task is unassigned. */
    public static final int CLEANUP_ATTEMPTS = 3;

    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    /** What the worker knows of one task: fixed at assignment, apart from its status. */
    private final class Entry implements StatusReporter {
        final String id;

        /**
         * The task as assigned, until its runner starts; then null, as the runner holds the task
         * (one Task object less per task: the heap per waiting task is a stated target).
         */
        volatile Task assigned;

        /** Null when resolution failed. */
        final Controller controller;

        /** Null when resolution failed; set once, under {@link #lock}. */
        volatile TaskRunner runner;

        /** The latest status. Written under {@link #statusLock}. */
        volatile TaskStatus status;

        Entry(Task assigned, Controller controller, TaskStatus status) {
            this.id = assigned.getId();
            this.assigned = assigned;
            this.controller = controller;
            this.status = status;
        }

        String id() {
            return id;
        }

        /** The task as last assigned or updated. */
        Task task() {
            TaskRunner r = runner;
            return r != null ? r.task() : assigned;
        }

        /**
         * The runner's reporter: has the status recorded and broadcast (unless this task was
         * removed) on the worker's status thread, in order, without waiting for it.
         */
        @Override
        public void report(String taskId, TaskStatus next) {
            try {
                statusWriter.execute(() -> publish(this, next));
            } catch (RejectedExecutionException e) {
                publish(this, next); // no thread for it (refused, or the worker closing): inline
            }
        }
    }

    private final Executor executor;
    private final RunnerOptions options;
    private final TaskStore store;

    /** Serialises assign, update, log subscription and close. */
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * Guards statuses and listeners, so that a new listener's replay and the stream of changes
     * after it neither miss nor repeat a status. Never held while calling out.
     */
    private final ReentrantLock statusLock = new ReentrantLock();

    /** Known tasks in assignment order. Changed under both locks; read under either. */
    private final Map<String, Entry> tasks = new LinkedHashMap<>();

    /** Guarded by {@link #statusLock}. */
    private final List<ListenerHandle> listeners = new ArrayList<>();

    /** Guarded by {@link #lock}. */
    private final List<LogSubscription> subscriptions = new ArrayList<>();

    /** The clean-up of removed tasks, and its threads. */
    private final TaskCleanup cleanups;

    /** Records and broadcasts the runners' statuses, in order, on one thread: see Statuses. */
    private final ExecutorService statusWriter;

    /** The status writer's thread (a new one if one died), for close to wait for its end. */
    private final List<Thread> statusThreads = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Written under {@link #lock}. */
    private volatile boolean closed;

    private Worker(Executor executor, RunnerOptions options, TaskStore store) {
        this.executor = executor;
        this.options = options;
        this.store = store;
        this.cleanups = new TaskCleanup(options, this::forgetRecord);
        this.statusWriter =
                Executors.newSingleThreadExecutor(
                        work -> {
                            Thread t = options.threadFactory().newThread(work);
                            if (t != null) {
                                t.setName("taskexec-status-writer");
                                statusThreads.add(t);
                            }
                            return t;
                        });
    }

    /**
     * A worker on {@code executor} with {@link RunnerOptions#defaults() default options}.
     *
     * @throws NullPointerException if {@code executor} is null
     */
    public static Worker create(Executor executor) {
        return create(executor, RunnerOptions.defaults());
    }

    /**
     * A worker on {@code executor} whose runners, listeners, log streams and clean-ups use
     * {@code options}.
     *
     * @throws NullPointerException if an argument is null
     */
    public static Worker create(Executor executor, RunnerOptions options) {
        return new Worker(
                Objects.requireNonNull(executor, "executor"),
                Objects.requireNonNull(options, "options"),
                NoTaskStore.INSTANCE);
    }

    /**
     * A worker on {@code executor} that keeps its tasks in {@code store}, with
     * {@link RunnerOptions#defaults() default options}.
     *
     * @see #open(Executor, TaskStore, RunnerOptions)
     */
    public static Worker open(Executor executor, TaskStore store) {
        return open(executor, store, RunnerOptions.defaults());
    }

    /**
     * A worker on {@code executor} that keeps its tasks in {@code store}, and takes up the tasks
     * the store already holds: swarmkit's worker after a restart. In this order:
     * <ol>
     *   <li>if the executor is a {@link TaskRecovery}, its
     *       {@linkplain TaskRecovery#reapOrphans orphans} are reaped: everything it owns for a task
     *       the store does not hold is stopped and removed, and each reap is logged (a failure to
     *       reap is logged as a warning and does not stop the opening);</li>
     *   <li>every stored task marked removed gets its clean-up again (shutdown if it had got as far
     *       as PREPARING but not to a terminal state, remove, close; the record is deleted once
     *       remove succeeded); it is not listed or reported;</li>
     *   <li>every other stored task is resolved again and resumed from its stored status by a
     *       runner, as {@link Lifecycle} directs: a RUNNING task is awaited, a STARTING one started
     *       again (a backend that {@linkplain TaskRecovery re-adopts} answers that it already is),
     *       a terminal one stays as it is. Its status is listed and replayed to listeners as any
     *       other.</li>
     * </ol>
     * Then the worker is used like one {@linkplain #create made} without a store; the next
     * {@link #assign} (the orchestrator's complete set) removes the resumed tasks no longer
     * assigned. The caller keeps owning {@code store}: it closes it after closing the worker, and
     * opens no other worker on it meanwhile.
     *
     * @throws NullPointerException if an argument is null
     * @throws TaskStoreException if the store cannot be read
     */
    public static Worker open(Executor executor, TaskStore store, RunnerOptions options) {
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(store, "store");
        Worker worker = new Worker(executor, options, store);
        try {
            worker.recover();
        } catch (RuntimeException e) {
            worker.close();
            throw e;
        }
        return worker;
    }

    private void recover() {
        List<StoredTask> stored = store.load();
        Set<String> claimed = new LinkedHashSet<>();
        stored.forEach(record -> claimed.add(record.id()));
        if (executor instanceof TaskRecovery recovery) {
            reapOrphans(recovery, claimed);
        }
        lock.lock();
        try {
            int resumed = 0;
            for (StoredTask record : stored) {
                if (record.removed()) {
                    finishRemoval(record.task());
                } else {
                    start(record.task(), true);
                    resumed++;
                }
            }
            log.info(
                    "worker opened on {}: {} tasks resumed, {} clean-ups resumed",
                    store,
                    resumed,
                    stored.size() - resumed);
        } finally {
            lock.unlock();
        }
    }

    private static void reapOrphans(TaskRecovery recovery, Set<String> claimed) {
        try {
            List<ReapedResource> reaped = recovery.reapOrphans(Set.copyOf(claimed));
            for (ReapedResource resource : reaped) {
                log.info(
                        "reaped an orphan of task {}: {}",
                        resource.taskId().isEmpty() ? "(unknown)" : resource.taskId(),
                        resource.description());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn(
                    "reaping orphans was interrupted; what was not reaped stays until the next start");
        } catch (Exception e) {
            log.warn(
                    "reaping orphans failed; what was not reaped stays until the next start: {}",
                    e.toString());
        }
    }

    /** A stored task that was being removed when the last worker stopped: clean it up again. */
    private void finishRemoval(Task task) {
        Resolution resolution = Lifecycle.resolve(task, executor);
        if (!resolution.resolved()) {
            if (Errors.isTemporary(resolution.failure())
                    || Errors.find(resolution.failure(), InterruptedException.class).isPresent()) {
                log.warn(
                        "task {}: cannot finish its removal now (kept for the next start): {}",
                        task.getId(),
                        resolution.failure().toString());
            } else {
                // The backend refuses the task outright, so it cannot have created anything for it.
                log.info(
                        "task {}: removal finished (the executor refuses the task: {})",
                        task.getId(),
                        resolution.failure().toString());
                forgetRecord(task.getId());
            }
            return;
        }
        Entry entry = new Entry(task, resolution.controller(), task.getStatus());
        startCleanup(entry);
    }

    /**
     * Makes {@code assignment} the complete set of tasks of this node: new tasks start, known ones
     * are updated, and every known task not in it is removed (see the class documentation). A task
     * id that appears twice acts as a task followed by its update.
     *
     * @param assignment every task this node should run
     * @throws NullPointerException if {@code assignment} or one of its tasks is null
     * @throws IllegalArgumentException if a task has an empty id; nothing is changed then
     * @throws IllegalStateException if the worker is closed, or if the thread factory made no
     *     thread for a runner (tasks before that one are taken, that one and the rest are not)
     */
    public void assign(Collection<Task> assignment) {
        List<Task> checked = checked(assignment, "assignment");
        lock.lock();
        try {
            ensureOpen();
            Set<String> assigned = new HashSet<>();
            for (Task task : checked) {
                put(task);
                assigned.add(task.getId());
            }
            List<String> gone = new ArrayList<>();
            for (String id : tasks.keySet()) {
                if (!assigned.contains(id)) {
                    gone.add(id);
                }
            }
            gone.forEach(this::remove);
            cleanups.prune();
            log.debug("assigned {} tasks, removed {}", checked.size(), gone.size());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Changes the set of tasks of this node: every task of {@code added} is started or updated,
     * then every task whose id is in {@code removedIds} is removed; any other task is left alone.
     * Unknown removed ids are ignored.
     *
     * @param added new or changed tasks
     * @param removedIds ids of tasks no longer assigned
     * @throws NullPointerException if an argument, a task or an id is null
     * @throws IllegalArgumentException if a task has an empty id; nothing is changed then
     * @throws IllegalStateException if the worker is closed, or if the thread factory made no
     *     thread for a runner (as for {@link #assign})
     */
    public void update(Collection<Task> added, Collection<String> removedIds) {
        List<Task> checked = checked(added, "added");
        List<String> removed = List.copyOf(Objects.requireNonNull(removedIds, "removedIds"));
        lock.lock();
        try {
            ensureOpen();
            checked.forEach(this::put);
            removed.forEach(this::remove);
            cleanups.prune();
        } finally {
            lock.unlock();
        }
    }

    private static List<Task> checked(Collection<Task> tasks, String name) {
        List<Task> copy =
                List.copyOf(Objects.requireNonNull(tasks, name)); // also rejects null tasks
        for (int i = 0; i < copy.size(); i++) {
            if (copy.get(i).getId().isEmpty()) {
                throw new IllegalArgumentException(name + "[" + i + "] has an empty id");
            }
        }
        return copy;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the worker is closed");
        }
    }

    /** Starts or updates one task. Called under {@link #lock}. */
    private void put(Task task) {
        Entry known = tasks.get(task.getId());
        if (known != null) {
            TaskRunner runner = known.runner;
            if (runner != null) {
                if (runner.update(task)) {
                    storeUpdate(task);
                }
            } else {
                log.debug(
                        "task {}: update ignored, its controller could not be resolved",
                        task.getId());
            }
            return;
        }
        start(task, false);
    }

    private void storeUpdate(Task task) {
        try {
            store.put(task);
        } catch (TaskStoreException e) {
            log.error(
                    "task {}: storing its update failed; a restart would resume the previous version",
                    task.getId(),
                    e);
        }
    }

    /**
     * Resolves a task and starts its runner. {@code stored}: the task comes from the store, with
     * its stored status. Called under {@link #lock}.
     */
    private void start(Task task, boolean stored) {
        Resolution resolution = Lifecycle.resolve(task, executor);
        if (!resolution.resolved()
                && Errors.find(resolution.failure(), InterruptedException.class).isPresent()) {
            // Not a verdict on the task: leave it unknown so that the next assign resolves it again
            // (a stored one stays in the store, for the next worker opened on it).
            log.warn("task {}: resolving its controller was interrupted; not taken", task.getId());
            return;
        }
        // Stored before anything of the task can exist in the backend, so nothing it creates is
        // ever unclaimed by a record.
        try {
            if (!stored) {
                store.put(task.toBuilder().setStatus(resolution.status()).build());
            } else if (!resolution.status().equals(task.getStatus())) {
                store.putStatus(task.getId(), resolution.status());
            }
        } catch (TaskStoreException e) {
            if (resolution.controller() != null) {
                closeQuietly(task.getId(), resolution.controller());
            }
            throw e;
        }
        Entry entry = new Entry(task, resolution.controller(), resolution.status());
        statusLock.lock();
        try {
            tasks.put(task.getId(), entry);
            broadcast(entry.id(), entry.status);
        } finally {
            statusLock.unlock();
        }
        if (!resolution.resolved()) {
            log.warn(
                    "task {}: resolving its controller failed, now {}: {}",
                    task.getId(),
                    resolution.status().getState(),
                    resolution.failure().toString());
            return;
        }
        Task withStatus = task.toBuilder().setStatus(resolution.status()).build();
        try {
            entry.runner = TaskRunner.start(withStatus, entry.controller, entry, options);
        } catch (RuntimeException e) { // the thread factory refused: undo, so nothing is half-taken
            statusLock.lock();
            try {
                tasks.remove(task.getId());
            } finally {
                statusLock.unlock();
            }
            closeQuietly(task.getId(), entry.controller);
            if (!stored) {
                forgetRecord(task.getId()); // not taken: the next assign stores it again
            }
            throw e;
        }
        entry.assigned = null;
        if (entry.controller instanceof ControllerLogs logs) {
            for (LogSubscription subscription : subscriptions) {
                if (subscription.follows() && subscription.matches(task)) {
                    subscription.attach(task.getId(), logs);
                }
            }
        }
    }

    /** Forgets one task and starts its clean-up. Called under {@link #lock}. */
    private void remove(String id) {
        Entry entry;
        statusLock.lock();
        try {
            entry = tasks.remove(id);
        } finally {
            statusLock.unlock();
        }
        if (entry == null) {
            return;
        }
        subscriptions.forEach(subscription -> subscription.detach(id));
        try {
            store.markRemoved(id);
        } catch (TaskStoreException e) {
            log.error(
                    "task {}: marking it removed in the store failed; a restart would resume it",
                    id,
                    e);
        }
        if (entry.controller == null) {
            forgetRecord(id); // resolution failed: the backend holds nothing of it
            return;
        }
        startCleanup(entry);
    }

    /** Runs an entry's clean-up on a thread of its own. Called under {@link #lock}. */
    private void startCleanup(Entry entry) {
        cleanups.start(entry.id(), entry.runner, entry.status, entry.controller);
    }

    private void forgetRecord(String id) {
        try {
            store.delete(id);
        } catch (TaskStoreException e) {
            log.error(
                    "task {}: deleting its record failed; the next start removes it again", id, e);
        }
    }

    private static void closeQuietly(String id, Controller controller) {
        TaskCleanup.closeQuietly(id, controller);
    }

    /** Records a runner's status and sends it to every listener, unless the task was removed. */
    private void publish(Entry entry, TaskStatus status) {
        // Stored outside the status lock (a durable write must not stall every reader); a removal
        // racing with it only marks the record, and putStatus never brings a deleted one back.
        try {
            store.putStatus(entry.id(), status);
        } catch (TaskStoreException e) {
            log.error(
                    "task {}: storing status {} failed; not reported",
                    entry.id(),
                    status.getState(),
                    e);
            return;
        }
        statusLock.lock();
        try {
            if (tasks.get(entry.id()) != entry) {
                log.debug(
                        "task {}: status {} after removal dropped", entry.id(), status.getState());
                return;
            }
            entry.status = status;
            broadcast(entry.id(), status);
        } finally {
            statusLock.unlock();
        }
    }

    /**
     * Lets the status writer store and stream what the closed runners reported, and waits for its
     * thread to end. Not cut short by an interrupt (a status dropped here would be missing from
     * the store for the next worker); the interrupt flag is kept.
     */
    private void finishStatusWrites() {
        statusWriter.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (statusWriter.awaitTermination(1, java.util.concurrent.TimeUnit.DAYS)) {
                    for (Thread t : statusThreads) {
                        t.join(); // the executor ended it: no thread outlives the worker
                    }
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Called under {@link #statusLock}; never blocks. */
    private void broadcast(String id, TaskStatus status) {
        for (ListenerHandle listener : listeners) {
            listener.offer(id, status);
        }
    }

    /**
     * The latest status of a task this worker knows.
     *
     * @return the status, or empty if the task is not (or no longer) assigned
     */
    public Optional<TaskStatus> status(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        statusLock.lock();
        try {
            Entry entry = tasks.get(taskId);
            return entry == null ? Optional.empty() : Optional.of(entry.status);
        } finally {
            statusLock.unlock();
        }
    }

    /** A snapshot of the latest status of every task this worker knows, in assignment order. */
    public Map<String, TaskStatus> statuses() {
        statusLock.lock();
        try {
            Map<String, TaskStatus> copy = new LinkedHashMap<>();
            tasks.forEach((id, entry) -> copy.put(id, entry.status));
            return copy;
        } finally {
            statusLock.unlock();
        }
    }

    /**
     * Starts sending statuses to {@code reporter}: first the latest status of every known task
     * (in assignment order), then every change, in order, until the returned handle (or the
     * worker) is closed. The reporter is called on a thread of its own; see {@link ListenerHandle}
     * for what happens when it throws or blocks.
     *
     * @param reporter receives the statuses
     * @return the handle; close it to stop listening
     * @throws NullPointerException if {@code reporter} is null
     * @throws IllegalStateException if the worker is closed
     */
    public ListenerHandle listen(StatusReporter reporter) {
        Objects.requireNonNull(reporter, "reporter");
        ListenerHandle listener =
                new ListenerHandle(reporter, options.threadFactory(), this::unlisten);
        statusLock.lock();
        try {
            ensureOpen();
            tasks.forEach((id, entry) -> listener.offer(id, entry.status));
            listeners.add(listener);
        } finally {
            statusLock.unlock();
        }
        listener.start();
        return listener;
    }

    private void unlisten(ListenerHandle listener) {
        statusLock.lock();
        try {
            listeners.remove(listener);
        } finally {
            statusLock.unlock();
        }
    }

    /**
     * Streams the logs of the tasks {@code selector} matches to {@code publisher}, from controllers
     * that implement {@link ControllerLogs}. Returns at once: the logs flow on threads of the
     * subscription, and the returned {@link LogSubscription} tells when they are done and ends
     * them when closed. Without {@code options.follow} the subscription ends by itself once the
     * tasks matching now have published what they have; with it, tasks that start later and match
     * are added, until it is closed.
     *
     * @param selector which tasks (by task, service or node id)
     * @param options which messages, and whether to follow
     * @param publisher receives the messages, never concurrently
     * @return the running subscription
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if the worker is closed
     */
    public LogSubscription subscribeLogs(
            LogSelector selector, LogSubscriptionOptions options, LogPublisher publisher) {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(publisher, "publisher");
        LogSubscription subscription =
                new LogSubscription(
                        selector, options, publisher, this.options.threadFactory(), this::forget);
        lock.lock();
        try {
            ensureOpen();
            subscriptions.removeIf(LogSubscription::isFinished);
            for (Entry entry : tasks.values()) {
                if (entry.runner != null
                        && entry.controller instanceof ControllerLogs logs
                        && subscription.matches(entry.task())) {
                    subscription.attach(entry.id(), logs);
                }
            }
            subscription.seal();
            subscriptions.add(subscription);
        } finally {
            lock.unlock();
        }
        return subscription;
    }

    private void forget(LogSubscription subscription) {
        lock.lock();
        try {
            subscriptions.remove(subscription);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the clean-up of every task removed so far has finished, at most {@code timeout}.
     *
     * @return whether every clean-up has finished
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public boolean awaitCleanup(Duration timeout) throws InterruptedException {
        return cleanups.await(timeout);
    }

    /**
     * Stops everything: ends every log subscription, stops every runner (interrupting what is in
     * flight, in parallel) and waits for them, closes every controller (without removing it: what
     * the tasks created outlives the worker), waits for clean-ups under way, and closes every
     * listener. Later {@code assign}, {@code update}, {@code listen} and {@code subscribeLogs}
     * throw {@link IllegalStateException}. Idempotent; a second call returns at once.
     *
     * <p>Blocks until the statuses the runners reported are stored and streamed (see Statuses),
     * also when the calling thread is interrupted. If the calling thread is interrupted while
     * waiting, this still closes every controller and listener, and returns with the interrupt
     * flag set.
     */
    @Override
    public void close() {
        List<Entry> entries;
        List<ListenerHandle> listening;
        List<LogSubscription> subscribed;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            statusLock.lock();
            try {
                entries = new ArrayList<>(tasks.values());
                tasks.clear();
                listening = new ArrayList<>(listeners);
            } finally {
                statusLock.unlock();
            }
            subscribed = new ArrayList<>(subscriptions);
            subscriptions.clear();
        } finally {
            lock.unlock();
        }
        subscribed.forEach(LogSubscription::close);
        for (Entry entry : entries) {
            if (entry.runner != null) {
                entry.runner.signalClose();
            }
        }
        for (Entry entry : entries) {
            if (entry.runner != null) {
                entry.runner.close();
            }
            if (entry.controller != null) {
                closeQuietly(entry.id(), entry.controller);
            }
        }
        try {
            awaitCleanup(Duration.ofDays(365));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        finishStatusWrites();
        listening.forEach(ListenerHandle::close);
        log.debug("worker closed: {} tasks stopped", entries.size());
    }
}
