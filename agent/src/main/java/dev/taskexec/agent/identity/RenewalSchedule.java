package dev.taskexec.agent.identity;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * When to renew a certificate: at a random point between 50 % and 80 % of its lifetime, as swarmkit
 * does, so the nodes of a swarm do not all renew at once; at once if that point has passed.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class RenewalSchedule {

    private RenewalSchedule() {}

    /**
     * The delay from {@code now} until the renewal of a certificate valid from {@code notBefore} to
     * {@code notAfter}; {@link Duration#ZERO} when already due (or expired).
     */
    public static Duration delay(
            Instant notBefore, Instant notAfter, Instant now, RandomGenerator random) {
        long lifetime = Duration.between(notBefore, notAfter).toMillis();
        if (lifetime <= 0) {
            return Duration.ZERO;
        }
        double fraction = 0.5 + 0.3 * random.nextDouble();
        Instant at = notBefore.plusMillis((long) (lifetime * fraction));
        Duration delay = Duration.between(now, at);
        return delay.isNegative() ? Duration.ZERO : delay;
    }
}
