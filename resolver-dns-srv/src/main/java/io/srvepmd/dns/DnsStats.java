package io.srvepmd.dns;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.xbill.DNS.Rcode;

/** How the questions of one transport went: what operators read as {@link DnsSrvStatsMXBean}. */
final class DnsStats {

    final LongAdder questions = new LongAdder();
    final LongAdder noError = new LongAdder();
    final LongAdder nxDomain = new LongAdder();
    final LongAdder errorAnswers = new LongAdder();
    final LongAdder unanswered = new LongAdder();
    final LongAdder tcpFallbacks = new LongAdder();
    final LongAdder failedAttempts = new LongAdder();
    private final Map<String, LongAdder> timeoutsByServer = new ConcurrentHashMap<>();

    void answered(int rcode) {
        (rcode == Rcode.NOERROR ? noError : rcode == Rcode.NXDOMAIN ? nxDomain : errorAnswers).increment();
    }

    void failed(InetSocketAddress server, AttemptFailed e) {
        failedAttempts.increment();
        if (e.timedOut) {
            timeouts(Servers.format(server)).increment();
        }
    }

    private LongAdder timeouts(String server) {
        LongAdder a = timeoutsByServer.get(server);
        if (a == null) {
            a = new LongAdder();
            LongAdder other = timeoutsByServer.putIfAbsent(server, a);
            return other != null ? other : a;
        }
        return a;
    }

    Map<String, Long> timeoutsByServer() {
        Map<String, Long> out = new TreeMap<>();
        for (Map.Entry<String, LongAdder> e : timeoutsByServer.entrySet()) {
            out.put(e.getKey(), e.getValue().sum());
        }
        return out;
    }
}
