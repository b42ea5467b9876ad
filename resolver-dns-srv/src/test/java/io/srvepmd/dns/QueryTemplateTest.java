package io.srvepmd.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.NodeName;
import org.junit.jupiter.api.Test;

class QueryTemplateTest {

    @Test
    void defaultJoinsAliveAndHost() {
        QueryTemplate t = QueryTemplate.parse(QueryTemplate.DEFAULT);
        assertEquals("node-0.svc.service.consul", t.nameFor(NodeName.parse("node-0@svc.service.consul")));
        assertEquals("a.b.svc", t.nameFor(NodeName.parse("a.b@svc")));
    }

    @Test
    void placeholdersCanRepeatAndTrailingDotIsDropped() {
        QueryTemplate t = QueryTemplate.parse("{alive}-x.{alive}.{host}.");
        assertEquals("n-x.n.h", t.nameFor(NodeName.parse("n@h")));
    }

    @Test
    void invalidResultsAreRejectedNamingTheName() {
        QueryTemplate t = QueryTemplate.parse(QueryTemplate.DEFAULT);
        String longLabel = "a".repeat(64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.nameFor(NodeName.parse(longLabel + "@h")));
        assertTrue(e.getMessage().contains("'" + longLabel + ".h' is not a valid DNS name: label '" + longLabel
                + "' is 64 characters long, more than 63"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> t.nameFor(NodeName.parse("n@::1")));
        assertTrue(e.getMessage().contains("contains ':'"), e.getMessage());
        String host = ("b".repeat(62) + ".").repeat(4) + "c"; // 253 characters, 255 with "a."
        e = assertThrows(IllegalArgumentException.class, () -> t.nameFor(NodeName.parse("a@" + host)));
        assertTrue(e.getMessage().contains("more than 253"), e.getMessage());
    }

    @Test
    void nameChecks() {
        assertNull(QueryTemplate.checkDnsName("_epmd._tcp.x.y."));
        assertNull(QueryTemplate.checkDnsName("a".repeat(63) + ".b"));
        assertEquals("it is empty", QueryTemplate.checkDnsName("."));
        assertEquals("it has an empty label", QueryTemplate.checkDnsName("a..b"));
        assertEquals("it has an empty label", QueryTemplate.checkDnsName(".a"));
    }
}
