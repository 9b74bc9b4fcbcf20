package dev.taskexec.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ProviderNameTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "docker",
                "process",
                "fake",
                "my-runtime",
                "my_runtime",
                "acme.gpu_v2",
                "k8s",
                "2fa"
            })
    void validNames(String name) {
        assertTrue(ExecutorProvider.isValidName(name), name);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(
            strings = {
                "Docker",
                "my runtime",
                "-docker",
                "docker-",
                "a--b",
                "a._b",
                "ünicode",
                " docker"
            })
    void invalidNames(String name) {
        assertFalse(ExecutorProvider.isValidName(name), String.valueOf(name));
    }
}
