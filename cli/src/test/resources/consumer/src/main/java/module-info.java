module consumer {
    requires dev.taskexec.core;
    requires dev.taskexec.executor.fake;

    provides dev.taskexec.api.ExecutorProvider with consumer.TinyProvider;
}
