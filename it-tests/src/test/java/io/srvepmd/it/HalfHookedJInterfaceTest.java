package io.srvepmd.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.srvepmd.it.support.FreePorts;
import io.srvepmd.it.support.ItBase;
import io.srvepmd.it.support.ItEnv;
import io.srvepmd.it.support.JavaApp;
import io.srvepmd.it.support.TestJar;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A JInterface build in which only some of the hooked methods exist would be
 * half-hooked (its publish going through the agent, its listings to a real
 * epmd) without a word. The agent refuses it: with JInterface on the system
 * class path, the JVM stops at start-up with exit status 78 and one line
 * naming the class and the methods it lacks.
 *
 * <p>The doctored build: Debian's JInterface 1.13.1 behind a jar holding a
 * stub {@code com.ericsson.otp.erlang.OtpEpmd}, compiled here, that has
 * {@code publishPort}, {@code unPublishPort} and {@code lookupPort} with their
 * real signatures but none of the {@code lookupNames} overloads.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HalfHookedJInterfaceTest extends ItBase {

    private static final String STUB = "package com.ericsson.otp.erlang;\n"
            + "import java.io.IOException;\n"
            + "/** OtpEpmd without any lookupNames overload. */\n"
            + "public class OtpEpmd {\n"
            + "    public static boolean publishPort(final OtpLocalNode node) throws IOException {\n"
            + "        throw new IOException(\"stub publishPort: would talk to epmd\");\n"
            + "    }\n"
            + "    public static void unPublishPort(final OtpLocalNode node) {\n"
            + "    }\n"
            + "    public static int lookupPort(final AbstractNode node) throws IOException {\n"
            + "        throw new IOException(\"stub lookupPort: would talk to epmd\");\n"
            + "    }\n"
            + "}\n";

    @Test
    void jinterfaceLackingHookedMethodsIsRefusedAtStartUp() {
        Path jinterface = ItEnv.jinterface1131();
        Path doctored = TestJar.named("doctored-jinterface").classPath(jinterface)
                .source("com.ericsson.otp.erlang.OtpEpmd", STUB).build();

        JavaApp app = track(JavaApp.builder("NodeMain").jinterface(JavaApp.JInterface.V1_13_1)
                .classPathFirst(doctored.toString())
                .env("ERL_DIST_PORT", Integer.toString(FreePorts.tcp()))
                .args("java@svc.test", COOKIE, "names")
                .start());

        assertEquals(78, app.waitFor(Duration.ofSeconds(30)), app.describe());
        assertEquals("", app.stdout(), "the program must not run: " + app.describe());
        List<String> lines = app.stderr().lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
        assertEquals(1, lines.size(), "one line on stderr: " + app.describe());
        String line = lines.get(0);
        assertTrue(line.startsWith("srv-epmd: configuration error: unsupported JInterface build ("
                + "com.ericsson.otp.erlang.OtpEpmd lacks "), line);
        for (String method : List.of("lookupNames()", "lookupNames(InetAddress)",
                "lookupNames(InetAddress, OtpTransportFactory)", "lookupNames(OtpTransportFactory)")) {
            assertTrue(line.contains(method), "names the missing " + method + ": " + line);
        }
        assertTrue(!line.contains("lookupPort") && !line.contains("publishPort"),
                "names only what is missing: " + line);
        assertTrue(line.endsWith("; the agent refuses to run half-hooked, with some calls going to epmd; the agent"
                + " works with JInterface 1.6.1, 1.13.x, 1.14.x and 1.16: use the OtpErlang.jar of your nodes' OTP"
                + " release (lib/jinterface-VERSION/priv in its installation; Debian: erlang-jinterface), or report"
                + " this build"), "names the builds the agent works with, and what to do: " + line);
    }
}
