package dev.taskexec.agent.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.google.protobuf.ByteString;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The secrets and configs the manager has assigned to this node, by id, as a {@link TaskMapping}
 * sees them. The objects carry their payload in plaintext: never log their data and never write
 * it anywhere but where a task is meant to read it.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface AssignedObjects {

    /** The secret with this id, if it is assigned to this node. */
    Optional<Payload> secret(String id);

    /** The config with this id, if it is assigned to this node. */
    Optional<Payload> config(String id);

    /**
     * What a task mapping needs of an assigned secret or config. It stands for the wire messages
     * (of the unexported {@code dev.taskexec.agent.proto}), so that a mapping outside this module
     * can use it too.
     *
     * @param data the payload, in plaintext
     * @param templating the name of the templating driver it asks for; empty when it is not templated
     * @param driver the name of the external store driver a secret comes from; empty when none (always for a config)
     */
    record Payload(ByteString data, String templating, String driver) {

        public Payload {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(templating, "templating");
            Objects.requireNonNull(driver, "driver");
        }

        /** Never the payload. */
        @Override
        public String toString() {
            return "Payload["
                    + data.size()
                    + " bytes"
                    + (templating.isEmpty() ? "" : ", templating " + templating)
                    + (driver.isEmpty() ? "" : ", driver " + driver)
                    + "]";
        }
    }
}
