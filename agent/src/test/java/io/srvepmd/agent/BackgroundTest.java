package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class BackgroundTest {

    @Test
    void looksEverySecondForAMinuteThenBacksOffToSixteenSeconds() {
        for (int polls = 1; polls <= Background.FIRST_POLLS; polls++) {
            assertEquals(1000, Background.pollInterval(polls));
        }
        assertEquals(2000, Background.pollInterval(Background.FIRST_POLLS + 1));
        assertEquals(4000, Background.pollInterval(Background.FIRST_POLLS + 2));
        assertEquals(16_000, Background.pollInterval(Background.FIRST_POLLS + 4));
        assertEquals(16_000, Background.pollInterval(Integer.MAX_VALUE));
        long wakesInADay = Background.FIRST_POLLS + (24L * 3600 * 1000 - 60_000) / Background.MAX_POLL_MILLIS;
        assertEquals(5456, wakesInADay, "rather than 86,400");
    }
}
