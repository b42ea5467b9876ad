package io.srvepmd.staticmap;

import io.srvepmd.spi.EpmdResolverProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A configuration from a map; describe(key) is "test setting KEY". */
final class MapConfiguration implements EpmdResolverProvider.Configuration {

    private final Map<String, String> values = new HashMap<>();

    MapConfiguration with(String key, String value) {
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
