package io.srvepmd.agent;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code io.srvepmd.Connect}: one TCP connect attempt to a resolved endpoint. */
@Name("io.srvepmd.Connect")
@Label("Node Connect Attempt")
@Category("srv-epmd")
@Description("One TCP connect attempt of the srv-epmd agent to a resolved endpoint of a node")
@StackTrace(false)
final class ConnectEvent extends jdk.jfr.Event {

    @Label("Node")
    String node;

    @Label("Endpoint")
    String endpoint;

    @Label("Attempt")
    @Description("1 for the first endpoint tried for this connection, 2 for the next, ...")
    int attempt;

    @Label("Outcome")
    @Description("ok, or why the attempt failed")
    String outcome;
}
