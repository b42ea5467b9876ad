package io.srvepmd.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A DNS server a test started, where programs (the agent, Erlang nodes) may be pointed. */
public interface Nameserver {

    /** "IP:PORT", the form {@code dns.servers} takes. */
    String address();

    /** Writes an ERL_INETRC file in {@code directory} that sends every Erlang DNS question to this server. */
    Path erlangInetrc(Path directory);

    /**
     * An ERL_INETRC file sending every Erlang DNS question to {@code ipv4}:{@code port}: without
     * {@code resolv_conf ""} Erlang would also ask the machine's resolver.
     */
    static Path writeInetrc(Path directory, String ipv4, int port) {
        Path file = directory.resolve("inetrc");
        String text = "{resolv_conf, \"\"}.\n{hosts_file, \"\"}.\n{nameserver, {" + ipv4.replace('.', ',') + "}, "
                + port + "}.\n{lookup, [dns]}.\n";
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
