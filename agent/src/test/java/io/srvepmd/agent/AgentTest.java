package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AgentTest {

    @Test
    void aRefusalStaysOneLineWhateverTheValueHolds() {
        assertEquals("configuration error: dns.servers='a\\u000ab\\u000d\\u2028c' is not valid",
                Agent.oneLine("configuration error: dns.servers='a\nb\r\u2028c' is not valid"));
        assertEquals("plain stays plain", Agent.oneLine("plain stays plain"));
    }
}
