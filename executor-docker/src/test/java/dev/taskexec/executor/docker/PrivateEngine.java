package dev.taskexec.executor.docker;

import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Docker Engine of one test's own, beside the shared one (which must never be restarted): a
 * second {@code dockerd} with {@code --live-restore} that the test may stop and start again.
 *
 * <p>What lets two daemons coexist (Docker 20.10, as Debian's {@code docker.io} ships it): its own
 * {@code --data-root}, {@code --exec-root} (so its own managed containerd, whose socket and state live
 * there), {@code --pidfile}, {@code -H unix://…} socket and an empty {@code --config-file} (the shared
 * daemon's {@code /etc/docker/daemon.json} is not ours to read); {@code --iptables=false} and
 * {@code --ip-masq=false}, so the shared daemon's rules are not touched; and {@code --bridge=none},
 * so it makes no bridge. That last flag is only safe in a network namespace of its own
 * ({@code unshare --net}): at start-up a daemon without a bridge deletes any interface named
 * {@code docker0}, which on the host is the shared daemon's. Its containers get no network, which a
 * test of logs does not need.
 *
 * <p>Everything lives in one fresh directory under {@code java.io.tmpdir}; {@link #close()} stops the
 * daemon (and what it started), deletes the cgroups of containers it could not remove, unmounts what
 * it left mounted there and deletes the directory, and says what it could not do. Needs root, {@code dockerd}, {@code unshare} and {@code umount};
 * {@link #start()} skips the test (fails it under {@code CI=true}) without them.
 */
final class PrivateEngine implements AutoCloseable {

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final Path dir;
    private final Path socket;
    private final Path log;
    private final List<String> command;
    private final Path umount;
    private Process daemon;

    private PrivateEngine(Path dir, Path unshare, Path dockerd, Path umount) {
        this.dir = dir;
        this.umount = umount;
        this.socket = dir.resolve("docker.sock");
        this.log = dir.resolve("dockerd.log");
        this.command =
                List.of(
                        unshare.toString(),
                        "--net",
                        dockerd.toString(),
                        "--config-file",
                        dir.resolve("daemon.json").toString(),
                        "--data-root",
                        dir.resolve("data").toString(),
                        "--exec-root",
                        dir.resolve("exec").toString(),
                        "--pidfile",
                        dir.resolve("dockerd.pid").toString(),
                        "-H",
                        "unix://" + socket,
                        "--bridge=none",
                        "--iptables=false",
                        "--ip-masq=false",
                        "--live-restore");
    }

    /**
     * Starts a private daemon and loads the test image into it from the shared one; skips (under
     * {@code CI=true}: fails) when the shared engine, root or the commands are missing.
     */
    static PrivateEngine start() throws Exception {
        DockerTestEnvironment.require();
        Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (!Integer.valueOf(0).equals(uid)) {
            DockerTestEnvironment.unavailable("a private dockerd needs root (uid " + uid + ")");
        }
        List<Path> tools = new ArrayList<>();
        for (String tool : List.of("unshare", "dockerd", "umount")) {
            Optional<Path> found = onPath(tool);
            if (found.isEmpty()) {
                DockerTestEnvironment.unavailable(
                        "a private dockerd needs "
                                + tool
                                + " (looked on the PATH, /usr/sbin, /sbin)");
            }
            tools.add(found.get());
        }
        PrivateEngine engine =
                new PrivateEngine(
                        Files.createTempDirectory("taskexec-engine"),
                        tools.get(0),
                        tools.get(1),
                        tools.get(2));
        try {
            Files.writeString(engine.dir.resolve("daemon.json"), "{}\n");
            engine.launch();
            engine.loadTestImage();
            return engine;
        } catch (Exception | Error e) {
            try {
                engine.close();
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** The address to give the executor ({@link DockerOptions#HOST}). */
    String host() {
        return "unix://" + socket;
    }

    /** The daemon's pid. */
    long pid() {
        return daemon.pid();
    }

    /** A client of this daemon; the caller closes it. */
    Engine engine() {
        return new Engine(DockerOptions.parse(Map.of(DockerOptions.HOST, host())));
    }

    /** What a test does while the daemon is away. */
    interface WhileAway {
        void run() throws Exception;
    }

    /**
     * Restarts the daemon as an operator would: SIGTERM, wait until its pid (and its containerd) are
     * gone, run {@code whileAway}, start it again, wait until it answers. With live-restore, its
     * containers run on meanwhile.
     */
    void restart(WhileAway whileAway) throws Exception {
        stop(false);
        whileAway.run();
        launch();
    }

    private void launch() throws Exception {
        ProcessBuilder pb =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        daemon = pb.start(); // unshare execs dockerd: the same pid
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        try (Engine engine = engine()) {
            while (true) {
                try {
                    engine.client().pingCmd().exec();
                    return;
                } catch (RuntimeException notYet) {
                    if (!daemon.isAlive()) {
                        throw new IllegalStateException(
                                "the private dockerd exited ("
                                        + daemon.exitValue()
                                        + ") before it answered; its log ends with:\n"
                                        + tail());
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "the private dockerd did not answer within "
                                        + ANSWER_TIMEOUT
                                        + "; its log ends with:\n"
                                        + tail(),
                                notYet);
                    }
                }
                daemon.waitFor(
                        50, TimeUnit.MILLISECONDS); // the polling interval of a bounded wait: ends
                // early if it exits
            }
        }
    }

    private void loadTestImage() throws Exception {
        try (Engine shared = new Engine(DockerOptions.defaults());
                Engine mine = engine();
                InputStream image =
                        shared.client().saveImageCmd(DockerTestEnvironment.IMAGE).exec()) {
            mine.client().loadImageCmd(image).exec();
        }
    }

    /** SIGTERM (SIGKILL with {@code force}, or when it outlasts the timeout) to the daemon; waits until it and its children are gone. */
    private void stop(boolean force) throws Exception {
        if (daemon == null) {
            return;
        }
        List<ProcessHandle> children = daemon.toHandle().descendants().toList(); // its containerd
        if (force) {
            daemon.destroyForcibly();
        } else {
            daemon.destroy();
        }
        if (!daemon.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            daemon.destroyForcibly();
            if (!daemon.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(
                        "the private dockerd " + daemon.pid() + " outlived SIGKILL");
            }
            force = true;
        }
        for (ProcessHandle child : children) {
            if (force) {
                child.destroyForcibly();
            }
            child.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Removes what still runs in the daemon, stops it, ends any process still using its directory (a
     * container's shim, when the removal failed), unmounts what it left mounted and deletes the
     * directory. Goes through every step even when one fails, then throws the first failure. An
     * interrupt (a test's timeout) does not cut it short: it is set again at the end.
     */
    @Override
    public void close() throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            cleanUp();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void cleanUp() throws IOException {
        List<Exception> failures = new ArrayList<>();
        if (daemon != null && daemon.isAlive()) {
            try (Engine engine = engine()) {
                for (Container c : engine.client().listContainersCmd().withShowAll(true).exec()) {
                    engine.client().removeContainerCmd(c.getId()).withForce(true).exec();
                }
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        try {
            stop(false);
        } catch (Exception e) {
            failures.add(e);
            try {
                stop(true);
            } catch (Exception again) {
                failures.add(again);
            }
        }
        try {
            killUsersOfDirectory();
            removeContainerCgroups();
            removeShimSockets();
            unmountUnderDirectory();
            deleteDirectory();
        } catch (Exception e) {
            failures.add(e);
        }
        if (!failures.isEmpty()) {
            Exception first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw new IOException("cleaning up the private dockerd in " + dir + " failed", first);
        }
    }

    /** Processes whose command line names the directory (only this engine's own do): their trees are killed. */
    private void killUsersOfDirectory() throws Exception {
        String marker = dir.toString();
        List<ProcessHandle> users =
                ProcessHandle.allProcesses()
                        .filter(
                                p ->
                                        p.info()
                                                .arguments()
                                                .map(a -> String.join(" ", a).contains(marker))
                                                .orElse(false))
                        .toList();
        for (ProcessHandle p : users) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (ProcessHandle p : users) {
            p.onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Deletes the cgroups of this daemon's containers (named by their ids, which its data root lists)
     * that are left when their processes were killed instead of removed by the daemon; a cgroup that
     * still holds a process cannot be deleted, and that fails. Both drivers' layouts, cgroup v1 and v2.
     */
    private void removeContainerCgroups() throws IOException {
        Path containers = dir.resolve("data").resolve("containers");
        Path cgroups = Path.of("/sys/fs/cgroup");
        if (!Files.isDirectory(containers) || !Files.isDirectory(cgroups)) {
            return;
        }
        List<Path> hierarchies = new ArrayList<>();
        hierarchies.add(cgroups);
        try (Stream<Path> v1 = Files.list(cgroups)) {
            v1.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .forEach(hierarchies::add);
        }
        List<String> ids;
        try (Stream<Path> list = Files.list(containers)) {
            ids = list.map(p -> p.getFileName().toString()).toList();
        }
        for (String id : ids) {
            for (Path h : hierarchies) {
                List<Path> layouts =
                        List.of(
                                h.resolve("docker").resolve(id),
                                h.resolve("system.slice").resolve("docker-" + id + ".scope"));
                for (Path cgroup : layouts) {
                    if (Files.isDirectory(cgroup, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                        Files.delete(
                                cgroup); // rmdir: the kernel takes a cgroup's own files with it
                    }
                }
            }
        }
    }

    /**
     * Deletes the sockets of this daemon's containers' shims that are left when the shims were killed
     * instead of ending with their container: containerd 1.6 puts them in {@code /run/containerd/s},
     * named by the SHA-256 of the containerd address, namespace and container id.
     */
    private void removeShimSockets() throws IOException {
        Path containers = dir.resolve("data").resolve("containers");
        if (!Files.isDirectory(containers)) {
            return;
        }
        String address =
                dir.resolve("exec").resolve("containerd").resolve("containerd.sock").toString();
        List<String> ids;
        try (Stream<Path> list = Files.list(containers)) {
            ids = list.map(p -> p.getFileName().toString()).toList();
        }
        for (String id : ids) {
            byte[] digest;
            try {
                digest =
                        java.security.MessageDigest.getInstance("SHA-256")
                                .digest((address + "/moby/" + id).getBytes(StandardCharsets.UTF_8));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            Files.deleteIfExists(
                    Path.of("/run/containerd/s", java.util.HexFormat.of().formatHex(digest)));
        }
    }

    /** Lazily unmounts every mount at or below the directory, deepest first. */
    private void unmountUnderDirectory() throws Exception {
        String prefix = dir.toString();
        List<String> mounts = new ArrayList<>();
        for (String line :
                Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            String[] fields = line.split(" ");
            String point = fields[4].replace("\\040", " ");
            if (point.equals(prefix) || point.startsWith(prefix + "/")) {
                mounts.add(point);
            }
        }
        mounts.sort(Comparator.comparingInt(String::length).reversed());
        for (String point : mounts) {
            Process unmounting =
                    new ProcessBuilder(umount.toString(), "-l", point)
                            .redirectErrorStream(true)
                            .start();
            String out =
                    new String(unmounting.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!unmounting.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    || unmounting.exitValue() != 0) {
                throw new IOException("umount -l " + point + " failed: " + out.strip());
            }
        }
    }

    private void deleteDirectory() throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static Optional<Path> onPath(String command) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + ":/usr/sbin:/sbin";
        return Stream.of(path.split(":"))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, command))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
