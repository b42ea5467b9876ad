package io.srvepmd.dns;

import io.srvepmd.spi.EpmdResolverProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** An in-memory configuration, like the agent's, for tests. */
final class TestConfig implements EpmdResolverProvider.Configuration {

    private final Map<String, String> values = new HashMap<>();

    static TestConfig of(String... keyValues) {
        TestConfig c = new TestConfig();
        for (int i = 0; i < keyValues.length; i += 2) {
            c.values.put(keyValues[i], keyValues[i + 1]);
        }
        return c;
    }

    TestConfig with(String key, String value) {
        values.put(key, value);
        return this;
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public String describe(String key) {
        return "test setting " + key;
    }
}
