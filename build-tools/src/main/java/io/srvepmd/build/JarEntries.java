package io.srvepmd.build;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** Reads a jar's entries in order and writes them back, for the build steps that rewrite the agent jar. */
final class JarEntries {

    private JarEntries() {
    }

    /** @return every entry, directories included (empty content), in the jar's order */
    static Map<String, byte[]> read(Path jar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                try (InputStream in = zip.getInputStream(entry); ByteArrayOutputStream b = new ByteArrayOutputStream()) {
                    in.transferTo(b);
                    out.put(entry.getName(), b.toByteArray());
                }
            }
        }
        return out;
    }

    /**
     * Replaces the jar with these entries, in this order (the manifest stays first), each STORED
     * (not compressed) with time 0 for a reproducible jar. Uncompressed because the JVM reads some
     * 300 of its classes on a first contact: inflating them cost ~5 ms (A/B), the jar doubles to ~2 MB.
     */
    static void write(Path jar, Map<String, byte[]> entries) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (ZipOutputStream zos = new ZipOutputStream(Files.newOutputStream(tmp))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                byte[] data = e.getValue();
                ZipEntry z = new ZipEntry(e.getKey());
                z.setTime(0L);
                z.setMethod(ZipEntry.STORED);
                z.setSize(data.length);
                z.setCompressedSize(data.length);
                CRC32 crc = new CRC32();
                crc.update(data);
                z.setCrc(crc.getValue());
                zos.putNextEntry(z);
                zos.write(data);
                zos.closeEntry();
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
    }
}
