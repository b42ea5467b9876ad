package io.srvepmd.it.app;

import com.ericsson.otp.erlang.OtpEpmd;
import com.ericsson.otp.erlang.OtpPeer;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;

/**
 * A host with two JInterface copies, as a servlet container or a plug-in
 * framework has: the class path's, and one a child-first class loader loads
 * from {@code JAR} afterwards (a web application's WEB-INF/lib, say). Usage:
 * {@code TwoCopiesMain JAR PEER}. Prints {@code FIRST port} for the class
 * path's {@code OtpEpmd.lookupPort(PEER)}, then {@code SECOND port} or
 * {@code SECOND failed class: message} for the second copy's.
 */
public final class TwoCopiesMain {

    private TwoCopiesMain() {
    }

    public static void main(String[] args) throws Exception {
        Out.line("FIRST " + OtpEpmd.lookupPort(new OtpPeer(args[1])));
        try (ChildFirst loader = new ChildFirst(new URL[] {Paths.get(args[0]).toUri().toURL()})) {
            Class<?> peer = loader.loadClass("com.ericsson.otp.erlang.OtpPeer");
            Class<?> epmd = loader.loadClass("com.ericsson.otp.erlang.OtpEpmd");
            if (epmd.getClassLoader() != loader) {
                throw new IllegalStateException("the second copy came from " + epmd.getClassLoader());
            }
            Object p = peer.getConstructor(String.class).newInstance(args[1]);
            try {
                Object port = epmd.getMethod("lookupPort", loader.loadClass("com.ericsson.otp.erlang.AbstractNode"))
                        .invoke(null, p);
                Out.line("SECOND " + port);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                Out.line("SECOND failed " + cause.getClass().getName() + ": " + cause.getMessage());
            }
        }
        System.exit(0);
    }

    /** Loads JInterface's classes itself before asking its parent, as web-application loaders do. */
    private static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL[] urls) {
            super(urls, TwoCopiesMain.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("com.ericsson.otp.erlang.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                return c != null ? c : findClass(name);
            }
        }

        @Override
        public void close() throws IOException {
            super.close();
        }
    }
}
