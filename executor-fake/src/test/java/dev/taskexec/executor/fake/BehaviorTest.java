package dev.taskexec.executor.fake;

import static dev.taskexec.executor.fake.Fixtures.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.ControllerClosedException;
import dev.taskexec.api.DependencyNotReadyException;
import dev.taskexec.api.Errors;
import dev.taskexec.api.ExitCoder;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.executor.fake.Fixtures.Background;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BehaviorTest {

    private final FakeExecutor executor = FakeExecutor.create();

    private FakeController controller(String id, String... words) throws Exception {
        return (FakeController) executor.controller(task(id, words));
    }

    @Test
    void failIsFatalAndHasNoEffect() throws Exception {
        FakeController c = controller("t", "prepare=fail:boom,ok");
        ScriptedFailureException e = assertThrows(ScriptedFailureException.class, c::prepare);
        assertEquals("boom", e.getMessage());
        assertFalse(Errors.isTemporary(e));
        assertEquals(
                java.util.Optional.empty(),
                c.containerStatus(),
                "a failed prepare creates nothing");
        c.prepare();
        assertTrue(c.containerStatus().isPresent());
    }

    @Test
    void failWithoutMessageNamesTheCall() throws Exception {
        FakeController c = controller("t", "start=fail");
        c.prepare();
        assertEquals(
                "fake: start failed",
                assertThrows(ScriptedFailureException.class, c::start).getMessage());
    }

    @Test
    void temporaryIsRetryableAndKeepsTheMessage() throws Exception {
        FakeController c = controller("t", "start=temporary:busy,temporary,ok");
        c.prepare();
        Exception first = assertThrows(Exception.class, c::start);
        assertTrue(Errors.isTemporary(first));
        assertEquals("busy", first.getMessage());
        assertInstanceOf(ScriptedFailureException.class, first.getCause());
        Exception second = assertThrows(Exception.class, c::start);
        assertEquals("fake: start failed temporarily", second.getMessage());
        c.start();
    }

    @Test
    void exitCarriesCodeAndContainerStatus() throws Exception {
        FakeController c = controller("t", "start=exit:127:not found");
        c.prepare();
        ExitException e = assertThrows(ExitException.class, c::start);
        assertEquals(127, e.exitCode());
        assertEquals("not found", e.getMessage());
        ContainerStatus status = e.containerStatus().orElseThrow();
        assertEquals("fake-t", status.getContainerId());
        assertEquals(127, status.getExitCode());
        assertInstanceOf(ExitCoder.class, e);
    }

    @Test
    void anExitOnStartMeansTheWorkloadDiedAtOnce() throws Exception {
        FakeController c = controller("t", "start=exit:127:not found,ok");
        c.prepare();
        ExitException e = assertThrows(ExitException.class, c::start);
        assertEquals(e.containerStatus(), c.containerStatus());
        assertThrows(dev.taskexec.api.TaskAlreadyStartedException.class, c::start);
        assertEquals(127, assertThrows(ExitException.class, c::await).exitCode());
    }

    @Test
    void anExitOnAwaitEndsTheWorkload() throws Exception {
        FakeController c = controller("t", "after=never", "await=exit:5,ok");
        c.prepare();
        c.start();
        ExitException e = assertThrows(ExitException.class, c::await);
        assertEquals(e.containerStatus(), c.containerStatus());
        assertEquals(5, assertThrows(ExitException.class, c::await).exitCode(), "it stays exited");
    }

    @Test
    void exitBeforePrepareCarriesABareStatus() throws Exception {
        FakeController c = controller("t", "prepare=exit:2");
        ExitException e = assertThrows(ExitException.class, c::prepare);
        assertEquals(
                ContainerStatus.newBuilder().setExitCode(2).build(),
                e.containerStatus().orElseThrow());
        assertEquals("fake: prepare failed with exit code 2", e.getMessage());
    }

    @Test
    void delayTakesItsTimeThenTakesEffect() throws Exception {
        FakeController c = controller("t", "prepare=delay:60ms");
        long t0 = System.nanoTime();
        c.prepare();
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(60).toNanos());
        assertTrue(c.containerStatus().isPresent());
    }

    @Test
    void delayThenFail() throws Exception {
        FakeController c = controller("t", "prepare=delay:30ms+fail:late");
        long t0 = System.nanoTime();
        assertEquals("late", assertThrows(ScriptedFailureException.class, c::prepare).getMessage());
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(30).toNanos());
    }

    @Test
    void blockEndsPromptlyOnInterrupt() throws Exception {
        FakeController c = controller("t", "prepare=block");
        Background call = Background.run("preparer", c::prepare);
        Fixtures.waitUntilInProgress(c, Call.PREPARE);
        call.interrupt();
        assertInstanceOf(InterruptedException.class, call.outcome());
        assertEquals(java.util.Optional.empty(), c.containerStatus());
    }

    @Test
    void blockEndsOnClose() throws Exception {
        FakeController c = controller("t", "remove=block");
        Background call = Background.run("remover", c::remove);
        Fixtures.waitUntilInProgress(c, Call.REMOVE);
        c.close();
        assertInstanceOf(ControllerClosedException.class, call.outcome());
    }

    @Test
    void longDelayEndsPromptlyOnInterrupt() throws Exception {
        FakeController c = controller("t", "start=delay:1h");
        c.prepare();
        Background call = Background.run("starter", c::start);
        Fixtures.waitUntilInProgress(c, Call.START);
        call.interrupt();
        assertInstanceOf(InterruptedException.class, call.outcome());
        assertEquals(0, c.containerStatus().orElseThrow().getPid(), "the start had no effect");
    }

    @Test
    void interruptedBeforeTheCallStillEndsIt() throws Exception {
        FakeController c = controller("t", "prepare=block");
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, c::prepare);
        assertFalse(
                Thread.currentThread().isInterrupted(),
                "the flag is cleared, as Thread.sleep does");
    }

    @Test
    void raiseThrowsAFreshFailureEachTime() throws Exception {
        FakeExecutor ex = FakeExecutor.create();
        ex.script(
                "t",
                FakeScript.builder()
                        .prepare(Behavior.raise(() -> new DependencyNotReadyException("volume")))
                        .build());
        FakeController c = (FakeController) ex.controller(Fixtures.bare("t"));
        Exception a = assertThrows(DependencyNotReadyException.class, c::prepare);
        Exception b = assertThrows(DependencyNotReadyException.class, c::prepare);
        assertFalse(a == b);
    }

    @Test
    void customBehavioursSeeTheirCall() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        FakeExecutor ex = FakeExecutor.create();
        ex.script(
                "t",
                FakeScript.builder()
                        .start(
                                ctx -> {
                                    assertSame(Call.START, ctx.call());
                                    assertEquals("t", ctx.taskId());
                                    assertTrue(ctx.containerStatus().isPresent());
                                    seen.incrementAndGet();
                                })
                        .build());
        FakeController c = (FakeController) ex.controller(Fixtures.bare("t"));
        c.prepare();
        c.start();
        assertEquals(1, seen.get());
    }

    @Test
    void latencyDelaysEveryCall() throws Exception {
        FakeExecutor slow = FakeExecutor.builder().latency(Duration.ofMillis(20)).build();
        FakeController c = (FakeController) slow.controller(task("t"));
        long t0 = System.nanoTime();
        c.prepare();
        c.start();
        c.await();
        assertTrue(System.nanoTime() - t0 >= Duration.ofMillis(60).toNanos());
        for (CallRecord r : c.calls()) {
            assertTrue(r.elapsed().compareTo(Duration.ofMillis(20)) >= 0, r.toString());
        }
    }

    @Test
    void scriptLatencyOverridesTheExecutors() throws Exception {
        FakeExecutor slow = FakeExecutor.builder().latency(Duration.ofHours(1)).build();
        FakeController c = (FakeController) slow.controller(task("t", "latency=0"));
        Background call = Background.run("preparer", c::prepare);
        assertEquals(null, call.outcome());
    }

    @Test
    void thenRunsBothInOrder() throws Exception {
        StringBuilder order = new StringBuilder();
        Behavior b = ((Behavior) ctx -> order.append('a')).then(ctx -> order.append('b'));
        FakeExecutor ex = FakeExecutor.create();
        ex.script("t", FakeScript.builder().prepare(b).build());
        ((FakeController) ex.controller(Fixtures.bare("t"))).prepare();
        assertEquals("ab", order.toString());
    }

    @Test
    void behavioursPrintAsWords() {
        assertEquals(
                "delay:50ms+fail:boom",
                Behavior.delay(Duration.ofMillis(50)).then(Behavior.fail("boom")).toString());
        assertEquals("exit:3", Behavior.exit(3).toString());
        assertEquals("temporary:x", Behavior.temporary("x").toString());
        assertThrows(IllegalArgumentException.class, () -> Behavior.delay(Duration.ofMillis(-1)));
    }
}
