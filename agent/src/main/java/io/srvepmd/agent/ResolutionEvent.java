package io.srvepmd.agent;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** JFR event {@code io.srvepmd.Resolution}: one lookup of a node, its duration the lookup's. */
@Name("io.srvepmd.Resolution")
@Label("Node Resolution")
@Category("srv-epmd")
@Description("One lookup of an Erlang node by the srv-epmd agent")
@StackTrace(false)
final class ResolutionEvent extends jdk.jfr.Event {

    @Label("Node")
    String node;

    @Label("Resolver")
    @Description("The resolver whose answer was used, if any")
    String resolver;

    @Label("Source")
    @Description("local (a node of this JVM), cache, resolver (asked now), or stale (last good answer during an outage)")
    String source;

    @Label("Candidates")
    String candidates;

    @Label("Outcome")
    @Description("ok, or the error the program got")
    String outcome;
}
