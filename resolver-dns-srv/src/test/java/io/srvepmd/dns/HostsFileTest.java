package io.srvepmd.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostsFileTest {

    @TempDir
    Path dir;

    @Test
    void namesAndAliasesCaseInsensitiveCommentsAndJunkSkipped() throws Exception {
        Path file = dir.resolve("hosts");
        Files.writeString(file, "# a comment\n127.0.0.1 localhost\n10.0.0.7 pod-0.app.default.svc.cluster.local"
                + " pod-0 # the pod\nnot-an-ip somename\nfd00::7 Pod-0\n\n   \n010.0.0.9 pod-0 zero\n");
        HostsFile hosts = new HostsFile(file.toFile());
        assertEquals(List.of(InetAddress.getByName("10.0.0.7"), InetAddress.getByName("fd00::7")),
                hosts.lookup("pod-0"));
        assertEquals(List.of(InetAddress.getByName("10.0.0.7")),
                hosts.lookup("POD-0.app.default.svc.cluster.local"));
        assertEquals(List.of(), hosts.lookup("somename"));
        assertEquals(List.of(), hosts.lookup("the"));
        // a leading zero: no address to the C library's hosts reader (inet_pton), so none here either
        assertEquals(List.of(), hosts.lookup("zero"));
    }

    @Test
    void aChangedFileIsReadAgainAndAMissingOneIsEmpty() throws Exception {
        Path file = dir.resolve("hosts");
        Files.writeString(file, "10.0.0.7 pod-0\n");
        HostsFile hosts = new HostsFile(file.toFile());
        assertEquals(List.of(InetAddress.getByName("10.0.0.7")), hosts.lookup("pod-0"));
        Files.writeString(file, "10.0.0.99 pod-0 # moved, and a longer line\n");
        assertEquals(List.of(InetAddress.getByName("10.0.0.99")), hosts.lookup("pod-0"));
        assertEquals(List.of(), new HostsFile(new File(dir.toFile(), "none")).lookup("pod-0"));
    }
}
