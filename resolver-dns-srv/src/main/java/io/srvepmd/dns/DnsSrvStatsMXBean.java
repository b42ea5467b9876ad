package io.srvepmd.dns;

import java.util.Map;

/**
 * The {@code dns-srv} resolver's own figures, which join the agent's in the
 * JMX MBean {@code io.srvepmd:type=Resolver,name=dns-srv}. Every figure is a
 * monotonic count since the JVM started; public only because JMX reads MBean
 * interfaces that are.
 */
public interface DnsSrvStatsMXBean {

    /** @return DNS questions asked (SRV, A and AAAA), each counted once however many servers it went to */
    long getQuestions();

    /** @return answers NOERROR */
    long getNoErrorAnswers();

    /** @return answers NXDOMAIN */
    long getNxDomainAnswers();

    /** @return answers with another code (SERVFAIL, REFUSED, ...): the next server is asked */
    long getErrorAnswers();

    /** @return questions that got no usable answer from any server within dns.timeout */
    long getUnansweredQuestions();

    /** @return attempts that went on over TCP because the UDP answer was truncated or oversize */
    long getTcpFallbacks();

    /** @return attempts that failed: a timeout, an ICMP refusal, a TCP error */
    long getFailedAttempts();

    /** @return attempts that timed out, by server ({@code 127.0.0.1:8600}) */
    Map<String, Long> getServerTimeouts();
}
