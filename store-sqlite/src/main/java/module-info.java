/**
 * A durable task store for the worker: SQLite in a state directory, through sqlite-jdbc (the named
 * module {@code org.xerial.sqlitejdbc}, which loads native code: on a JDK that warns about native
 * access, run with {@code --enable-native-access=org.xerial.sqlitejdbc} on a module path).
 */
module dev.taskexec.store.sqlite {
    requires transitive dev.taskexec.core;
    requires java.sql;
    requires org.xerial.sqlitejdbc;
    requires org.slf4j;
    // The @API annotations, as in JUnit: needed to compile, optional at run time; transitive
    // because
    // every exported type carries one, so a module reading this one reads them too (when present).
    requires static transitive org.apiguardian.api;

    exports dev.taskexec.store.sqlite;
}
