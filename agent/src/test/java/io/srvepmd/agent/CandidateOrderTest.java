package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.Candidate;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CandidateOrderTest {

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static Candidate c(int port, int priority, int weight) {
        return Candidate.of(List.of(ip("10.0.0." + (port % 250))), port, priority, weight);
    }

    @Test
    void singleCandidateIsReturnedAsIs() {
        List<Candidate> one = List.of(c(1, 3, 3));
        assertSame(one, CandidateOrder.order(one, new Random(1)));
    }

    @Test
    void prioritiesAreStrictlyAscendingAndNothingIsLost() {
        List<Candidate> input = List.of(c(1, 10, 5), c(2, 0, 1), c(3, 5, 0), c(4, 0, 7), c(5, 10, 0),
                c(6, 65535, 3), c(7, 5, 9));
        Random random = new Random(7);
        for (int draw = 0; draw < 500; draw++) {
            List<Candidate> ordered = CandidateOrder.order(input, random);
            assertEquals(new HashSet<>(input), new HashSet<>(ordered));
            assertEquals(input.size(), ordered.size());
            for (int i = 1; i < ordered.size(); i++) {
                assertTrue(ordered.get(i - 1).priority() <= ordered.get(i).priority(), ordered.toString());
            }
            // the priority groups appear in ascending order: 0,0,5,5,10,10,65535
            assertEquals(0, ordered.get(0).priority());
            assertEquals(0, ordered.get(1).priority());
            assertEquals(65535, ordered.get(6).priority());
        }
    }

    @Test
    void lowerPriorityFirstEvenWithAHugeWeightBehind() {
        Candidate light = c(1, 1, 0);
        Candidate heavy = c(2, 2, 65535);
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            assertEquals(List.of(light, heavy), CandidateOrder.order(List.of(heavy, light), random));
        }
    }

    @Test
    void weightedRandomWithinAPriority() {
        Candidate heavy = c(1, 0, 90);
        Candidate light = c(2, 0, 10);
        Random random = new Random(42);
        int draws = 20000;
        int heavyFirst = 0;
        for (int i = 0; i < draws; i++) {
            // alternate the input order so that the given order cannot explain the result
            List<Candidate> input = i % 2 == 0 ? List.of(heavy, light) : List.of(light, heavy);
            List<Candidate> ordered = CandidateOrder.order(input, random);
            assertEquals(2, ordered.size());
            if (ordered.get(0).equals(heavy)) {
                heavyFirst++;
            }
        }
        double share = heavyFirst / (double) draws;
        assertTrue(share > 0.85 && share < 0.95, "weight 90 of 100 first in " + share + " of draws");
    }

    @Test
    void equalWeightsAreRoughlyEven() {
        Candidate a = c(1, 0, 50);
        Candidate b = c(2, 0, 50);
        Random random = new Random(11);
        int aFirst = 0;
        for (int i = 0; i < 10000; i++) {
            if (CandidateOrder.order(List.of(a, b), random).get(0).equals(a)) {
                aFirst++;
            }
        }
        assertTrue(aFirst > 4000 && aFirst < 6000, "a first " + aFirst + " of 10000");
    }

    @Test
    void allZeroWeightsKeepTheGivenOrder() {
        List<Candidate> input = List.of(c(1, 0, 0), c(2, 0, 0), c(3, 0, 0), c(4, 0, 0));
        Random random = new Random(5);
        for (int i = 0; i < 100; i++) {
            assertEquals(input, CandidateOrder.order(input, random));
        }
    }

    @Test
    void zeroWeightHasASmallChanceAgainstAWeightedOne() {
        Candidate zero = c(1, 0, 0);
        Candidate ten = c(2, 0, 10);
        Random random = new Random(9);
        int zeroFirst = 0;
        int draws = 10000;
        for (int i = 0; i < draws; i++) {
            List<Candidate> input = i % 2 == 0 ? List.of(ten, zero) : List.of(zero, ten);
            if (CandidateOrder.order(input, random).get(0).equals(zero)) {
                zeroFirst++;
            }
        }
        // RFC 2782 selection: zero-weight first in the running sum, chosen when the draw is 0: 1 in 11
        assertTrue(zeroFirst > 0, "a zero-weight record must sometimes come first");
        assertTrue(zeroFirst < draws * 0.2, "zero weight first in " + zeroFirst + " of " + draws);
    }

    @Test
    void endpointsKeepEveryAddressOfACandidateInOrder() {
        Candidate dual = Candidate.of(List.of(ip("::1"), ip("127.0.0.1"), ip("127.0.0.2")), 4370, 0, 0);
        Candidate backup = Candidate.of(List.of(ip("10.0.0.9")), 4371, 1, 0);
        List<InetSocketAddress> endpoints = CandidateOrder.endpoints(List.of(backup, dual), new Random(1));
        assertEquals(List.of(
                new InetSocketAddress(ip("::1"), 4370),
                new InetSocketAddress(ip("127.0.0.1"), 4370),
                new InetSocketAddress(ip("127.0.0.2"), 4370),
                new InetSocketAddress(ip("10.0.0.9"), 4371)), endpoints);
    }

    @Test
    void endpointsOfOneCandidate() {
        List<InetSocketAddress> endpoints = CandidateOrder.endpoints(
                List.of(Candidate.of(ip("10.1.2.3"), 9)), new Random(1));
        assertEquals(List.of(new InetSocketAddress(ip("10.1.2.3"), 9)), endpoints);
    }

    @Test
    void inputListIsNotModified() {
        List<Candidate> input = new ArrayList<>(List.of(c(1, 2, 1), c(2, 1, 1), c(3, 0, 1)));
        List<Candidate> copy = List.copyOf(input);
        CandidateOrder.order(input, new Random(2));
        assertEquals(copy, input);
    }
}
