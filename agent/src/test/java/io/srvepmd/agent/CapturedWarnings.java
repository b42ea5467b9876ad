package io.srvepmd.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what {@link AgentLog} writes (through System.Logger, which is JUL
 * here) while open. The agent's logger is held here so that its handler is not
 * lost to garbage collection.
 */
public final class CapturedWarnings implements AutoCloseable {

    private final Logger logger = Logger.getLogger(AgentLog.LOGGER_NAME);
    private final List<String> messages = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                synchronized (messages) {
                    messages.add(record.getMessage());
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final boolean parentHandlers;

    public CapturedWarnings() {
        parentHandlers = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false); // keep the build output clean
        logger.addHandler(handler);
    }

    public List<String> messages() {
        synchronized (messages) {
            return new ArrayList<>(messages);
        }
    }

    /** @return how many warnings mention {@code text} */
    public long mentioning(String text) {
        return messages().stream().filter(m -> m.contains(text)).count();
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(parentHandlers);
    }
}
