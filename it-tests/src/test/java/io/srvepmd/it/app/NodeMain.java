package io.srvepmd.it.app;

import com.ericsson.otp.erlang.OtpEpmd;
import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpMbox;
import com.ericsson.otp.erlang.OtpNode;

import java.io.IOException;
import java.util.Arrays;

/**
 * An ordinary JInterface program built on {@link OtpNode} (nothing here knows
 * about the agent). Usage: {@code NodeMain NAME COOKIE ACTION...}; the node is
 * created with {@code new OtpNode(NAME, COOKIE)} (no port: the agent decides)
 * and prints {@code NODE name PORT port}. Actions, in order:
 * <ul>
 * <li>{@code ping:PEER} - {@code PING PEER ok|failed}</li>
 * <li>{@code connect:PEER} - a connection of a helper node of this JVM, failing at once if it cannot be
 *     made (see {@link Probe}); {@code CONNECT PEER ok|failed MS [error]}</li>
 * <li>{@code echo:PEER} - sends {@code {Self, "hello"}} to {@code echo} on PEER;
 *     {@code ECHO text FROM node}</li>
 * <li>{@code rpc-node:PEER} - {@code erlang:node()} through {@code rex};
 *     {@code RPC erlang:node() = term}</li>
 * <li>{@code rpc-reverse:PEER} - {@code lists:reverse([a,b,c])};
 *     {@code RPC lists:reverse([a,b,c]) = term}</li>
 * <li>{@code serve:MBOX:COUNT} - registers MBOX, prints {@code SERVING MBOX}, answers
 *     COUNT messages {@code {Pid, Msg}} with {@code {ok, Msg}}, printing
 *     {@code GOT Msg FROM node} for each, then {@code SERVED}</li>
 * <li>{@code send:PEER:MBOX:TEXT} - sends {@code {Self, "TEXT"}} to MBOX on PEER;
 *     {@code REPLY term}</li>
 * <li>{@code names} - {@code OtpEpmd.lookupNames()}; {@code NAMES ...}</li>
 * <li>{@code start:NAME[:PORT]} - creates a second node NAME in this JVM ({@code new OtpNode(NAME, COOKIE[, PORT])});
 *     {@code NODE name PORT port}</li>
 * <li>{@code ping-from:NAME:PEER} - pings PEER from node NAME of this JVM (created as by {@code start:NAME}
 *     if needed); {@code PING PEER ok|failed FROM NAME}</li>
 * <li>{@code creation} - {@code CREATION n}, the creation of a pid made by the node</li>
 * <li>{@code wait} - blocks until stdin is closed</li>
 * <li>{@code pause} - prints {@code PAUSED} and waits for one line on stdin (the test changes something meanwhile)</li>
 * </ul>
 * Any exception prints {@code ERROR class: message}; the exit status is 2 if
 * the node could not be created, 1 if an action failed, else 0.
 */
public final class NodeMain {

    private static final long TIMEOUT_MS = 15_000;

    private NodeMain() {
    }

    public static void main(String[] args) throws Exception {
        OtpNode node;
        try {
            node = new OtpNode(args[0], args[1]);
        } catch (IOException | RuntimeException e) {
            Out.error(e);
            System.exit(2);
            return;
        }
        Out.line("NODE " + node.node() + " PORT " + node.port());
        boolean failed = false;
        for (String action : Arrays.asList(args).subList(2, args.length)) {
            try {
                failed |= !run(node, action.split(":"));
            } catch (Exception e) {
                Out.error(e);
                failed = true;
            }
        }
        node.close();
        System.exit(failed ? 1 : 0);
    }

    private static final java.util.Map<String, OtpNode> OTHERS = new java.util.HashMap<>();

    private static OtpNode other(OtpNode node, String name, String port) throws IOException {
        OtpNode other = OTHERS.get(name);
        if (other == null) {
            other = port == null ? new OtpNode(name, node.cookie())
                    : new OtpNode(name, node.cookie(), Integer.parseInt(port));
            OTHERS.put(name, other);
            Out.line("NODE " + other.node() + " PORT " + other.port());
        }
        return other;
    }

