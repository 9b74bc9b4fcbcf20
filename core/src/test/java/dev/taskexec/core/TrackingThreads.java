package dev.taskexec.core;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;

/** A factory of virtual threads that remembers every thread it made, to prove none is left. */
final class TrackingThreads implements ThreadFactory {

    private final ThreadFactory virtual = Thread.ofVirtual().factory();
    private final ConcurrentLinkedQueue<Thread> made = new ConcurrentLinkedQueue<>();

    @Override
    public Thread newThread(Runnable task) {
        Thread t = virtual.newThread(task);
        made.add(t);
        return t;
    }

    int made() {
        return made.size();
    }

    List<String> alive() {
        return made.stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }

    long alive(String namePrefix) {
        return made.stream()
                .filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith(namePrefix))
                .count();
    }
}
