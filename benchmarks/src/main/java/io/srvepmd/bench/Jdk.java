package io.srvepmd.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A JDK the first contact runs on: a label for the table, its home and its version. */
final class Jdk {

    final String label;
    final String java;
    final String version;

    private Jdk(String label, String home) throws IOException {
        this.label = label;
        this.java = home + File.separator + "bin" + File.separator + "java";
        this.version = version(Path.of(home, "release"));
    }

    /**
     * @param spec {@code LABEL=JAVA_HOME ...}, space-separated (property bench.jdks); empty: this
     *        JVM's own JDK, labelled by its feature version
     */
    static List<Jdk> parse(String spec) throws IOException {
        List<Jdk> jdks = new ArrayList<>();
        for (String entry : spec.trim().split("\\s+")) {
            if (!entry.isEmpty()) {
                int eq = entry.indexOf('=');
                jdks.add(new Jdk(entry.substring(0, eq), entry.substring(eq + 1)));
            }
        }
        if (jdks.isEmpty()) {
            jdks.add(new Jdk(Integer.toString(Runtime.version().feature()), System.getProperty("java.home")));
        }
        return jdks;
    }

    /** @return JAVA_VERSION and IMPLEMENTOR of the JDK's release file, e.g. {@code 25.0.3 (Eclipse Adoptium)} */
    private static String version(Path release) throws IOException {
        String version = "?";
        String vendor = null;
        for (String line : Files.readAllLines(release, StandardCharsets.UTF_8)) {
            if (line.startsWith("JAVA_VERSION=")) {
                version = line.substring(13).replace("\"", "");
            } else if (line.startsWith("IMPLEMENTOR=")) {
                vendor = line.substring(12).replace("\"", "");
            }
        }
        return vendor == null ? version : version + " (" + vendor + ")";
    }
}
