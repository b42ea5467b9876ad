package io.srvepmd.it.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A scenario that runs once for each release of {@link Otp#tested()} (OTP 25 and 27), its {@link Otp}
 * parameter naming the case (the reports say {@code erlangNodeResolves...(Otp) on OTP 27.3.4.1, JInterface 1.14.1}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "on {0}")
@MethodSource("io.srvepmd.it.support.Otp#tested")
public @interface OnEachOtp {
}
