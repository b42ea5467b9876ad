package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.spi.NodeName;
import org.junit.jupiter.api.Test;

class LocalNodesTest {

    private final LocalNodes local = new LocalNodes(HelperNames.of("^(rpc|rem)-"));

    @Test
    void exactLocalNode() {
        local.publish(NodeName.parse("app@svc.consul"), 4370);
        assertEquals(4370, local.portOf(NodeName.parse("app@svc.consul")));
    }

    @Test
    void unknownNodeIsZero() {
        local.publish(NodeName.parse("app@svc.consul"), 4370);
        assertEquals(0, local.portOf(NodeName.parse("other@svc.consul")));
        assertEquals(0, local.portOf(NodeName.parse("application@svc.consul")));
    }

    @Test
    void helperVariantOnTheSameHost() {
        local.publish(NodeName.parse("app@svc.consul"), 4370);
        assertEquals(4370, local.portOf(NodeName.parse("rpc-app-1234@svc.consul")));
        assertEquals(4370, local.portOf(NodeName.parse("rem-app-x@svc.consul")));
    }

    @Test
    void helperVariantNeedsTheDashAfterTheAlivePart() {
        local.publish(NodeName.parse("app@svc.consul"), 4370);
        assertEquals(0, local.portOf(NodeName.parse("rpc-apple-1@svc.consul")));
        assertEquals(0, local.portOf(NodeName.parse("rpc-app@svc.consul")));
    }

    @Test
    void helperVariantOnAnotherHostDoesNotMatch() {
        local.publish(NodeName.parse("app@svc.consul"), 4370);
        assertEquals(0, local.portOf(NodeName.parse("rpc-app-1@other.consul")));
    }

    @Test
    void notAHelperPrefixDoesNotMatch() {
        local.publish(NodeName.parse("app@svc.consul"), 4370);
        assertEquals(0, local.portOf(NodeName.parse("xyz-app-1@svc.consul")));
        assertEquals(0, local.portOf(NodeName.parse("foo-rpc-app-1@svc.consul")));
    }

    @Test
    void unpublishForgets() {
        local.publish(NodeName.parse("app@svc.consul"), 4370);
        local.unpublish(NodeName.parse("app@svc.consul"));
        assertEquals(0, local.portOf(NodeName.parse("app@svc.consul")));
        assertEquals(0, local.portOf(NodeName.parse("rpc-app-1@svc.consul")));
    }

    @Test
    void customHelperPattern() {
        LocalNodes custom = new LocalNodes(HelperNames.of("^helper_"));
        custom.publish(NodeName.parse("app@h"), 5000);
        assertEquals(5000, custom.portOf(NodeName.parse("helper_app-7@h")));
        assertEquals(0, custom.portOf(NodeName.parse("rpc-app-7@h")));
        assertTrue(custom.isHelper("helper_app-7"));
        assertFalse(custom.isHelper("rpc-app-7"));
    }

    @Test
    void isHelperWithDefaultPattern() {
        assertTrue(local.isHelper("rpc-anything"));
        assertTrue(local.isHelper("rem-x"));
        assertFalse(local.isHelper("app"));
        assertFalse(local.isHelper("rpcx-app"));
        assertFalse(local.isHelper("my-rpc-app"));
    }
}
