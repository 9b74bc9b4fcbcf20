package example.backend;

import dev.taskexec.api.Controller;
import dev.taskexec.api.Executor;
import dev.taskexec.api.ExecutorProvider;
import dev.taskexec.api.ExitException;
import dev.taskexec.api.proto.Node;
import dev.taskexec.api.proto.NodeDescription;
import dev.taskexec.api.proto.Task;
import java.util.Map;

/** Backend "echo": a task "runs" by exiting with the number its command's last word names. */
public final class EchoProvider implements ExecutorProvider {

    @Override public String name() { return "echo"; }

    @Override public String description() { return "exits with the code its command names"; }

    @Override public Executor create(Map<String, String> options) {
        return new Executor() {
            @Override public NodeDescription describe() {
                return NodeDescription.newBuilder().setHostname("echo").build();
            }

            @Override public void configure(Node node) {}

            @Override public Controller controller(Task task) {
                var command = task.getSpec().getContainer().getCommandList();
                int code = Integer.parseInt(command.get(command.size() - 1));
                return new Controller() {
                    @Override public void update(Task update) {}
                    @Override public void prepare() {}
                    @Override public void start() {}
                    @Override public void await() throws ExitException {
                        if (code != 0) {
                            throw new ExitException(code, "exit " + code);
                        }
                    }
                    @Override public void shutdown() {}
                    @Override public void terminate() {}
                    @Override public void remove() {}
                    @Override public void close() {}
                };
            }
        };
    }
}
