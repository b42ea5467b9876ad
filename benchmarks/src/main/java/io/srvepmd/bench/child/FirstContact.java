package io.srvepmd.bench.child;

import com.ericsson.otp.erlang.OtpEpmd;
import com.ericsson.otp.erlang.OtpNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child JVM's whole life for the first-contact measure: new OtpNode, ping an Erlang node, print
 * its own peak RSS (VmHWM) just before exiting. Same program for the stock and the agent run; the
 * stock run passes the epmd port (the agent run 0: no epmd).
 * Args: self peer cookie epmdPort
 */
public final class FirstContact {

    public static void main(String[] args) throws Exception {
        if (Integer.parseInt(args[3]) > 0) {
            OtpEpmd.useEpmdPort(Integer.parseInt(args[3]));
        }
        OtpNode node = new OtpNode(args[0], args[2]);
        boolean pong = node.ping(args[1], 5000);
        node.close();
        System.out.println((pong ? "PONG" : "PANG") + " VmHWM_KB " + hwm());
        System.exit(pong ? 0 : 1);
    }

    static long hwm() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
