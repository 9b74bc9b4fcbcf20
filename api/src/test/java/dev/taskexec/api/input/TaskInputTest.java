package dev.taskexec.api.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.taskexec.api.proto.ContainerSpec;
import dev.taskexec.api.proto.Privileges;
import dev.taskexec.api.proto.Task;
import dev.taskexec.api.proto.TaskSpec;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskInputTest {

    private static final Limits SMALL = new Limits(8, 16, 3, 4096);

    private static Task container(ContainerSpec.Builder c) {
        return Task.newBuilder().setId("t1").setSpec(TaskSpec.newBuilder().setContainer(c)).build();
    }

    /** The reproduction: 10,000 nested objects under healthcheck overflowed the stack. */
    @Test
    void deepJsonNestingIsRefusedBeforeTheParserRecurses() {
        String deep =
                "{\"spec\":{\"container\":{\"healthcheck\":"
                        + "{\"a\":".repeat(10_000)
                        + "1"
                        + "}".repeat(10_000)
                        + "}}}";
        TaskInputException e =
                assertThrows(
                        TaskInputException.class,
                        () -> TaskInput.parseJson(new StringReader(deep), Limits.defaults()));
        assertEquals("$", e.field());
        assertTrue(e.getMessage().contains("deeper than 64 levels (maxDepth)"), e.getMessage());
    }

    /**
     * The fuzzer's find: an integer field given 1e999999 made protobuf's parser expand the power
     * of ten for minutes. Refused at once, quoted or not; the same text in a string field is just
     * a string.
     */
    @Test
    void aHugeExponentIsRefusedBeforeTheParserExpandsIt() throws Exception {
        for (String slot : List.of("1e999999", "-1E+999999", "1e-999999", "0.5e99999999999")) {
            TaskInputException unquoted = refusedPromptly("{\"id\":\"t1\",\"slot\":" + slot + "}");
            assertTrue(
                    unquoted.getMessage().contains("exponent is beyond 400"),
                    unquoted.getMessage());
            TaskInputException quoted =
                    refusedPromptly("{\"id\":\"t1\",\"slot\":\"" + slot + "\"}");
            assertEquals("slot", quoted.field());
            assertTrue(quoted.getMessage().contains("for an integer field"), quoted.getMessage());
        }
        assertEquals(7, parse("{\"id\":\"t1\",\"slot\":\"7e0\"}").getSlot());
        Task args = parse("{\"id\":\"t1\",\"spec\":{\"container\":{\"args\":[\"1e999999\"]}}}");
        assertEquals(List.of("1e999999"), args.getSpec().getContainer().getArgsList());
    }

    private static Task parse(String json) throws Exception {
        return TaskInput.parseJson(new StringReader(json), Limits.defaults());
    }

    /** The refusal of {@code json}, which must come within 5 s. */
    private static TaskInputException refusedPromptly(String json) {
        return assertTimeoutPreemptively(
                java.time.Duration.ofSeconds(5),
                () -> assertThrows(TaskInputException.class, () -> parse(json)));
    }

    @Test
    void bracketsInsideStringsDoNotCount() throws Exception {
        String json = "{\"id\":\"" + "[{\\\"".repeat(30) + "\"}";
        Task task = TaskInput.parseJson(new StringReader(json), new Limits(4, 1000, 10, 4096));
        assertTrue(task.getId().startsWith("[{\""));
    }

    @Test
    void longStringIsRefusedNamingFieldAndLimitWithAShortQuote() {
        String huge = "x".repeat(1_000_000);
        TaskInputException e =
                assertThrows(
                        TaskInputException.class,
                        () ->
                                TaskInput.check(
                                        container(
                                                ContainerSpec.newBuilder()
                                                        .addCommand("sh")
                                                        .addArgs("ok")
                                                        .addArgs(huge)),
                                        Limits.defaults()));
        assertEquals("spec.container.args[1]", e.field());
        assertTrue(
                e.getMessage()
                        .contains(
                                "1000000 characters, above the limit of 131072 (maxStringLength)"),
                e.getMessage());
        assertTrue(e.getMessage().length() < 250, e.getMessage());
    }

    @Test
    void mapKeysAndValuesAreBounded() {
        TaskInputException key =
                assertThrows(
                        TaskInputException.class,
                        () ->
                                TaskInput.check(
                                        container(
                                                ContainerSpec.newBuilder()
                                                        .putLabels("k".repeat(17), "v")),
                                        SMALL));
        assertTrue(key.field().startsWith("spec.container.labels[\"kkkk"), key.field());
        TaskInputException value =
                assertThrows(
                        TaskInputException.class,
                        () ->
                                TaskInput.check(
                                        container(
                                                ContainerSpec.newBuilder()
                                                        .putLabels("k", "v".repeat(17))),
                                        SMALL));
        assertEquals("spec.container.labels[\"k\"]", value.field());
    }

    @Test
    void listsAreBounded() {
        TaskInputException e =
                assertThrows(
                        TaskInputException.class,
                        () ->
                                TaskInput.check(
                                        container(
                                                ContainerSpec.newBuilder()
                                                        .addEnv("A=1")
                                                        .addEnv("B=2")
                                                        .addEnv("C=3")
                                                        .addEnv("D=4")),
                                        SMALL));
        assertEquals("spec.container.env", e.field());
        assertTrue(
                e.getMessage().contains("4 entries, above the limit of 3 (maxListSize)"),
                e.getMessage());
    }

    @Test
    void bytesFieldsAreBounded() {
        ContainerSpec.Builder c =
                ContainerSpec.newBuilder()
                        .setPrivileges(
                                Privileges.newBuilder()
                                        .setSeccomp(
                                                Privileges.SeccompOpts.newBuilder()
                                                        .setProfile(
                                                                ByteString.copyFrom(
                                                                        new byte[17]))));
        TaskInputException e =
                assertThrows(TaskInputException.class, () -> TaskInput.check(container(c), SMALL));
        assertEquals("spec.container.privileges.seccomp.profile", e.field());
    }

    @Test
    void totalSizeIsBoundedBeforeReading() {
        String big = "{\"id\":\"" + "x".repeat(5000) + "\"}";
        TaskInputException e =
                assertThrows(
                        TaskInputException.class,
                        () -> TaskInput.parseJson(new StringReader(big), SMALL));
        assertTrue(e.getMessage().contains("(maxTotalSize)"), e.getMessage());
        assertThrows(TaskInputException.class, () -> TaskInput.parse(new byte[4097], SMALL));
    }

    @Test
    void parserErrorsAreOneShortLine() {
        String json = "{\"spec\":{\"container\":{\"isolation\":\"" + "Z".repeat(100_000) + "\"}}}";
        TaskInputException e =
                assertThrows(
                        TaskInputException.class,
                        () -> TaskInput.parseJson(new StringReader(json), Limits.defaults()));
        assertTrue(e.getMessage().length() <= 300, e.getMessage().length() + " characters");
        assertFalse(e.getMessage().contains("\n"));
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
    }

    @Test
    void bytesRoundTripAndDeepUnknownGroupsAreRefused() throws Exception {
        Task task = container(ContainerSpec.newBuilder().setImage("busybox").addCommand("true"));
        assertEquals(task, TaskInput.parse(task.toByteArray(), Limits.defaults()));

        // field 99 as nested start-group tags: an unknown field protobuf parses recursively
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        for (int i = 0; i < 100_000; i++) {
            out.writeTag(99, com.google.protobuf.WireFormat.WIRETYPE_START_GROUP);
        }
        out.flush();
        TaskInputException e =
                assertThrows(
                        TaskInputException.class,
                        () ->
                                TaskInput.parse(
                                        bytes.toByteArray(), new Limits(64, 1000, 1000, 1 << 20)));
        assertEquals("$", e.field());
    }

    @Test
    void quoteKeepsShortValuesAndCutsLongOnesOnOneLine() {
        assertEquals("\"SIGTERM\"", Quote.of("SIGTERM"));
        assertEquals("\"a\\nb\"", Quote.of("a\nb"));
        String q = Quote.of("y".repeat(10_000));
        assertTrue(q.startsWith("\"" + "y".repeat(48) + "…\""), q);
        assertTrue(q.endsWith("(10000 characters)"), q);
        assertEquals("abc…", Quote.clip("abc" + "d".repeat(100), 20).substring(0, 3) + "…");
        assertTrue(Quote.clip("x\ny".repeat(1000), 100).length() <= 100);
    }
}
