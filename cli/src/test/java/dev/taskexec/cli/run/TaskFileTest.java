package dev.taskexec.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.proto.Task;
import org.junit.jupiter.api.Test;

class TaskFileTest {

    @Test
    void readsAValidTask() {
        Task task =
                TaskFile.parse(
                        """
                {"id": "t1", "desiredState": "RUNNING",
                 "spec": {"container": {"command": ["sh"], "args": ["-c", "true"], "stop_grace_period": "2.5s"}}}
                """,
                        "t.json");

        assertEquals("t1", task.getId());
        assertEquals("sh", task.getSpec().getContainer().getCommand(0));
        assertEquals(2, task.getSpec().getContainer().getStopGracePeriod().getSeconds());
    }

    @Test
    void anUnknownFieldNamesItsPathAndTheFieldMeant() {
        assertProblem(
                "{\"spec\": {\"container\": {\"comand\": [\"sh\"]}}}",
                "t.json: $.spec.container.comand: ContainerSpec has no field 'comand' (did you mean 'command'?)");
    }

    @Test
    void aWrongTypeNamesItsPath() {
        String m = problem("{\"spec\": {\"container\": {\"args\": \"-c\"}}}");
        assertTrue(m.startsWith("t.json: $.spec.container.args: "), m);
    }

    @Test
    void aBadEnumNamesItsPath() {
        String m = problem("{\"desiredState\": \"SOON\"}");
        assertTrue(m.startsWith("t.json: $.desiredState: "), m);
        assertTrue(m.contains("SOON"), m);
    }

    @Test
    void aBadElementOfARepeatedMessageNamesItsIndex() {
        String m =
                problem(
                        "{\"spec\": {\"container\": {\"mounts\": [{\"source\": \"/a\"}, {\"sauce\": \"/b\"}]}}}");
        assertTrue(
                m.startsWith(
                        "t.json: $.spec.container.mounts[1].sauce: Mount has no field 'sauce'"),
                m);
    }

    @Test
    void aSyntaxErrorSaysWhere() {
        String m = problem("{\"spec\": {\"container\": {\"command\": [\"sh\",]}}");
        assertTrue(m.startsWith("t.json: not valid JSON: "), m);
        assertTrue(m.contains("line 1"), m);
        assertEquals(1, m.lines().count(), m);
    }

    @Test
    void notAnObjectSaysSo() {
        assertProblem("[1, 2]", "t.json: $: expected a JSON object (a task), found an array");
    }

    @Test
    void anEmptyFileSaysSo() {
        assertTrue(problem("  \n").contains("the file is empty"));
    }

    private static void assertProblem(String json, String expected) {
        assertEquals(expected, problem(json));
    }

    private static String problem(String json) {
        return assertThrows(IllegalArgumentException.class, () -> TaskFile.parse(json, "t.json"))
                .getMessage();
    }
}
