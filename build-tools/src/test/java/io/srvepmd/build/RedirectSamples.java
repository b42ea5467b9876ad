package io.srvepmd.build;

/** What RedirectBodiesTest rewrites: a static method whose body goes elsewhere. */
public final class RedirectSamples {

    private RedirectSamples() {
    }

    public static String greet(String who, long times) {
        return "original " + who + " " + times;
    }

    public String instanceMethod() {
        return "instance";
    }

    /** The target of the redirect. */
    public static final class Target {
        private Target() {
        }

        public static String greet(String who, long times) {
            return "redirected " + who + " " + times;
        }
    }
}
