package dev.taskexec.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.taskexec.api.proto.ContainerStatus;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ErrorsTest {

    @Test
    void temporaryKeepsMessageAndCause() {
        IOException cause = new IOException("daemon unreachable");
        Exception temporary = Errors.temporary(cause);
        assertInstanceOf(Temporary.class, temporary);
        assertEquals("daemon unreachable", temporary.getMessage());
        assertSame(cause, temporary.getCause());
        assertTrue(Errors.isTemporary(temporary));
        assertSame(cause, Errors.find(temporary, IOException.class).orElseThrow());
    }

    @Test
    void temporaryOfMessagelessFailureUsesClassName() {
        assertEquals(
                IllegalStateException.class.getName(),
                Errors.temporary(new IllegalStateException()).getMessage());
    }

    @Test
    void alreadyTemporaryComesBackAsItIs() {
        Exception once = Errors.temporary(new IOException("x"));
        assertSame(once, Errors.temporary(once));
    }

    @Test
    void wrappedTemporaryStaysTemporaryButIsRewrappedOnlyWhenNeeded() {
        Exception once = Errors.temporary(new IOException("x"));
        RuntimeException wrapper = new RuntimeException("outer", once);
        assertTrue(Errors.isTemporary(wrapper));
        assertSame(wrapper, Errors.temporary(wrapper));
    }

    @Test
    void firstTemporaryInChainDecides() {
        class NotTemporary extends Exception implements Temporary {
            private static final long serialVersionUID = 1L;

            NotTemporary(Throwable cause) {
                super("no", cause);
            }

            @Override
            public boolean isTemporary() {
                return false;
            }
        }
        Exception chain = new NotTemporary(Errors.temporary(new IOException("inner")));
        assertFalse(Errors.isTemporary(chain));
    }

    @Test
    void plainFailuresAndNullAreNotTemporary() {
        assertFalse(Errors.isTemporary(new IOException("x")));
        assertFalse(Errors.isTemporary(null));
        assertThrows(NullPointerException.class, () -> Errors.temporary(null));
    }

    @Test
    void findWalksTheCauseChainToInterfaces() {
        ExitException exit = new ExitException(3, null);
        Exception chain = new IllegalStateException("outer", new RuntimeException("mid", exit));
        assertSame(exit, Errors.find(chain, ExitCoder.class).orElseThrow());
        assertEquals(Optional.empty(), Errors.find(chain, InterruptedException.class));
        assertEquals(Optional.empty(), Errors.find(null, ExitCoder.class));
    }

    @Test
    void findEndsOnCyclicChains() {
        Exception a = new Exception("a");
        Exception b = new Exception("b", a);
        a.initCause(b);
        assertEquals(Optional.empty(), Errors.find(a, ExitCoder.class));
    }

    @Test
    void exitExceptionCarriesCodeAndStatus() {
        ContainerStatus status =
                ContainerStatus.newBuilder().setContainerId("c1").setPid(42).setExitCode(7).build();
        ExitException e = new ExitException(7, null, status);
        assertEquals(7, e.exitCode());
        assertEquals("exit code 7", e.getMessage());
        assertSame(status, e.containerStatus().orElseThrow());

        ExitException plain = new ExitException();
        assertEquals(ExitException.GENERIC_EXIT_CODE, plain.exitCode());
        assertEquals(Optional.empty(), plain.containerStatus());
        assertEquals("killed", new ExitException("killed").getMessage());
    }

    @Test
    void everyExecExceptionHasTheThreeConstructors() throws Exception {
        Class<?>[] types = {
            ExecException.class,
            TaskAlreadyPreparedException.class,
            TaskAlreadyStartedException.class,
            TaskUpdateRejectedException.class,
            ControllerClosedException.class,
            RuntimeUnsupportedException.class,
            DependencyNotReadyException.class,
            ExitException.class,
        };
        Throwable cause = new IOException("cause");
        for (Class<?> type : types) {
            assertTrue(ExecException.class.isAssignableFrom(type), type.getName());
            Throwable none = (Throwable) type.getConstructor().newInstance();
            Throwable message = (Throwable) type.getConstructor(String.class).newInstance("m");
            Throwable both =
                    (Throwable)
                            type.getConstructor(String.class, Throwable.class)
                                    .newInstance("m", cause);
            assertEquals("m", message.getMessage(), type.getName());
            assertSame(cause, both.getCause(), type.getName());
            // A status's err must never be empty: the no-argument form still says what happened.
            assertTrue(type == ExecException.class || none.getMessage() != null, type.getName());
        }
    }
}
