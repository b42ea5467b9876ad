package io.srvepmd.agent.slf4j;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPLoggerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of the agent's relocated SLF4J copy, used only by the
 * bundled dnsjava. Without a provider SLF4J prints a three-line warning to the
 * host's stderr; the agent must print nothing, and the resolver reports every
 * failure through its exceptions anyway. Relocated together with SLF4J, so the
 * host's own SLF4J never sees it.
 */
public final class SilentSlf4jProvider implements SLF4JServiceProvider {

    private static final SilentSlf4jProvider BOUND = new SilentSlf4jProvider();

    /**
     * @return the provider, for the relocated {@code LoggerFactory.getProvider()}, whose body a
     *         build step replaces with a call of this method (see agent/pom.xml): SLF4J's
     *         discovery never runs in the agent's copy
     */
    public static SLF4JServiceProvider bound() {
        return BOUND;
    }

    private final ILoggerFactory loggers = new NOPLoggerFactory();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        // nothing to set up
    }
}
