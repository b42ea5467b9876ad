package io.srvepmd.build;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntBinaryOperator;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * Every shape of lambda and method reference javac produces that the build step must turn into a
 * class. {@link #run()} describes what each computes; the test compares it before and after.
 */
public class LambdaSamples {

    interface Shape {
        String name();

        static Supplier<String> fromInterface(String s) {
            return () -> "iface:" + s; // private static lambda body inside an interface
        }
    }

    static final class Square implements Shape {
        @Override
        public String name() {
            return "square";
        }
    }

    private final String prefix;

    LambdaSamples(String prefix) {
        this.prefix = prefix;
    }

    LambdaSamples() {
        this("none");
    }

    private String secret(int n) {
        return prefix + "#" + n;
    }

    private static long twice(long v) {
        return 2 * v;
    }

    String instanceCapture(String s) {
        Function<String, String> f = x -> prefix + "/" + x + "/" + s; // captures this and s
        return f.apply("in");
    }

    public static String run() {
        List<String> out = new ArrayList<>();
        Supplier<Shape> ctor = Square::new; // constructor reference
        out.add(ctor.get().name());
        Supplier<LambdaSamples> defaultCtor = LambdaSamples::new;
        out.add(defaultCtor.get().prefix);
        Function<String, LambdaSamples> ctorArg = LambdaSamples::new;
        out.add(ctorArg.apply("p").prefix);
        IntFunction<String[]> arrays = String[]::new; // array constructor (javac: a lambda)
        out.add("len" + arrays.apply(3).length);
        int base = 40;
        long wide = 1L << 40;
        double d = 0.5;
        IntBinaryOperator add = (a, b) -> a + b + base; // captured int, primitive interface
        out.add(Integer.toString(add.applyAsInt(1, 1)));
        LongSupplier ls = () -> wide + (long) d; // captured long and double (two slots each)
        out.add(Long.toString(ls.getAsLong()));
        Function<Integer, Integer> boxed = x -> x + 1; // boxing and unboxing
        out.add(Integer.toString(boxed.apply(41)));
        ToIntFunction<String> unbound = String::length; // unbound instance method reference
        out.add(Integer.toString(unbound.applyAsInt("four")));
        String hello = "hello";
        Supplier<Integer> bound = hello::length; // bound receiver, int boxed to Integer
        out.add(bound.get().toString());
        ToLongFunction<Integer> widen = Integer::intValue; // int return widened to long
        out.add(Long.toString(widen.applyAsLong(7)));
        Function<Long, Long> staticRef = LambdaSamples::twice; // private static method reference
        out.add(staticRef.apply(21L).toString());
        LambdaSamples s = new LambdaSamples("me");
        IntFunction<String> privateRef = s::secret; // private instance method reference, bound
        out.add(privateRef.apply(5));
        BiFunction<LambdaSamples, Integer, String> privateUnbound = LambdaSamples::secret;
        out.add(privateUnbound.apply(s, 6));
        out.add(s.instanceCapture("x"));
        List<String> sink = new ArrayList<>();
        Consumer<String> adder = sink::add; // boolean result dropped for a void method
        adder.accept("added");
        out.add(sink.toString());
        Predicate<String> empty = String::isEmpty;
        out.add(Boolean.toString(empty.negate().test("")));
        Runnable r = () -> sink.add("ran");
        r.run();
        out.add(sink.toString());
        out.add(Shape.fromInterface("z").get());
        Comparable<String> cmp = "b"::compareTo; // bound interface-typed receiver
        out.add(Integer.toString(cmp.compareTo("a")));
        return String.join(",", out);
    }
}
