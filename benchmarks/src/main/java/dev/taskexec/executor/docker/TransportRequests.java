package dev.taskexec.executor.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The Docker executor's requests through docker-java's Apache HttpClient transport and through
 * its own {@link UnixSocketTransport}, in the same JVM, alternated round by round: the task path's
 * small requests (an image inspect; a container's create, start and inspect), in milliseconds a
 * request: each round's mean per kind of request; the first round, the cold one (a fresh JVM's
 * first requests), shown on its own, and the median of the other rounds' means as the warm
 * figure. Not JMH: a comparison script's driver
 * ({@code benchmarks/docker-transport.sh}). Lives in the executor's package to reach its
 * package-private transport, as the executor's tests do.
 *
 * <p>Arguments: {@code [rounds]}, default 6. Needs the engine at {@code /var/run/docker.sock} and
 * {@code taskexec-test:latest}; removes the containers it makes.
 */
public final class TransportRequests {

    private static final String SOCKET = "/var/run/docker.sock";
    private static final String IMAGE = "taskexec-test:latest";
    private static final int INSPECTS = 300;
    private static final int CONTAINERS = 8;

    private TransportRequests() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        var config =
                DefaultDockerClientConfig.createDefaultConfigBuilder()
                        .withDockerHost("unix://" + SOCKET)
                        .withApiVersion((String) null)
                        .build();
        DockerHttpClient apache =
                new ApacheDockerHttpClient.Builder()
                        .dockerHost(URI.create("unix://" + SOCKET))
                        .maxConnections(16)
                        .build();
        DockerHttpClient own = Engine.overUnixSocket(new UnixSocketTransport(Path.of(SOCKET), 16));
        DockerClient[] clients = {
            DockerClientImpl.getInstance(config, apache), DockerClientImpl.getInstance(config, own)
        };
        String[] names = {"apache-httpclient5", "unix-socket"};
        double[][][] perRound = new double[2][rounds][];
        for (int r = 0; r < rounds; r++) {
            for (int t = 0; t < 2; t++) {
                int which = (r % 2 == 0) ? t : 1 - t; // alternate who goes first
                perRound[which][r] = round(clients[which], "transport-bench-" + which);
            }
        }
        System.out.printf(
                "%-20s %12s %12s %12s %12s %12s%n",
                "transport", "image inspect", "create", "start", "inspect", "(ms a request)");
        for (int t = 0; t < 2; t++) {
            double[] cold = perRound[t][0];
            System.out.printf(
                    "%-20s %12.3f %12.1f %12.1f %12.2f   cold (first round)%n",
                    names[t], cold[0], cold[1], cold[2], cold[3]);
            double[] warm = new double[4];
            for (int k = 0; k < 4; k++) {
                double[] values = new double[rounds - 1];
                for (int r = 1; r < rounds; r++) {
                    values[r - 1] = perRound[t][r][k];
                }
                Arrays.sort(values);
                warm[k] = values[values.length / 2];
            }
            System.out.printf(
                    "%-20s %12.3f %12.1f %12.1f %12.2f   warm (median of %d rounds)%n",
                    names[t], warm[0], warm[1], warm[2], warm[3], rounds - 1);
        }
        for (DockerClient c : clients) {
            c.close();
        }
    }

    /** One round: mean ms of an image inspect, and of each of create, start and inspect. */
    private static double[] round(DockerClient c, String prefix) {
        long t0 = System.nanoTime();
        for (int i = 0; i < INSPECTS; i++) {
            c.inspectImageCmd(IMAGE).exec();
        }
        double inspectImage = (System.nanoTime() - t0) / 1e6 / INSPECTS;
        long create = 0;
        long start = 0;
        long inspect = 0;
        for (int i = 0; i < CONTAINERS; i++) {
            long s0 = System.nanoTime();
            var created =
                    c.createContainerCmd(IMAGE)
                            .withCmd("sleep", "30")
                            .withName(prefix + "-" + i)
                            .withLabels(java.util.Map.of("dev.taskexec.bench", "transport"))
                            .exec();
            long s1 = System.nanoTime();
            try {
                c.startContainerCmd(created.getId()).exec();
                long s2 = System.nanoTime();
                c.inspectContainerCmd(created.getId()).exec();
                long s3 = System.nanoTime();
                create += s1 - s0;
                start += s2 - s1;
                inspect += s3 - s2;
            } finally {
                c.removeContainerCmd(created.getId()).withForce(true).exec();
            }
        }
        return new double[] {
            inspectImage,
            create / 1e6 / CONTAINERS,
            start / 1e6 / CONTAINERS,
            inspect / 1e6 / CONTAINERS
        };
    }
}
