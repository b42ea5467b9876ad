package io.srvepmd.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HelperNamesTest {

    /** The hand-written default must agree with the regular expression it stands for. */
    @ParameterizedTest
    @ValueSource(strings = {"rpc-a", "rem-", "rem-x-1", "rpc", "rem", "xrpc-a", "RPC-a", "rpcx-", "rp-c", "", "-rpc-"})
    void defaultAgreesWithItsRegularExpression(String alive) {
        Matcher m = Pattern.compile(HelperNames.DEFAULT).matcher(alive);
        assertEquals(m.find() ? m.end() : -1, HelperNames.of(HelperNames.DEFAULT).matchEnd(alive), alive);
    }

    @ParameterizedTest
    @ValueSource(strings = {"helper_a", "a_helper_b", "x"})
    void otherPatternsAreRegularExpressions(String alive) {
        Matcher m = Pattern.compile("helper_").matcher(alive);
        assertEquals(m.find() ? m.end() : -1, HelperNames.of("helper_").matchEnd(alive), alive);
    }
}
