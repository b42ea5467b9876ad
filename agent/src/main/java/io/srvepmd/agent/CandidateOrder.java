package io.srvepmd.agent;

import io.srvepmd.spi.Candidate;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Orders candidates as RFC 2782 asks: lowest priority first, and within one
 * priority a weighted random choice, repeated without replacement. The result
 * is the list of socket addresses to try, in order (each candidate's addresses
 * in the order its resolver gave them).
 */
final class CandidateOrder {

    // Comparator classes (start-up discipline, it-tests' StartupDisciplineTest).
    private static final Comparator<Candidate> BY_PRIORITY = new Comparator<>() {
        @Override
        public int compare(Candidate a, Candidate b) {
            return Integer.compare(a.priority(), b.priority());
        }
    };

    private static final Comparator<Candidate> ZERO_WEIGHT_FIRST = new Comparator<>() {
        @Override
        public int compare(Candidate a, Candidate b) {
            return Boolean.compare(a.weight() != 0, b.weight() != 0);
        }
    };

    private CandidateOrder() {
    }

    public static List<InetSocketAddress> endpoints(List<Candidate> candidates, Random random) {
        List<InetSocketAddress> endpoints = new ArrayList<>();
        for (Candidate c : order(candidates, random)) {
            for (var address : c.addresses()) {
                endpoints.add(new InetSocketAddress(address, c.port()));
            }
        }
        return endpoints;
    }

    static List<Candidate> order(List<Candidate> candidates, Random random) {
        if (candidates.size() == 1) {
            return candidates;
        }
        List<Candidate> sorted = new ArrayList<>(candidates);
        sorted.sort(BY_PRIORITY); // stable: equal ones keep their order
        List<Candidate> ordered = new ArrayList<>(sorted.size());
        int start = 0;
        while (start < sorted.size()) {
            int end = start;
            while (end < sorted.size() && sorted.get(end).priority() == sorted.get(start).priority()) {
                end++;
            }
            pickWeighted(new ArrayList<>(sorted.subList(start, end)), random, ordered);
            start = end;
        }
        return ordered;
    }

    /**
     * RFC 2782: zero-weight records first (so they get a small chance), then
     * repeatedly pick a running-sum position uniformly in [0, total].
     */
    private static void pickWeighted(List<Candidate> group, Random random, List<Candidate> out) {
        group.sort(ZERO_WEIGHT_FIRST);
        while (!group.isEmpty()) {
            int total = 0;
            for (Candidate c : group) {
                total += c.weight();
            }
            int pick = total == 0 ? 0 : random.nextInt(total + 1);
            int sum = 0;
            for (int i = 0; i < group.size(); i++) {
                sum += group.get(i).weight();
                if (sum >= pick) {
                    out.add(group.remove(i));
                    break;
                }
            }
        }
    }
}