    private static boolean run(OtpNode node, String[] a) throws Exception {
        switch (a[0]) {
            case "start":
                other(node, a[1], a.length > 2 ? a[2] : null);
                return true;
            case "ping-from": {
                boolean ok = other(node, a[1], null).ping(a[2], TIMEOUT_MS);
                Out.line("PING " + a[2] + (ok ? " ok" : " failed") + " FROM " + a[1]);
                return ok;
            }
            case "ping": {
                boolean ok = node.ping(a[1], TIMEOUT_MS);
                Out.line("PING " + a[1] + (ok ? " ok" : " failed"));
                return ok;
            }
            case "connect":
                return Probe.connect(node.cookie(), a[1]);
            case "echo": {
                OtpMbox mbox = node.createMbox();
                mbox.send("echo", a[1], tuple(mbox.self(), new OtpErlangString("hello")));
                OtpErlangTuple reply = (OtpErlangTuple) receive(mbox);
                Out.line("ECHO " + ((OtpErlangString) reply.elementAt(1)).stringValue() + " FROM "
                        + ((OtpErlangPid) reply.elementAt(0)).node());
                return true;
            }
            case "rpc-node":
                return rpc(node, a[1], "erlang", "node", new OtpErlangList());
            case "rpc-reverse":
                return rpc(node, a[1], "lists", "reverse", new OtpErlangList(new OtpErlangObject[] {
                        new OtpErlangList(new OtpErlangObject[] {new OtpErlangAtom("a"), new OtpErlangAtom("b"),
                                new OtpErlangAtom("c")})}));
            case "serve": {
                OtpMbox mbox = node.createMbox(a[1]);
                int count = Integer.parseInt(a[2]);
                Out.line("SERVING " + a[1]);
                for (int i = 0; i < count; i++) {
                    OtpErlangTuple msg = (OtpErlangTuple) mbox.receive(60_000);
                    if (msg == null) {
                        Out.line("TIMEOUT");
                        return false;
                    }
                    OtpErlangPid from = (OtpErlangPid) msg.elementAt(0);
                    Out.line("GOT " + text(msg.elementAt(1)) + " FROM " + from.node());
                    mbox.send(from, tuple(new OtpErlangAtom("ok"), msg.elementAt(1)));
                }
                Out.line("SERVED");
                return true;
            }
            case "send": {
                OtpMbox mbox = node.createMbox();
                mbox.send(a[2], a[1], tuple(mbox.self(), new OtpErlangString(a[3])));
                OtpErlangTuple reply = (OtpErlangTuple) receive(mbox);
                Out.line("REPLY " + reply.elementAt(0) + " " + text(reply.elementAt(1)));
                return true;
            }
            case "names": {
                String[] names = OtpEpmd.lookupNames();
                Out.line("NAMES " + String.join(",", names));
                return true;
            }
            case "creation":
                Out.line("CREATION " + node.createPid().creation());
                return true;
            case "pause":
                Out.line("PAUSED");
                new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
                return true;
            case "wait":
                while (System.in.read() >= 0) {
                    // until stdin closes
                }
                return true;
            default:
                throw new IllegalArgumentException("unknown action " + a[0]);
        }
    }

    private static boolean rpc(OtpNode node, String peer, String module, String function, OtpErlangList args)
            throws Exception {
        OtpMbox mbox = node.createMbox();
        // What OtpConnection.sendRPC sends: {Self, {call, M, F, A, user}} to rex.
        mbox.send("rex", peer, tuple(mbox.self(), tuple(new OtpErlangAtom("call"), new OtpErlangAtom(module),
                new OtpErlangAtom(function), args, new OtpErlangAtom("user"))));
        OtpErlangTuple reply = (OtpErlangTuple) receive(mbox);
        Out.line("RPC " + module + ":" + function + (args.arity() == 0 ? "()" : "(" + args.elementAt(0) + ")")
                + " = " + reply.elementAt(1));
        return true;
    }

    private static OtpErlangObject receive(OtpMbox mbox) throws Exception {
        OtpErlangObject msg = mbox.receive(TIMEOUT_MS);
        if (msg == null) {
            throw new IOException("no reply within " + TIMEOUT_MS + " ms");
        }
        return msg;
    }

    /** Strings arrive as OtpErlangString from Java and as a binary or string from Erlang. */
    private static String text(OtpErlangObject o) {
        if (o instanceof OtpErlangString) {
            return ((OtpErlangString) o).stringValue();
        }
        if (o instanceof com.ericsson.otp.erlang.OtpErlangBinary) {
            return new String(((com.ericsson.otp.erlang.OtpErlangBinary) o).binaryValue(),
                    java.nio.charset.StandardCharsets.UTF_8);
        }
        return o.toString();
    }

    private static OtpErlangTuple tuple(OtpErlangObject... elements) {
        return new OtpErlangTuple(elements);
    }
}
