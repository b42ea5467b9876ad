package io.srvepmd.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A connect through a transport factory the program set itself
 * ({@code OtpTransportFactory.createTransport(InetAddress, int)}), bounded like
 * the agent's own: it runs in a thread of its own and is abandoned when the
 * attempt's time is up (JInterface holds the node's connection lock meanwhile).
 * A transport it returns after that is closed. The address carries the
 * peer's host name (the node name's host part) with the resolved address, so
 * a factory that needs the name (for TLS of its own, say) has it.
 */
final class FactoryDial {

    private FactoryDial() {
    }

    static Object connect(JInterfaceBridge bridge, Object factory, InetAddress to, int port, int timeoutMillis)
            throws IOException {
        Call call = new Call(bridge, factory, to, port);
        FutureTask<Object> task = new FutureTask<>(call);
        Thread t = new Thread(task, "srv-epmd-connect " + to.getHostName() + ":" + port);
        t.setDaemon(true);
        t.start();
        try {
            return task.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.abandon();
            throw new IOException("the program's transport factory " + factory.getClass().getName()
                    + " did not connect to " + to.getHostAddress() + ":" + port + " within " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            call.abandon();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting to " + to.getHostAddress() + ":" + port, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            throw new IOException("the program's transport factory " + factory.getClass().getName() + " failed: "
                    + cause, cause);
        }
    }

    /** The factory's call; a transport that arrives after the caller gave up is closed. */
    private static final class Call implements java.util.concurrent.Callable<Object> {
        private final JInterfaceBridge bridge;
        private final Object factory;
        private final InetAddress to;
        private final int port;
        private boolean abandoned;

        Call(JInterfaceBridge bridge, Object factory, InetAddress to, int port) {
            this.bridge = bridge;
            this.factory = factory;
            this.to = to;
            this.port = port;
        }

        @Override
        public Object call() throws Exception {
            Object transport = bridge.createTransport(factory, to, port);
            synchronized (this) {
                if (!abandoned) {
                    return transport;
                }
            }
            try {
                bridge.close(transport);
            } catch (IOException | RuntimeException e) {
                // nobody waits for it any more
            }
            return null;
        }

        synchronized void abandon() {
            abandoned = true;
        }
    }
}
