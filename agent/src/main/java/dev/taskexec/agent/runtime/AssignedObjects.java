package dev.taskexec.agent.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.taskexec.agent.proto.Config;
import dev.taskexec.agent.proto.Secret;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The secrets and configs the manager has assigned to this node, by id, as a {@link TaskMapping}
 * sees them. The objects carry their payload in plaintext: never log them (their
 * {@code toString} prints it) and never write them anywhere but where a task is meant to read
 * them.
 */
@API(status = EXPERIMENTAL, since = "0.1")
// Secret and Config are generated wire messages, in the unexported dev.taskexec.agent.proto: only
// mappings inside this module (the bundled ones) can use them. Known gap of this experimental API,
// to close by exporting the messages or wrapping them before TaskMapping is opened to third parties.
@SuppressWarnings("exports")
public interface AssignedObjects {

    Optional<Secret> secret(String id);

    Optional<Config> config(String id);
}
