package io.srvepmd.it.app;

import com.ericsson.otp.erlang.OtpConnection;
import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpPeer;
import com.ericsson.otp.erlang.OtpSelf;

/**
 * An ordinary JInterface program built on {@link OtpSelf} / {@link OtpConnection},
 * whose connect surfaces lookup failures as exceptions. Usage:
 * {@code ConnectMain NAME COOKIE PEER}. Prints {@code SELF name PORT port},
 * then {@code CONNECTED peer}, {@code RPC erlang:node() = term} and
 * {@code RPC lists:reverse([a,b,c]) = term}; or {@code ERROR class: message}
 * and exit status 1.
 */
public final class ConnectMain {

    private ConnectMain() {
    }

    public static void main(String[] args) {
        try {
            OtpSelf self = new OtpSelf(args[0], args[1]);
            Out.line("SELF " + self.node() + " PORT " + self.port());
            OtpConnection connection = self.connect(new OtpPeer(args[2]));
            Out.line("CONNECTED " + connection.peer().node());
            connection.sendRPC("erlang", "node", new OtpErlangList());
            Out.line("RPC erlang:node() = " + connection.receiveRPC());
            OtpErlangList abc = new OtpErlangList(new OtpErlangObject[] {new OtpErlangAtom("a"),
                    new OtpErlangAtom("b"), new OtpErlangAtom("c")});
            connection.sendRPC("lists", "reverse", new OtpErlangList(abc));
            Out.line("RPC lists:reverse([a,b,c]) = " + connection.receiveRPC());
            connection.close();
            System.exit(0);
        } catch (Exception e) {
            Out.error(e);
            System.exit(1);
        }
    }
}
