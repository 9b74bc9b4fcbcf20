package dev.taskexec.executor.fake;

import static dev.taskexec.executor.fake.Fixtures.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Errors;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.TaskAlreadyStartedException;
import dev.taskexec.api.proto.ContainerStatus;
import dev.taskexec.executor.fake.Fixtures.Background;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordingAndFaultsTest {

    // ---- recording ----

    @Test
    void everyCallIsRecordedInOrderWithThreadAndOutcome() throws Exception {
        FakeExecutor ex = FakeExecutor.create();
        FakeController c = (FakeController) ex.controller(task("t", "start=temporary:busy,ok"));
        c.prepare();
        assertThrows(Exception.class, c::start);
        c.start();
        c.await();
        c.remove();
        c.close();
        List<CallRecord> calls = c.calls();
        assertEquals(
                List.of(Call.PREPARE, Call.START, Call.START, Call.AWAIT, Call.REMOVE, Call.CLOSE),
                calls.stream().map(CallRecord::call).toList());
        String me = Thread.currentThread().getName();
        for (CallRecord r : calls) {
            assertEquals(me, r.thread());
            assertEquals(c.id(), r.controllerId());
        }
        assertEquals(CallRecord.Outcome.FAILED, calls.get(1).outcome());
        assertTrue(Errors.isTemporary(calls.get(1).failure()));
        assertTrue(calls.get(2).succeeded());
        for (int i = 1; i < calls.size(); i++) {
            assertTrue(calls.get(i).sequence() > calls.get(i - 1).sequence());
        }
        assertEquals(calls, ex.calls());
        assertEquals(2, c.count(Call.START));
        assertEquals(0, c.count(Call.SHUTDOWN));
        assertTrue(
                calls.get(1).toString().contains("start on " + me + ": FAILED"),
                calls.get(1).toString());
    }

    @Test
    void aBlockedCallShowsInProgressWithItsThread() throws Exception {
        FakeExecutor ex = FakeExecutor.create();
        FakeController c = (FakeController) ex.controller(task("t", "after=never"));
        c.prepare();
        c.start();
        Background awaiting = Background.run("awaiter-thread", c::await);
        Fixtures.waitUntilInProgress(c, Call.AWAIT);
        CallRecord await = c.calls().get(2);
        assertEquals("awaiter-thread", await.thread());
        assertNull(await.elapsed());
        c.terminate();
        assertInstanceOf(ExitException.class, awaiting.outcome());
        Fixtures.waitUntil(
                "await is recorded as failed",
                () -> c.calls().get(2).outcome() == CallRecord.Outcome.FAILED);
        assertEquals(
                List.of(Call.PREPARE, Call.START, Call.AWAIT, Call.TERMINATE),
                c.callSequence(),
                "records are in start order");
    }

    @Test
    void virtualThreadsAreNamedById() throws Exception {
        FakeExecutor ex = FakeExecutor.create();
        FakeController c = (FakeController) ex.controller(task("t"));
        Thread v =
                Thread.ofVirtual()
                        .start(
                                () -> {
                                    try {
                                        c.prepare();
                                    } catch (Exception e) {
                                        throw new IllegalStateException(e);
                                    }
                                });
        v.join(Fixtures.PATIENCE.toMillis());
        assertFalse(v.isAlive());
        assertEquals("#" + v.threadId(), c.calls().get(0).thread());
    }

    @Test
    void withoutHistoryNothingIsRecordedAndClosedControllersAreForgotten() throws Exception {
        FakeExecutor ex = FakeExecutor.builder().history(false).build();
        FakeController a = (FakeController) ex.controller(task("a"));
        FakeController b = (FakeController) ex.controller(task("b"));
        a.prepare();
        b.prepare();
        assertEquals(List.of(), a.calls());
        assertEquals(List.of(a, b), ex.controllers());
        a.close();
        assertEquals(List.of(b), ex.controllers());
        assertEquals(
                List.of(
                        "controller c2 of task b was not closed",
                        "task a was prepared but not removed (its fake container is PREPARED)",
                        "task b was prepared but not removed (its fake container is PREPARED)"),
                ex.leaks());
        b.remove();
        b.close();
        FakeController a2 = (FakeController) ex.controller(task("a"));
        a2.remove();
        a2.close();
        assertEquals(List.of(), ex.controllers());
        ex.assertNoLeaks();
    }

    @Test
    void pollingTheStatusAllocatesNoNewStatus() throws Exception {
        FakeExecutor ex = FakeExecutor.create();
        FakeController c = (FakeController) ex.controller(task("t", "after=never", "port=1:2"));
        assertSame(c.containerStatus(), c.containerStatus());
        c.prepare();
        c.start();
        assertSame(c.containerStatus(), c.containerStatus());
        assertSame(c.portStatus(), c.portStatus());
    }

    // ---- leaks ----

    @Test
    void leaksNameUnclosedControllersAndUnremovedContainers() throws Exception {
        FakeExecutor ex = FakeExecutor.create();
        FakeController prepared = (FakeController) ex.controller(task("a", "after=never"));
        prepared.prepare();
        prepared.start();
        FakeController neverPrepared = (FakeController) ex.controller(task("b"));
        assertEquals(
                List.of(
                        "controller c1 of task a was not closed",
                        "controller c2 of task b was not closed",
                        "task a was prepared but not removed (its fake container is RUNNING)"),
                ex.leaks());
        AssertionError e = assertThrows(AssertionError.class, ex::assertNoLeaks);
        assertTrue(e.getMessage().contains("task a was prepared but not removed"), e.getMessage());

        neverPrepared.close();
        prepared.close();
        assertEquals(
                List.of("task a was prepared but not removed (its fake container is RUNNING)"),
                ex.leaks(),
                "closing frees nothing of the task's");
        FakeController cleaner = (FakeController) ex.controller(task("a", "after=never"));
        cleaner.remove();
        cleaner.close();
        assertEquals(List.of(), ex.leaks());
        ex.assertNoLeaks();
    }

    @Test
    void aFailedPrepareAllocatesNothing() throws Exception {
        FakeExecutor ex = FakeExecutor.create();
        FakeController c = (FakeController) ex.controller(task("t", "prepare=fail"));
        assertThrows(ScriptedFailureException.class, c::prepare);
        c.close();
        ex.assertNoLeaks();
    }

    // ---- injected faults ----

    @Test
    void injectedFaultsGoFirstOnceEachAndDoNotUseUpTheScript() throws Exception {
        FakeExecutor ex = FakeExecutor.create();
        ex.inject("t", Call.START, Behavior.temporary("injected 1"));
        ex.inject("t", Call.START, Behavior.fail("injected 2"));
        FakeController c = (FakeController) ex.controller(task("t", "start=fail:scripted,ok"));
        c.prepare();
        assertEquals("injected 1", assertThrows(Exception.class, c::start).getMessage());
        assertEquals("injected 2", assertThrows(Exception.class, c::start).getMessage());
        assertEquals("scripted", assertThrows(Exception.class, c::start).getMessage());
        c.start();
        ex.inject("t", Call.AWAIT, Behavior.exit(42));
        assertEquals(42, assertThrows(ExitException.class, c::await).exitCode());
        c.await();
        assertThrows(
                IllegalArgumentException.class, () -> ex.inject("t", Call.CLOSE, Behavior.ok()));
    }

    @Test
    void faultsCanBeInjectedWhileACallIsBlocked() throws Exception {
        FakeExecutor ex = FakeExecutor.create();
        FakeController c = (FakeController) ex.controller(task("t", "after=never"));
        c.prepare();
        c.start();
        ex.inject("t", Call.SHUTDOWN, Behavior.fail("stuck"));
        assertEquals(
                "stuck", assertThrows(ScriptedFailureException.class, c::shutdown).getMessage());
        assertTrue(
                c.containerStatus().orElseThrow().getPid() > 0, "a failed shutdown stops nothing");
        c.shutdown();
        assertEquals(143, c.containerStatus().orElseThrow().getExitCode());
    }

    // ---- altering behaviour: interceptors and wrappers ----

    @Test
    void anInterceptorCanLoseExitCodes() throws Exception {
        FakeExecutor broken =
                FakeExecutor.builder()
                        .interceptor(
                                inv -> {
                                    try {
                                        inv.proceed();
                                    } catch (ExitException e) {
                                        if (inv.call() != Call.AWAIT) {
                                            throw e;
                                        }
                                    }
                                })
                        .build();
        FakeController c = (FakeController) broken.controller(task("t", "exit=3"));
        c.prepare();
        c.start();
        c.await();
        assertTrue(c.calls().get(2).succeeded(), "recorded as the caller saw it");
    }

    @Test
    void anInterceptorCanIgnoreInterruption() throws Exception {
        FakeExecutor broken =
                FakeExecutor.builder()
                        .interceptor(
                                inv -> {
                                    while (true) {
                                        try {
                                            inv.proceed();
                                            return;
                                        } catch (InterruptedException ignored) {
                                            // deliberately broken: swallow and wait again
                                        }
                                    }
                                })
                        .build();
        FakeController c = (FakeController) broken.controller(task("t", "after=never"));
        c.prepare();
        c.start();
        Background awaiting = Background.run("awaiter", c::await);
        Fixtures.waitUntilInProgress(c, Call.AWAIT);
        awaiting.interrupt();
        c.shutdown();
        assertInstanceOf(
                ExitException.class,
                awaiting.outcome(),
                "the interrupt was ignored; only the stop ended the await");
    }

    @Test
    void anInterceptorCanSkipRemoveAndLeaksShowIt() throws Exception {
        FakeExecutor broken =
                FakeExecutor.builder()
                        .interceptor(
                                inv -> {
                                    if (inv.call() != Call.REMOVE) {
                                        inv.proceed();
                                    }
                                })
                        .build();
        FakeController c = (FakeController) broken.controller(task("t"));
        c.prepare();
        c.remove();
        c.close();
        assertEquals(1, broken.leaks().size());
    }

    @Test
    void interceptorsNestInOrderAndSeeTheUpdate() throws Exception {
        List<String> trace = Collections.synchronizedList(new ArrayList<>());
        FakeExecutor ex =
                FakeExecutor.builder()
                        .interceptor(
                                inv -> {
                                    trace.add(
                                            "outer "
                                                    + inv.call().word()
                                                    + " "
                                                    + inv.task().getDesiredStateValue());
                                    inv.proceed();
                                })
                        .interceptor(
                                inv -> {
                                    trace.add("inner " + inv.call().word());
                                    assertSame(
                                            inv.controller().executor().controllers().get(0),
                                            inv.controller());
                                    inv.proceed();
                                })
                        .build();
        FakeController c = (FakeController) ex.controller(task("t"));
        c.update(task("t").toBuilder().setDesiredStateValue(64).build());
        c.prepare();
        assertEquals(
                List.of("outer update 64", "inner update", "outer prepare 64", "inner prepare"),
                trace);
    }

    @Test
    void aWrapperCanChangeOneMethod() throws Exception {
        FakeExecutor ex =
                FakeExecutor.builder()
                        .wrapControllers(
                                fake ->
                                        new ForwardingController(fake) {
                                            @Override
                                            public void start() throws Exception {
                                                try {
                                                    super.start();
                                                } catch (TaskAlreadyStartedException e) {
                                                    throw new IllegalStateException(
                                                            "container already running");
                                                }
                                            }

                                            @Override
                                            public Optional<ContainerStatus> containerStatus()
                                                    throws Exception {
                                                return super.containerStatus()
                                                        .map(
                                                                s ->
                                                                        s.toBuilder()
                                                                                .clearExitCode()
                                                                                .build());
                                            }
                                        })
                        .build();
        Controller c = ex.controller(task("t", "exit=2"));
        assertInstanceOf(ForwardingController.class, c);
        c.prepare();
        c.start();
        assertThrows(IllegalStateException.class, c::start);
        assertEquals(2, assertThrows(ExitException.class, c::await).exitCode());
        assertEquals(0, ((ForwardingController) c).containerStatus().orElseThrow().getExitCode());
        c.remove();
        c.close();
        ex.assertNoLeaks();
        assertEquals(1, ex.controllers().size());
    }
}
