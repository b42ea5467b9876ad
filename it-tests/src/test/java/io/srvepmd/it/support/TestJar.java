package io.srvepmd.it.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * A jar built while the test runs: Java sources compiled with the JDK's own
 * compiler ({@link ToolProvider#getSystemJavaCompiler()}) against a class path,
 * plus resources such as a {@code META-INF/services} file. For third-party
 * code the agent meets in a host (a resolver provider, a doctored JInterface
 * class) without keeping such code in the test sources.
 */
public final class TestJar {

    private final String name;
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, String> resources = new LinkedHashMap<>();
    private final List<Path> classPath = new ArrayList<>();

    private TestJar(String name) {
        this.name = name;
    }

    /** A jar named {@code name.jar}, in a fresh work directory. */
    public static TestJar named(String name) {
        return new TestJar(name);
    }

    /** A class to compile: its binary name and source text. */
    public TestJar source(String className, String text) {
        sources.put(className, text);
        return this;
    }

    /** A resource entry (text, UTF-8). */
    public TestJar resource(String entry, String text) {
        resources.put(entry, text);
        return this;
    }

    /** What the sources compile against. */
    public TestJar classPath(Path... jars) {
        classPath.addAll(List.of(jars));
        return this;
    }

    /** Compiles (failing the test with the compiler's messages if it cannot) and writes the jar. */
    public Path build() {
        Path dir = ItEnv.newDir("jar-" + name);
        Path classes = dir.resolve("classes");
        try {
            Files.createDirectories(classes);
            compile(classes);
            Path jar = dir.resolve(name + ".jar");
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                 Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
                for (Map.Entry<String, String> r : resources.entrySet()) {
                    out.putNextEntry(new JarEntry(r.getKey()));
                    write(out, r.getValue());
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build " + name + ".jar", e);
        }
    }

    private void compile(Path classes) throws IOException {
        if (sources.isEmpty()) {
            return;
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new AssertionError("no system Java compiler: the tests need a JDK, not a JRE");
        }
        List<JavaFileObject> units = new ArrayList<>();
        for (Map.Entry<String, String> s : sources.entrySet()) {
            units.add(new Source(s.getKey(), s.getValue()));
        }
        List<String> options = new ArrayList<>(List.of("-d", classes.toString(), "--release", "11",
                "-proc:none", "-Xlint:none"));
        if (!classPath.isEmpty()) {
            options.add("-classpath");
            options.add(classPath.stream().map(Path::toString).collect(Collectors.joining(":")));
        }
        StringWriter messages = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(messages, files, null, options, null, units).call();
            if (!ok) {
                throw new AssertionError("cannot compile the sources of " + name + ".jar:\n" + messages);
            }
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A source held in memory. */
    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String className, String text) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
