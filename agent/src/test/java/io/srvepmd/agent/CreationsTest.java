package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CreationsTest {

    @Test
    void aNodeCreatedAgainGetsAnotherCreation() {
        Creations creations = new Creations(new Random(1));
        for (int i = 0; i < 1000; i++) {
            int first = creations.next("java@svc", false);
            assertNotEquals(first, creations.next("java@svc", false));
        }
        int big = creations.next("java@svc", true);
        assertTrue(big >= 4, "32-bit creations start at 4: " + big);
        assertNotEquals(big, creations.next("java@svc", true));
    }

    @Test
    void randomHelperNamesAreNotRememberedForever() {
        Creations creations = new Creations(new Random(2));
        for (int i = 0; i < 100_000; i++) {
            creations.next("rpc-" + i + "@svc", true);
        }
        assertEquals(Creations.REMEMBERED, creations.remembered());
    }
}
