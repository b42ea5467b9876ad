package io.srvepmd.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueTypesTest {

    private static final InetAddress V4 = address("10.0.0.7");
    private static final InetAddress V6 = address("fd00::7");

    @Test
    void candidateKeepsAddressOrderAndPrintsLiterals() {
        Candidate c = Candidate.of(List.of(V6, V4), 4370, 10, 5);
        assertEquals(List.of(V6, V4), c.addresses());
        assertEquals(4370, c.port());
        assertEquals(10, c.priority());
        assertEquals(5, c.weight());
        assertEquals("[fd00:0:0:0:0:0:0:7,10.0.0.7]:4370 prio 10 weight 5", c.toString());
        assertEquals("[fd00:0:0:0:0:0:0:7]:4370", Candidate.of(V6, 4370).toString());
        assertEquals("10.0.0.7:4370", Candidate.of(V4, 4370).toString());
    }

    @Test
    void candidateIsImmutable() {
        List<InetAddress> addresses = new ArrayList<>(List.of(V4));
        Candidate c = Candidate.of(addresses, 1, 0, 0);
        addresses.add(V6);
        assertEquals(List.of(V4), c.addresses());
        assertThrows(UnsupportedOperationException.class, () -> c.addresses().add(V6));
    }

    @Test
    void candidateRejectsOutOfRangeNumbers() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Candidate.of(V4, 0)).getMessage()
                .contains("port 0"));
        assertThrows(IllegalArgumentException.class, () -> Candidate.of(V4, 65536));
        assertThrows(IllegalArgumentException.class, () -> Candidate.of(List.of(V4), 1, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> Candidate.of(List.of(V4), 1, 0, 65536));
        assertThrows(IllegalArgumentException.class, () -> Candidate.of(List.of(), 1, 0, 0));
    }

    @Test
    void resolutionNeedsACandidateAndANonNegativeTtl() {
        Resolution r = Resolution.of(List.of(Candidate.of(V4, 1)), Duration.ofSeconds(30), "test");
        assertEquals("test", r.source());
        assertEquals(Duration.ofSeconds(30), r.ttl());
        assertThrows(IllegalArgumentException.class, () -> Resolution.of(List.of(), Duration.ZERO, "x"));
        assertThrows(IllegalArgumentException.class,
                () -> Resolution.of(List.of(Candidate.of(V4, 1)), Duration.ofSeconds(-1), "x"));
    }

    @Test
    void resolutionsAreValuesLikeTheirSiblings() {
        Resolution a = Resolution.of(List.of(Candidate.of(V4, 1)), Duration.ofSeconds(5), "x");
        Resolution same = Resolution.of(new ArrayList<>(List.of(Candidate.of(V4, 1))), Duration.ofSeconds(5), "x");
        assertEquals(a, same);
        assertEquals(a.hashCode(), same.hashCode());
        assertTrue(!a.equals(Resolution.of(List.of(Candidate.of(V4, 2)), Duration.ofSeconds(5), "x")));
        assertTrue(!a.equals(Resolution.of(List.of(Candidate.of(V4, 1)), Duration.ofSeconds(6), "x")));
        assertTrue(!a.equals(Resolution.of(List.of(Candidate.of(V4, 1)), Duration.ofSeconds(5), "y")));
        assertEquals(NodeEntry.of(NodeName.parse("a@h"), 1), NodeEntry.of(NodeName.parse("a@h"), 1));
    }

    @Test
    void nodeEntryChecksItsPort() {
        NodeEntry e = NodeEntry.of(NodeName.parse("a@h"), 4370);
        assertEquals("a@h:4370", e.toString());
        assertThrows(IllegalArgumentException.class, () -> NodeEntry.of(NodeName.parse("a@h"), 0));
    }

    @Test
    void unavailableIsAnIoException() {
        assertTrue(new UnavailableException("down") instanceof java.io.IOException);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
