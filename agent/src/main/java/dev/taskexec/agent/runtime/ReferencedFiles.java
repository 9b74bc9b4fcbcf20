package dev.taskexec.agent.runtime;

import com.google.protobuf.ByteString;
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
            var s =
                    objects.secret(ref.getSecretId())
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    field
                                                            + ": secret \""
                                                            + ref.getSecretName()
                                                            + "\" (id "
                                                            + ref.getSecretId()
                                                            + ") is not assigned to this node"));
            if (!s.templating().isEmpty()) {
                throw new IllegalArgumentException(
                        field
                                + ": templated secrets ("
                                + s.templating()
                                + ") are not supported by taskexec");
            }
            if (!s.driver().isEmpty()) {
                throw new IllegalArgumentException(
                        field
                                + ": secrets from a driver ("
                                + s.driver()
                                + ") are not supported by taskexec");
            }
            if (!ref.hasFile()) {
                throw new IllegalArgumentException(field + ": only file targets are supported");
            }
            String name =
                    ref.getFile().getName().isEmpty()
                            ? ref.getSecretName()
                            : ref.getFile().getName();
            entries.add(new Entry(true, i, name, s.data(), ref.getFile()));
        }
        for (int i = 0; i < c.getConfigsCount(); i++) {
            ConfigReference ref = c.getConfigs(i);
            String field = "container.configs[" + i + "]";
            var conf =
                    objects.config(ref.getConfigId())
                            .orElseThrow(
                                    () ->
                                            new IllegalArgumentException(
                                                    field
                                                            + ": config \""
                                                            + ref.getConfigName()
                                                            + "\" (id "
                                                            + ref.getConfigId()
                                                            + ") is not assigned to this node"));
            if (!conf.templating().isEmpty()) {
                throw new IllegalArgumentException(
                        field
                                + ": templated configs ("
                                + conf.templating()
                                + ") are not supported by taskexec");
            }
            if (!ref.hasFile()) {
                throw new IllegalArgumentException(
                        field
                                + ": only file targets are supported (a runtime target, "
                                + "used for credential specs, is not)");
            }
            String name =
                    ref.getFile().getName().isEmpty()
                            ? ref.getConfigName()
                            : ref.getFile().getName();
            entries.add(new Entry(false, i, name, conf.data(), ref.getFile()));
        }
        return new ReferencedFiles(List.copyOf(entries));
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }
}
