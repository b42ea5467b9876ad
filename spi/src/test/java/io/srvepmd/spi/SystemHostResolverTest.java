package io.srvepmd.spi;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** getaddrinfo's "try again" is not "no such host": only EAI_NONAME and EAI_NODATA are. */
class SystemHostResolverTest {

    @Test
    void nameOrServiceNotKnownIsNotFound() {
        assertTrue(SystemHostResolver.isNotFound(new UnknownHostException("nosuch.test: Name or service not known")));
        assertTrue(SystemHostResolver.isNotFound(
                new UnknownHostException("a.test: No address associated with hostname")));
    }

    @Test
    void aTemporaryFailureIsNot() {
        assertFalse(SystemHostResolver.isNotFound(
                new UnknownHostException("a.test: Temporary failure in name resolution")));
        assertFalse(SystemHostResolver.isNotFound(new UnknownHostException("a.test")));
        assertFalse(SystemHostResolver.isNotFound(new UnknownHostException(null)));
    }
}
