package io.srvepmd.agent;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Resolver providers that {@link java.util.ServiceLoader} cannot see: classes
 * of a class-path jar or directory that extend
 * {@code io.srvepmd.spi.EpmdResolverProvider} but are not listed in its
 * {@code META-INF/services/io.srvepmd.spi.EpmdResolverProvider}. The usual
 * cause is a plug-in built on JDK 23 or later with {@code @AutoService} on
 * the class path only: javac no longer runs processors found there, and the
 * build succeeds without the services file.
 *
 * <p>Only for explaining a configuration error that names an unknown key or
 * resolver, never at a normal start-up: it reads the header of every class
 * file on the class path (its super class, from the constant pool), loading
 * none of them.
 */
final class UnregisteredProviders {

    static final String SERVICES = "META-INF/services/io.srvepmd.spi.EpmdResolverProvider";
    private static final String PROVIDER = "io/srvepmd/spi/EpmdResolverProvider";
    private static final int ACC_INTERFACE = 0x0200;
    private static final int ACC_ABSTRACT = 0x0400;

    private UnregisteredProviders() {
    }

    /**
     * @param classPath entries separated by {@link File#pathSeparator}, as {@code java.class.path}
     * @return a sentence naming each jar or directory that holds unregistered
     *         providers, and the fix; empty if there is none
     */
    static String explain(String classPath) {
        List<String> found = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path path = Paths.get(entry).toAbsolutePath();
            Unregistered u = find(path);
            if (!u.classes.isEmpty()) {
                found.add(path + " holds resolver provider " + String.join(", ", u.classes)
                        + (u.hasServicesFile ? " not listed in its " + SERVICES : " but no " + SERVICES + " entry"));
            }
        }
        if (found.isEmpty()) {
            return "";
        }
        return String.join("; ", found) + "; the agent loads only the providers listed there: list the class in"
                + " that file or, with @AutoService, put auto-service on the annotation processor path (Maven:"
                + " maven-compiler-plugin's annotationProcessorPaths), since JDK 23 and later run no processor"
                + " found only on the class path and build the jar without the file";
    }

    /** The providers of one class-path entry that its services file does not list. */
    static Unregistered find(Path entry) {
        try {
            if (Files.isDirectory(entry)) {
                return inDirectory(entry);
            }
            if (Files.isRegularFile(entry)) {
                return inJar(entry);
            }
        } catch (IOException | RuntimeException e) {
            // unreadable: nothing to say about it
        }
        return new Unregistered(false, List.of());
    }

    private static Unregistered inDirectory(Path dir) throws IOException {
        Map<String, Header> classes = new HashMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList())) {
                add(classes, Files.readAllBytes(f));
            }
        }
        Path services = dir.resolve(SERVICES);
        boolean hasServices = Files.isRegularFile(services);
        return unlisted(classes, hasServices, hasServices ? Files.readAllBytes(services) : new byte[0]);
    }

    private static Unregistered inJar(Path jar) throws IOException {
        Map<String, Header> classes = new HashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                    try (InputStream in = zip.getInputStream(e)) {
                        add(classes, in.readAllBytes());
                    }
                }
            }
            ZipEntry services = zip.getEntry(SERVICES);
            byte[] listed = new byte[0];
            if (services != null) {
                try (InputStream in = zip.getInputStream(services)) {
                    listed = in.readAllBytes();
                }
            }
            return unlisted(classes, services != null, listed);
        }
    }

    private static void add(Map<String, Header> classes, byte[] classFile) {
        Header h = Header.read(classFile);
        if (h != null) {
            classes.put(h.name, h);
        }
    }

    /** Concrete classes whose super classes (within the entry) lead to the SPI's provider class, less those listed. */
    private static Unregistered unlisted(Map<String, Header> classes, boolean hasServices, byte[] servicesFile) {
        Set<String> listed = new HashSet<>();
        for (String line : new String(servicesFile, StandardCharsets.UTF_8).split("\n")) {
            int hash = line.indexOf('#');
            listed.add((hash >= 0 ? line.substring(0, hash) : line).trim());
        }
        Set<String> found = new TreeSet<>();
        for (Header h : classes.values()) {
            if ((h.access & (ACC_ABSTRACT | ACC_INTERFACE)) != 0) {
                continue;
            }
            String up = h.superName;
            for (int depth = 0; up != null && depth < 64; depth++) {
                if (up.equals(PROVIDER)) {
                    String name = h.name.replace('/', '.');
                    if (!listed.contains(name)) {
                        found.add(name);
                    }
                    break;
                }
                Header parent = classes.get(up);
                up = parent == null ? null : parent.superName;
            }
        }
        return new Unregistered(hasServices, List.copyOf(found));
    }

    /** What {@link #find} found in one entry. */
    static final class Unregistered {
        final boolean hasServicesFile;
        /** Binary names of the provider classes not listed, sorted. */
        final List<String> classes;

        Unregistered(boolean hasServicesFile, List<String> classes) {
            this.hasServicesFile = hasServicesFile;
            this.classes = classes;
        }
    }

    /** A class file's access flags, name and super class name (JVM internal form, {@code a/b/C}). */
    static final class Header {
        final int access;
        final String name;
        final String superName;

        private Header(int access, String name, String superName) {
            this.access = access;
            this.name = name;
            this.superName = superName;
        }

        /** @return the header, or null if the bytes are not a class file (JVMS 4.1, 4.4) */
        static Header read(byte[] classFile) {
            try {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
                if (in.readInt() != 0xCAFEBABE) {
                    return null;
                }
                in.readInt(); // minor and major version: any
                int count = in.readUnsignedShort();
                String[] utf8 = new String[count];
                int[] classNames = new int[count];
                for (int i = 1; i < count; i++) {
                    int tag = in.readUnsignedByte();
                    switch (tag) {
                        case 1: // Utf8: u2 length and modified UTF-8, which readUTF reads
                            utf8[i] = in.readUTF();
                            break;
                        case 7: // Class: u2 name index
                            classNames[i] = in.readUnsignedShort();
                            break;
                        case 8: case 16: case 19: case 20: // String, MethodType, Module, Package
                            in.skipBytes(2);
                            break;
                        case 15: // MethodHandle
                            in.skipBytes(3);
                            break;
                        case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18:
                            in.skipBytes(4);
                            break;
                        case 5: case 6: // Long, Double: two slots
                            in.skipBytes(8);
                            i++;
                            break;
                        default:
                            return null;
                    }
                }
                int access = in.readUnsignedShort();
                int thisClass = in.readUnsignedShort();
                int superClass = in.readUnsignedShort();
                String name = utf8[classNames[thisClass]];
                String superName = superClass == 0 ? null : utf8[classNames[superClass]];
                return name == null ? null : new Header(access, name, superName);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }
}
