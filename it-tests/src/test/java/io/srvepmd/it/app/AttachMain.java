package io.srvepmd.it.app;

import com.ericsson.otp.erlang.OtpConnection;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpNode;
import com.ericsson.otp.erlang.OtpPeer;
import com.ericsson.otp.erlang.OtpSelf;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An ordinary JInterface program that makes nodes before and after an operator
 * attaches the agent to it ({@code java -jar srv-epmd-agent.jar attach PID}).
 * Usage: {@code AttachMain COOKIE STEP...}. Steps, in order:
 * <ul>
 * <li>{@code self:NAME} - {@code new OtpSelf(NAME, COOKIE)}, kept for {@code self-connect};
 *     {@code SELF NAME PORT port}</li>
 * <li>{@code self-connect:PEER} - that OtpSelf connects to PEER, rpc {@code erlang:node()}, closes;
 *     {@code CONNECT PEER ok MS} or {@code CONNECT PEER failed MS class: message}</li>
 * <li>{@code await} - prints {@code AWAITING} and blocks until a line arrives on stdin</li>
 * <li>{@code node:NAME} - {@code new OtpNode(NAME, COOKIE)}; {@code NODE name PORT port}</li>
 * <li>{@code ping:PEER} - that OtpNode pings PEER; {@code PING PEER ok|failed}</li>
 * <li>{@code wait} - blocks until stdin is closed</li>
 * </ul>
 * A failing step prints {@code ERROR class: message} (or its failed line) and the next runs.
 */
public final class AttachMain {

    private static final BufferedReader STDIN = new BufferedReader(new InputStreamReader(System.in,
            StandardCharsets.UTF_8));

    private AttachMain() {
    }

    public static void main(String[] args) throws Exception {
        String cookie = args[0];
        OtpSelf self = null;
        OtpNode node = null;
        for (String step : Arrays.asList(args).subList(1, args.length)) {
            String[] a = step.split(":");
            try {
                switch (a[0]) {
                    case "self":
                        self = new OtpSelf(a[1], cookie);
                        Out.line("SELF " + self.node() + " PORT " + self.port());
                        break;
                    case "self-connect":
                        connect(self, a[1]);
                        break;
                    case "await":
                        Out.line("AWAITING");
                        STDIN.readLine();
                        break;
                    case "node":
                        node = new OtpNode(a[1], cookie);
                        Out.line("NODE " + node.node() + " PORT " + node.port());
                        break;
                    case "ping":
                        Out.line("PING " + a[1] + (node.ping(a[1], 15_000) ? " ok" : " failed"));
                        break;
                    case "wait":
                        while (STDIN.readLine() != null) {
                            // until stdin closes
                        }
                        break;
                    default:
                        throw new IllegalArgumentException("unknown step " + step);
                }
            } catch (Exception e) {
                Out.error(e);
            }
        }
        System.exit(0);
    }

    private static void connect(OtpSelf self, String peer) {
        long start = System.nanoTime();
        try {
            OtpConnection connection = self.connect(new OtpPeer(peer));
            try {
                connection.sendRPC("erlang", "node", new OtpErlangList());
                connection.receiveRPC();
            } finally {
                connection.close();
            }
            Out.line("CONNECT " + peer + " ok " + (System.nanoTime() - start) / 1_000_000);
        } catch (Exception e) {
            StringBuilder chain = new StringBuilder(e.getClass().getName() + ": " + e.getMessage());
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                chain.append(" <- ").append(c.getClass().getName()).append(": ").append(c.getMessage());
            }
            Out.line("CONNECT " + peer + " failed " + (System.nanoTime() - start) / 1_000_000 + " " + chain);
        }
    }
}
