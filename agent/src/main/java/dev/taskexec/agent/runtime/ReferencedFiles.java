package dev.taskexec.agent.runtime;

import com.google.protobuf.ByteString;
import dev.taskexec.agent.proto.Config;
import dev.taskexec.agent.proto.Secret;
import dev.taskexec.api.proto.ConfigReference;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.FileTarget;
import dev.taskexec.api.proto.SecretReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The secret and config references of one container spec, checked and resolved against the
 * assigned objects: what a backend mapping turns into files. Checks name the field:
 * {@code container.secrets[1]: secret "db" (id x) is not assigned to this node}.
 */
record ReferencedFiles(List<Entry> entries) {

    /** One file to provide: its payload, its target, and where it came from. */
    record Entry(boolean secret, int index, String name, ByteString data, FileTarget target) {
        String field() {
            return (secret ? "container.secrets[" : "container.configs[") + index + "]";
        }

        String kind() {
            return secret ? "secrets" : "configs";
        }

        /** Never the payload. */
        @Override
        public String toString() {
            return field() + " -> " + name;
        }
    }

    static ReferencedFiles of(ContainerSpec c, AssignedObjects objects) {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < c.getSecretsCount(); i++) {
            SecretReference ref = c.getSecrets(i);
            String field = "container.secrets[" + i + "]";
            Secret s = objects.secret(ref.getSecretId()).orElseThrow(() -> new IllegalArgumentException(field
                    + ": secret \"" + ref.getSecretName() + "\" (id " + ref.getSecretId() + ") is not assigned to this node"));
            if (s.getSpec().hasTemplating() && !s.getSpec().getTemplating().getName().isEmpty()) {
                throw new IllegalArgumentException(field + ": templated secrets (" + s.getSpec().getTemplating().getName()
                        + ") are not supported by taskexec");
            }
            if (s.getSpec().hasDriver() && !s.getSpec().getDriver().getName().isEmpty()) {
                throw new IllegalArgumentException(field + ": secrets from a driver ("
                        + s.getSpec().getDriver().getName() + ") are not supported by taskexec");
            }
            if (!ref.hasFile()) {
                throw new IllegalArgumentException(field + ": only file targets are supported");
            }
            String name = ref.getFile().getName().isEmpty() ? ref.getSecretName() : ref.getFile().getName();
            entries.add(new Entry(true, i, name, s.getSpec().getData(), ref.getFile()));
        }
        for (int i = 0; i < c.getConfigsCount(); i++) {
            ConfigReference ref = c.getConfigs(i);
            String field = "container.configs[" + i + "]";
            Config conf = objects.config(ref.getConfigId()).orElseThrow(() -> new IllegalArgumentException(field
                    + ": config \"" + ref.getConfigName() + "\" (id " + ref.getConfigId() + ") is not assigned to this node"));
            if (conf.getSpec().hasTemplating() && !conf.getSpec().getTemplating().getName().isEmpty()) {
                throw new IllegalArgumentException(field + ": templated configs (" + conf.getSpec().getTemplating().getName()
                        + ") are not supported by taskexec");
            }
            if (!ref.hasFile()) {
                throw new IllegalArgumentException(field + ": only file targets are supported (a runtime target, "
                        + "used for credential specs, is not)");
            }
            String name = ref.getFile().getName().isEmpty() ? ref.getConfigName() : ref.getFile().getName();
            entries.add(new Entry(false, i, name, conf.getSpec().getData(), ref.getFile()));
        }
        return new ReferencedFiles(List.copyOf(entries));
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }
}
