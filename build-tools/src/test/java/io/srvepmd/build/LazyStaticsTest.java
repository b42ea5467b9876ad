package io.srvepmd.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LazyStaticsTest {

    private static final String OWNER = "io/srvepmd/build/LazySamples";

    private static byte[] samples() throws Exception {
        try (InputStream in = LazyStaticsTest.class.getResourceAsStream("LazySamples.class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void fieldIsInitialisedOnFirstReadWithTheStatementsThatConfigureIt() throws Exception {
        Map<String, byte[]> out = LazyStatics.transform(samples(), "EXPENSIVE");
        assertEquals(2, out.size());
        assertTrue(out.containsKey(OWNER + "$Lazy_EXPENSIVE"));
        Map<String, byte[]> classes = new HashMap<>(out);
        try (InputStream in = LazyStaticsTest.class.getResourceAsStream("LazySamples$Witness.class")) {
            classes.put(OWNER + "$Witness", in.readAllBytes());
        }
        Class<?> c = new LambdaClassesTest.Isolated(classes).loadClass("io.srvepmd.build.LazySamples");
        // the class's own initialiser ran (EAGER), the moved one has not yet
        @SuppressWarnings("unchecked")
        List<String> events = (List<String>) c.getMethod("events").invoke(null);
        assertEquals(List.of("eager"), events);
        assertEquals("expensive+configured", c.getMethod("read").invoke(null));
        assertEquals(List.of("eager", "read", "expensive"), events); // made on its first read
        assertThrows(NoSuchFieldException.class, () -> c.getDeclaredField("EXPENSIVE"));
    }

    @Test
    void refusesAFieldItCannotMove() throws Exception {
        // CALLS_OWN's initialiser calls a method of its own class: moving it could change what it sees.
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> LazyStatics.transform(samples(), "CALLS_OWN"));
        assertTrue(e.getMessage().contains("calls a method of its class"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> LazyStatics.transform(samples(), "NO_SUCH_FIELD"));
    }
}
