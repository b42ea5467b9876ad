package io.srvepmd.agent;

import java.io.IOException;
import java.lang.reflect.Field;

/**
 * Clears {@code AbstractConnection.done}, the private flag JInterface's {@code close()} sets, so
 * that a connection whose handshake failed can try the next endpoint. Private, so out of the
 * {@link JInterfaceBridge}'s reach: reflection, on the failover path only (never on a first
 * contact that succeeds, where a reflective call would cost JDK 18+ its method-handle classes).
 */
final class DoneFlag {

    private static final ClassValue<Field> DONE = new ClassValue<>() {
        @Override
        protected Field computeValue(Class<?> abstractConnection) {
            try {
                Field f = abstractConnection.getDeclaredField("done");
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException("unsupported JInterface version: " + e, e);
            }
        }
    };

    private DoneFlag() {
    }

    /** @param abstractConnection the {@code AbstractConnection} class of {@code connection}'s copy */
    static void clear(Class<?> abstractConnection, Object connection) throws IOException {
        Field done = DONE.get(abstractConnection);
        try {
            done.setBoolean(connection, false);
        } catch (IllegalAccessException e) {
            throw new IOException("srv-epmd: cannot write " + done + ": " + e, e);
        }
    }
}
