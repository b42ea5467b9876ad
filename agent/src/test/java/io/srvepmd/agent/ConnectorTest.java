package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.NodeName;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Failover within one budget, under a hand-moved clock: the fake dialer plays
 * a blackholed endpoint by letting its whole timeout pass, a refused one by
 * failing at once, so the time a connection would take is exact.
 */
class ConnectorTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<Integer> timeouts = new ArrayList<>();

    private static List<InetSocketAddress> endpoints(int n) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new InetSocketAddress("127.0.0.1", 10_000 + i));
        }
        return out;
    }

    /** Every endpoint is blackholed: an attempt takes exactly its timeout, then fails. */
    private final Connector.Dialer blackhole = (peer, to, timeoutMillis) -> {
        timeouts.add(timeoutMillis);
        now.addAndGet(Duration.ofMillis(timeoutMillis).toNanos());
        throw new SocketTimeoutException("connect timed out");
    };

    private ConnectAttempts attempts(List<InetSocketAddress> endpoints) {
        return new ConnectAttempts(NodeName.parse("n@svc"), endpoints, now.get());
    }

    private long elapsedMillis(long start) {
        return (now.get() - start) / 1_000_000;
    }

    @Test
    void aThousandBlackholedCandidatesTakeTheTotalBudgetNotAThousandTimeouts() {
        Connector c = new Connector(blackhole, new Telemetry(), now::get, 5_000, 10_000, 1000);
        long start = now.get();
        IOException e = assertThrows(IOException.class, () -> c.connect(null, attempts(endpoints(1000))));
        assertTrue(elapsedMillis(start) <= 10_000, "took " + elapsedMillis(start) + " ms");
        assertEquals(10, timeouts.size(), "each got the sane minimum of 1 s: " + timeouts);
        assertTrue(e.getMessage().contains("; 990 more not tried (connect.total-timeout=10000ms used up)"),
                e.getMessage());
    }

    @Test
    void theNumberOfAttemptsIsBounded() {
        List<InetSocketAddress> tried = new ArrayList<>();
        Connector c = new Connector((peer, to, t) -> {
            tried.add(to);
            throw new ConnectException("Connection refused");
        }, new Telemetry(), now::get, 5_000, 10_000, 8);
        IOException e = assertThrows(IOException.class, () -> c.connect(null, attempts(endpoints(1000))));
        assertEquals(endpoints(8), tried);
        assertTrue(e.getMessage().startsWith("srv-epmd: cannot connect to node n@svc: tried 127.0.0.1:10000"
                + " (Connection refused), 127.0.0.1:10001 (Connection refused)"), e.getMessage());
        assertTrue(e.getMessage().contains("; 992 more not tried (connect.max-attempts=8)"), e.getMessage());
    }

    @Test
    void attemptsShareWhatIsLeftButNeverExceedConnectTimeout() {
        Connector c = new Connector(blackhole, new Telemetry(), now::get, 5_000, 10_000, 8);
        assertThrows(IOException.class, () -> c.connect(null, attempts(endpoints(2))));
        assertEquals(List.of(5_000, 5_000), timeouts);
        timeouts.clear();
        assertThrows(IOException.class, () -> c.connect(null, attempts(endpoints(1))));
        assertEquals(List.of(5_000), timeouts, "one endpoint: connect.timeout, not the whole budget");
        timeouts.clear();
        assertThrows(IOException.class, () -> c.connect(null, attempts(endpoints(4))));
        assertEquals(List.of(2_500, 2_500, 2_500, 2_500), timeouts);
    }

    @Test
    void aLiveEndpointAfterDeadOnesIsReached() throws IOException {
        Object transport = new Object();
        Connector c = new Connector((peer, to, t) -> {
            if (to.getPort() == 10_002) {
                return new Connector.Dialed(transport, null);
            }
            now.addAndGet(Duration.ofMillis(t).toNanos());
            throw new SocketTimeoutException("connect timed out");
        }, new Telemetry(), now::get, 5_000, 10_000, 8);
        assertEquals(transport, c.connect(null, attempts(endpoints(5))));
    }
}
