package io.srvepmd.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;

/**
 * A distribution connection over TLS as JInterface sees it: a {@link Socket}
 * (handed to {@code OtpSocketTransport}) whose streams run the TLS handshake
 * first, then convert the distribution handshake's framing
 * ({@link DistFraming}), then pass bytes through.
 *
 * <p>Everything before the distribution handshake's end is bounded by one
 * deadline: each read waits at most the time left, so a peer that accepts TCP
 * and never speaks TLS, or stops halfway, cannot hold the thread (JInterface
 * does an accepted connection's handshake in its acceptor thread, holding the
 * node's connection table) past it. Afterwards reads wait without a bound, as
 * JInterface's own connections do (the distribution's ticks find dead peers).
 *
 * <p>The TLS handshake runs on the first read or write (an accepted
 * connection: in the thread that reads it, never in {@code accept()}), or when
 * {@link #handshake()} is called (a connection we make, within its attempt).
 */
final class DistTlsSocket extends Socket implements DistFraming.Owner {

    static final int CLOSE_WAIT_MILLIS = 250;

    /** Who the peer is, for counters, JFR and the log. */
    static final class Peer {
        final boolean client;
        final String name;

        Peer(boolean client, String name) {
            this.client = client;
            this.name = name;
        }
    }

    private final SSLSocket ssl;
    private final Peer peer;
    private final TlsStats stats;
    private final long deadlineNanos;
    private final long boundMillis;
    private final DistFraming.Input in;
    private final DistFraming.Output out;
    private final AtomicInteger directionsDone = new AtomicInteger();
    private final Object handshakeLock = new Object();
    private volatile boolean settingUp = true;
    private IOException handshakeFailure;
    private boolean handshook;
    /**
     * A client's handshake whose outcome is not yet counted: in TLS 1.3 the client finishes before the
     * server has checked its certificate, and a refusal arrives as an alert on the first read.
     */
    private Object unsettled;
    private javax.net.ssl.SSLSession unsettledSession;

    DistTlsSocket(SSLSocket ssl, Peer peer, TlsStats stats, long boundMillis) throws IOException {
        this.ssl = ssl;
        this.peer = peer;
        this.stats = stats;
        this.boundMillis = boundMillis;
        this.deadlineNanos = System.nanoTime() + boundMillis * 1_000_000;
        this.in = new DistFraming.Input(ssl.getInputStream(), this);
        this.out = new DistFraming.Output(ssl.getOutputStream(), this);
    }

    /**
     * Runs the TLS handshake once, within the deadline; later calls return at once, or throw the
     * first call's failure.
     *
     * @throws IOException whose message names the TLS reason ({@link TlsFailure})
     */
    void handshake() throws IOException {
        synchronized (handshakeLock) {
            if (handshakeFailure != null) {
                throw handshakeFailure;
            }
            if (handshook) {
                return;
            }
            Object jfr = TlsHandshakeEvent.start();
            try {
                boundRead();
                ssl.startHandshake();
                handshook = true;
                if (peer.client && "TLSv1.3".equals(ssl.getSession().getProtocol())) {
                    // settled by the first read (afterRead), or by a failed read or write (ioFailed)
                    unsettled = jfr == null ? Boolean.TRUE : jfr;
                    unsettledSession = ssl.getSession();
                } else {
                    stats.handshake(jfr, peer, null, null, ssl.getSession());
                }
            } catch (IOException e) {
                throw failed(jfr, e);
            }
        }
    }

    /** Counts a failed handshake, closes the connection, and returns the exception that names the reason. */
    private IOException failed(Object jfr, IOException e) {
        TlsFailure reason = TlsFailure.of(e);
        String detail = TlsFailure.detail(e);
        stats.handshake(jfr, peer, reason, detail, null);
        handshakeFailure = new IOException("TLS handshake " + (peer.client ? "with " : "from ") + peer.name
                + " failed: " + reason.label + ": " + reason.meaning + " (" + detail + ")", e);
        try {
            close();
        } catch (IOException closing) {
            // it failed anyway
        }
        return handshakeFailure;
    }

    @Override
    public void afterRead(int count) {
        synchronized (handshakeLock) {
            Object jfr = unsettled;
            if (jfr != null) {
                unsettled = null;
                Object event = jfr == Boolean.TRUE ? null : jfr;
                if (count >= 0) {
                    stats.handshake(event, peer, null, null, unsettledSession);
                } else {
                    failed(event, new java.io.EOFException("the peer closed the connection after the TLS handshake"
                            + " (it may refuse our certificate)"));
                }
            }
        }
    }

    @Override
    public IOException ioFailed(IOException e) {
        synchronized (handshakeLock) {
            Object jfr = unsettled;
            if (jfr == null) {
                return e;
            }
            unsettled = null;
            return failed(jfr == Boolean.TRUE ? null : jfr, e);
        }
    }

    /** The session's protocol, for tests and doctor; null before the handshake. */
    String protocol() {
        return handshook ? ssl.getSession().getProtocol() : null;
    }

    SSLSocket ssl() {
        return ssl;
    }

    @Override
    public void beforeRead() throws IOException {
        handshake();
        boundRead();
    }

    @Override
    public void beforeWrite() throws IOException {
        handshake();
    }

    @Override
    public void directionDone() {
        if (directionsDone.incrementAndGet() == 2) {
            settingUp = false;
            try {
                ssl.setSoTimeout(0);
            } catch (SocketException e) {
                // closed meanwhile: the next read says so
            }
        }
    }

    private void boundRead() throws IOException {
        if (!settingUp) {
            return;
        }
        long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("the TLS and distribution handshakes did not finish within "
                    + boundMillis + " ms");
        }
        ssl.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    /**
     * Closes with a {@code close_notify}. In TLS 1.3 the JDK may then wait for the peer's own
     * {@code close_notify} as long as the socket's read timeout (seen on a listener closing a
     * connection whose client had read nothing yet: it waited out the handshake bound), so the wait
     * is bounded by {@value #CLOSE_WAIT_MILLIS} ms whatever the read timeout is then.
     */
    @Override
    public void close() throws IOException {
        try {
            ssl.setSoTimeout(CLOSE_WAIT_MILLIS);
        } catch (SocketException alreadyClosed) {
            // nothing to wait for
        }
        ssl.close();
    }

    @Override
    public boolean isClosed() {
        return ssl.isClosed();
    }

    @Override
    public boolean isConnected() {
        return ssl.isConnected();
    }

    @Override
    public boolean isBound() {
        return ssl.isBound();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        ssl.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return ssl.getTcpNoDelay();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        ssl.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return ssl.getSoTimeout();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        ssl.setKeepAlive(on);
    }

    @Override
    public void shutdownInput() throws IOException {
        ssl.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        ssl.shutdownOutput();
    }

    @Override
    public InetAddress getInetAddress() {
        return ssl.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return ssl.getLocalAddress();
    }

    @Override
    public int getPort() {
        return ssl.getPort();
    }

    @Override
    public int getLocalPort() {
        return ssl.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return ssl.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return ssl.getLocalSocketAddress();
    }

    @Override
    public String toString() {
        return "DistTlsSocket[" + (peer.client ? "to " : "from ") + peer.name + ", " + ssl + "]";
    }
}
