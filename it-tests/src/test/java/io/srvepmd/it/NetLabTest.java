package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.Command;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.NetLab;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The multi-host harness itself: hosts have only their 198.18.0.0/15 link
 * route (no default route: nothing they send can leave the bridge), the
 * bridge has no address (the machine itself is not on the lab's network),
 * closing a lab leaves no namespace, link or /etc/netns folder, and a new lab
 * removes the leftovers of a crashed run of these tests (a JVM that is gone)
 * and nothing else.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NetLabTest extends ItBase {

    @BeforeEach
    void namespaces() {
        NetLab.assumeAvailable();
    }

    @Test
    void hostsAreConfinedToTheBridgeAndCloseLeavesNothing() {
        NetLab lab = NetLab.create();
        try {
            NetLab.Host a = lab.host("a", "198.18.3.1");
            lab.host("b", "198.18.3.2");
            a.resolvConf("nameserver 198.18.0.2\n");
            assertEquals("198.18.0.0/15 dev eth0 proto kernel scope link src 198.18.3.1",
                    ip(a.exec(List.of("ip", "-4", "route", "show"))).trim(), "only the link route, no default route");
            assertEquals("", ip(List.of("ip", "-4", "-o", "addr", "show", "dev", lab.prefix() + "br")).trim(),
                    "the bridge has no address");
            assertEquals("nameserver 198.18.0.2\n", ip(a.exec(List.of("cat", "/etc/resolv.conf"))),
                    "programs on the host see its own resolv.conf");
            assertFalse(lab.leftovers().isEmpty());
        } finally {
            lab.close();
        }
        assertEquals(List.of(), lab.leftovers());
    }

    @Test
    void aNewLabRemovesTheLeftoversOfACrashedRunOnly() {
        Command gone = Command.start("true", List.of("true"), Map.of());
        assertEquals(0, gone.waitFor(Duration.ofSeconds(10)));
        String crashed = "se" + gone.pid() + "a-left";
        String unrelated = "se-not-ours-" + ProcessHandle.current().pid();
        ip(List.of("ip", "netns", "add", crashed));
        ip(List.of("ip", "netns", "add", unrelated));
        try {
            NetLab.create().close();
            String namespaces = ip(List.of("ip", "netns", "list"));
            assertFalse(namespaces.contains(crashed), "the crashed run's namespace is gone: " + namespaces);
            assertTrue(namespaces.contains(unrelated), "someone else's namespace stays: " + namespaces);
        } finally {
            ip(List.of("ip", "netns", "del", unrelated));
            if (ip(List.of("ip", "netns", "list")).contains(crashed)) {
                ip(List.of("ip", "netns", "del", crashed));
            }
        }
    }

    private String ip(List<String> command) {
        Command c = track(Command.start("ip", command, Map.of()));
        assertEquals(0, c.waitFor(Duration.ofSeconds(20)), c.describe());
        return c.stdout();
    }
}
