package io.srvepmd.bench.child;

import com.ericsson.otp.erlang.OtpConnection;
import com.ericsson.otp.erlang.OtpEpmd;
import com.ericsson.otp.erlang.OtpPeer;
import com.ericsson.otp.erlang.OtpSelf;

/**
 * Connection setup Java -> Erlang in one JVM: OtpSelf.connect(new OtpPeer(..)) (lookup + TCP +
 * handshake) then close, warmed up, then the mean of many. Prints MEAN_US.
 *
 * <p>Erlang notices a closed connection asynchronously; reconnecting at once under the same name can
 * meet the old connection still there (the handshake then fails). So the loop rotates over 8 local
 * nodes, {@code rpc-<alive>-<k>@host}: the helper-name pattern, which gives each of them an
 * ephemeral listen port under the agent (stock JInterface always does).
 * Args: self peer cookie epmdPort warmup iterations
 */
public final class ConnectLoop {

    public static void main(String[] args) throws Exception {
        if (Integer.parseInt(args[3]) > 0) {
            OtpEpmd.useEpmdPort(Integer.parseInt(args[3]));
        }
        int warmup = Integer.parseInt(args[4]);
        int iterations = Integer.parseInt(args[5]);
        OtpSelf[] selves = new OtpSelf[8];
        for (int k = 0; k < selves.length; k++) {
            selves[k] = new OtpSelf("rpc-" + args[0].replace("@", "-" + k + "@"), args[2]);
        }
        int failures = 0;
        for (int i = 0; i < warmup; i++) {
            failures += once(selves[i % selves.length], args[1]) ? 0 : 1;
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            failures += once(selves[i % selves.length], args[1]) ? 0 : 1;
        }
        long t1 = System.nanoTime();
        System.out.printf("MEAN_US %.1f FAILURES %d%n", (t1 - t0) / 1000.0 / iterations, failures);
        System.exit(0);
    }

    private static boolean once(OtpSelf self, String peer) {
        try {
            OtpConnection c = self.connect(new OtpPeer(peer));
            c.close();
            return true;
        } catch (Exception e) {
            System.err.println("connect failed: " + e);
            return false;
        }
    }
}
