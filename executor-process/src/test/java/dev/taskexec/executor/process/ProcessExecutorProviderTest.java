package dev.taskexec.executor.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.Executor;
import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.api.proto.NodeDescription;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcessExecutorProviderTest {

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        ExecutorProvider p =
                ServiceLoader.load(ExecutorProvider.class).stream()
                        .map(ServiceLoader.Provider::get)
                        .filter(x -> x.name().equals("process"))
                        .findFirst()
                        .orElseThrow();
        assertTrue(p instanceof ProcessExecutorProvider);
        assertFalse(p.description().isBlank());
        assertEquals(ProcessExecutorOptions.DESCRIPTIONS.keySet(), p.options().keySet());
    }

    @Test
    void unknownOptionsAreRejectedByName() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new ProcessExecutorProvider().create(Map.of("colour", "blue")));
        assertTrue(e.getMessage().contains("\"colour\""), e.getMessage());
        assertTrue(e.getMessage().contains(ProcessExecutorOptions.STATE_DIR), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({
        "log-buffer-size,0",
        "log-buffer-size,-5",
        "log-buffer-size,lots",
        "log-buffer-size,99999999999g",
        "stop-grace-period,-1s",
        "stop-grace-period,ten",
        "stop-grace-period,10",
        "stop-grace-period,-PT1S",
        "state-dir,' '"
    })
    void badValuesAreRejectedNamingTheOption(String key, String value) {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new ProcessExecutorProvider().create(Map.of(key, value)));
        assertTrue(e.getMessage().startsWith(key + ":"), e.getMessage());
    }

    @Test
    void aStateDirThatIsAFileIsRejected(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new ProcessExecutorProvider()
                                        .create(
                                                Map.of(
                                                        "state-dir",
                                                        file.resolve("sub").toString())));
        assertTrue(e.getMessage().startsWith("state-dir:"), e.getMessage());
    }

    @Test
    void goodValuesAreParsed(@TempDir Path dir) {
        ProcessExecutorOptions o =
                ProcessExecutorOptions.parse(
                        Map.of(
                                "state-dir",
                                dir.resolve("new").toString(),
                                "log-buffer-size",
                                "512k",
                                "stop-grace-period",
                                "1500ms"));
        assertEquals(512 * 1024, o.logBufferBytes());
        assertEquals(Duration.ofMillis(1500), o.defaultGracePeriod());
        assertTrue(Files.isDirectory(o.stateDir().orElseThrow()));
        assertEquals(
                Duration.ofSeconds(10),
                ProcessExecutorOptions.parse(Map.of()).defaultGracePeriod());
        assertEquals(
                Duration.ofMinutes(2),
                ProcessExecutorOptions.parse(Map.of("stop-grace-period", "2m"))
                        .defaultGracePeriod());
        assertEquals(
                Duration.ofSeconds(3),
                ProcessExecutorOptions.parse(Map.of("stop-grace-period", "PT3S"))
                        .defaultGracePeriod());
    }

    @Test
    void describesThisHost() throws Exception {
        try (Executor e = new ProcessExecutorProvider().create(Map.of())) {
            NodeDescription d = e.describe();
            assertFalse(d.getHostname().isEmpty());
            assertEquals(
                    System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT),
                    d.getPlatform().getOs());
            assertFalse(d.getPlatform().getArchitecture().isEmpty());
            assertEquals(
                    Runtime.getRuntime().availableProcessors() * 1_000_000_000L,
                    d.getResources().getNanoCpus());
            assertTrue(d.getResources().getMemoryBytes() > 0);
            assertTrue(d.getEngine().getEngineVersion().startsWith("taskexec-process/"));
        }
    }
}
