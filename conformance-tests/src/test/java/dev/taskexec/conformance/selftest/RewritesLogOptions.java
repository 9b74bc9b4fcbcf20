package dev.taskexec.conformance.selftest;

import dev.taskexec.api.LogPublisher;
import dev.taskexec.api.proto.LogSubscriptionOptions;
import dev.taskexec.executor.fake.FakeController;
import dev.taskexec.executor.fake.ForwardingController;
import java.util.function.UnaryOperator;

/**
 * A fake controller whose {@code logs} hands the fake other options than it was asked for, the way
 * a backend that drops or mistranslates an option does. Everything else is the fake's own.
 */
final class RewritesLogOptions extends ForwardingController {

    private final UnaryOperator<LogSubscriptionOptions> rewrite;

    RewritesLogOptions(FakeController delegate, UnaryOperator<LogSubscriptionOptions> rewrite) {
        super(delegate);
        this.rewrite = rewrite;
    }

    @Override
    public void logs(LogPublisher publisher, LogSubscriptionOptions options) throws Exception {
        delegate.logs(publisher, rewrite.apply(options));
    }
}
