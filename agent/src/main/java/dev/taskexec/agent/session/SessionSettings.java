package dev.taskexec.agent.session;

import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every {@link ManagerSession} of one {@link SwarmSession} shares. */
record SessionSettings(
        ManagerChannels channels,
        ManagerList managers,
        NodeDescriber describer,
        SessionObserver observer,
        StatusSender statuses,
        AssignmentSet assignments,
        LogService logs,
        Duration firstMessageTimeout,
        Duration rpcTimeout,
        Duration descriptionCheckPeriod) {

    private static final Logger log = LoggerFactory.getLogger(SessionSettings.class);

    /** Calls the observer; what it throws is logged and otherwise ignored. */
    void notify(Consumer<SessionObserver> call) {
        try {
            call.accept(observer);
        } catch (RuntimeException e) {
            log.warn("the session observer threw", e);
        }
    }
}
