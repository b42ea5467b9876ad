package io.srvepmd.it.app;

/** One result per stdout line, flushed at once, so the test can poll for it. */
final class Out {

    private Out() {
    }

    static synchronized void line(String text) {
        System.out.println(text);
        System.out.flush();
    }

    /** "ERROR class: message", the form the tests assert on. */
    static void error(Throwable t) {
        line("ERROR " + t.getClass().getName() + ": " + t.getMessage());
    }
}
