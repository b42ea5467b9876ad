package io.srvepmd.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedirectBodiesTest {

    private static final String OWNER = "io/srvepmd/build/RedirectSamples";
    private static final String GREET = "greet(Ljava/lang/String;J)Ljava/lang/String;";

    private static byte[] samples() throws Exception {
        try (InputStream in = RedirectBodiesTest.class.getResourceAsStream("RedirectSamples.class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void theMethodNowReturnsWhatTheTargetReturnsForTheSameArguments() throws Exception {
        byte[] redirected = RedirectBodies.redirect(samples(), GREET, OWNER + "$Target", "greet");
        Class<?> c = new LambdaClassesTest.Isolated(Map.of(OWNER, redirected)).loadClass("io.srvepmd.build.RedirectSamples");
        assertEquals("redirected x 7", c.getMethod("greet", String.class, long.class).invoke(null, "x", 7L));
        // the rest of the class is as it was
        assertEquals("original x 7", RedirectSamples.greet("x", 7L));
    }

    @Test
    void refusesWhatItCannotRedirect() throws Exception {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RedirectBodies.redirect(samples(),
                "instanceMethod()Ljava/lang/String;", OWNER + "$Target", "greet"));
        assertTrue(e.getMessage().contains("is not static"), e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> RedirectBodies.redirect(samples(), "missing()V", OWNER + "$Target", "greet"));
        assertTrue(e.getMessage().contains("no method"), e.getMessage());
    }
}
