import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpMbox;
import com.ericsson.otp.erlang.OtpNode;

/**
 * An ordinary JInterface program: nothing in it knows about srv-epmd. Run with
 * the agent it joins an epmd-less cluster whose nodes are found through DNS SRV.
 *
 * Usage: DemoApp SELF_NODE ERLANG_NODE COOKIE
 */
public final class DemoApp {

    public static void main(String[] args) throws Exception {
        String peer = args[1];
        OtpNode node = new OtpNode(args[0], args[2]);
        System.out.println("java node " + node.node() + " listens on port " + node.port());

        System.out.println("ping " + peer + ": " + (node.ping(peer, 5000) ? "pong" : "pang"));

        OtpMbox mbox = node.createMbox();
        mbox.send("echo", peer, new OtpErlangTuple(new OtpErlangObject[] {
                mbox.self(), new OtpErlangString("hello from Java")}));
        System.out.println("echo replied: " + mbox.receive(5000));

        OtpErlangObject[] call = {mbox.self(), new OtpErlangTuple(new OtpErlangObject[] {
                new OtpErlangAtom("call"), new OtpErlangAtom("lists"), new OtpErlangAtom("reverse"),
                new OtpErlangList(new OtpErlangObject[] {new OtpErlangString("olleh")}),
                new OtpErlangAtom("user")})};
        mbox.send("rex", peer, new OtpErlangTuple(call));
        System.out.println("rpc lists:reverse(\"olleh\") = " + mbox.receive(5000));

        OtpMbox inbox = node.createMbox("inbox");
        System.out.println("READY waiting for a message from Erlang in mailbox 'inbox'");
        OtpErlangTuple msg = (OtpErlangTuple) inbox.receive(15000);
        if (msg == null) {
            System.out.println("no message from Erlang");
            System.exit(1);
        }
        System.out.println("Erlang sent: " + msg);
        inbox.send((OtpErlangPid) msg.elementAt(0), new OtpErlangBinary("thanks from Java".getBytes()));
        Thread.sleep(200); // let the reply leave before the node closes
        node.close();
    }
}
