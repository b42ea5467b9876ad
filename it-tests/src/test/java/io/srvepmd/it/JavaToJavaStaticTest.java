package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.JavaApp.JInterface;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two Java nodes, no DNS at all: the static resolver's jar dropped on the
 * class path, {@code resolvers=static} as an agent argument and the map in
 * {@code -Dsrvepmd.static.nodes}. One node messages a mailbox on the other,
 * which answers. On 1.6.1 (which cannot talk to OTP 25) and on 1.13.1.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JavaToJavaStaticTest extends ItBase {

    @ParameterizedTest
    @EnumSource(JInterface.class)
    void oneJavaNodeMessagesTheOtherThroughTheStaticMap(JInterface version) {
        int portA = FreePorts.tcp();
        int portB = FreePorts.tcp();
        String nodes = "ja@svc.test=127.0.0.1:" + portA + ";jb@svc.test=127.0.0.1:" + portB;
        JavaApp a = track(JavaApp.builder("NodeMain").label("ja").jinterface(version).staticResolver()
                .agentArgs("resolvers=static").property("srvepmd.static.nodes", nodes)
                .env("ERL_DIST_PORT", Integer.toString(portA)).args("ja@svc.test", COOKIE, "serve:inbox:1").start());
        a.awaitLine("SERVING inbox", Duration.ofSeconds(20));
        assertEquals(Integer.toString(portA), a.awaitLine("NODE ja@svc.test PORT (\\d+)", Duration.ofSeconds(1))
                .group(1));

        JavaApp b = track(JavaApp.builder("NodeMain").label("jb").jinterface(version).staticResolver()
                .agentArgs("resolvers=static").property("srvepmd.static.nodes", nodes)
                .env("ERL_DIST_PORT", Integer.toString(portB))
                .args("jb@svc.test", COOKIE, "send:ja@svc.test:inbox:hello").start());

        assertEquals(0, b.waitFor(Duration.ofSeconds(30)), b.describe());
        assertTrue(b.stdoutLines().contains("REPLY ok hello"), b.describe());
        assertEquals(0, a.waitFor(Duration.ofSeconds(10)), a.describe());
        assertTrue(a.stdoutLines().contains("GOT hello FROM jb@svc.test"), a.describe());
        assertAgentSilent(a);
        assertAgentSilent(b);
    }
}
