package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auto.service.AutoService;
import io.srvepmd.spi.EpmdResolverProvider;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The resolver providers of this repository that this module's test class path lacks (the
 * {@code static} resolver, the example plug-ins under {@code examples/}), compiled from their
 * sources, behind a class loader whose services file lists them: {@link Providers#discover} on it
 * then knows every key any of the repository's resolvers reads, from their own code.
 */
final class RepositoryProviders {

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
    private static final String SERVICES = "META-INF/services/" + EpmdResolverProvider.class.getName();

    private RepositoryProviders() {
    }

    /** @param work an empty directory for the compiled classes */
    static ClassLoader loader(Path root, Path work) throws IOException {
        List<String> providers = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        for (Path sourceRoot : sourceRoots(root)) {
            List<String> here = providersMissingHere(sourceRoot);
            if (!here.isEmpty()) {
                providers.addAll(here);
                sources.addAll(javaFiles(sourceRoot));
            }
        }
        assertTrue(!providers.isEmpty(), "no resolver provider sources found outside this module under " + root);
        compile(sources, work);
        Path services = work.resolve(SERVICES);
        Files.createDirectories(services.getParent());
        Files.write(services, providers, StandardCharsets.UTF_8);
        return new URLClassLoader(new URL[] {work.toUri().toURL()}, RepositoryProviders.class.getClassLoader());
    }

    /** Every module's and every example's {@code src/main/java}. */
    private static List<Path> sourceRoots(Path root) throws IOException {
        List<Path> roots = new ArrayList<>();
        for (Path parent : List.of(root, root.resolve("examples"))) {
            try (Stream<Path> dirs = Files.list(parent)) {
                dirs.map(d -> d.resolve("src/main/java")).filter(Files::isDirectory).sorted().forEach(roots::add);
            }
        }
        return roots;
    }

    /** The provider classes in a source root that this class loader cannot load. */
    private static List<String> providersMissingHere(Path sourceRoot) throws IOException {
        List<String> missing = new ArrayList<>();
        for (Path f : javaFiles(sourceRoot)) {
            String text = Files.readString(f);
            Matcher pkg = PACKAGE.matcher(text);
            if (text.contains("extends EpmdResolverProvider") && pkg.find()) {
                String name = pkg.group(1) + "." + f.getFileName().toString().replace(".java", "");
                try {
                    Class.forName(name, false, RepositoryProviders.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    missing.add(name);
                }
            }
        }
        return missing;
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
    }

    /** Against the SPI and the auto-service annotations, as the plug-ins' own builds compile them. */
    private static void compile(List<Path> sources, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter messages = new StringWriter();
        List<String> options = List.of("-proc:none", "-nowarn", "-d", out.toString(),
                "-cp", location(EpmdResolverProvider.class) + File.pathSeparator + location(AutoService.class));
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            List<File> sourceFiles = sources.stream().map(Path::toFile).collect(Collectors.toList());
            boolean ok = javac.getTask(messages, files, null, options, null,
                    files.getJavaFileObjectsFromFiles(sourceFiles)).call();
            assertTrue(ok, "compiling the repository's resolver providers failed: " + messages);
        }
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
