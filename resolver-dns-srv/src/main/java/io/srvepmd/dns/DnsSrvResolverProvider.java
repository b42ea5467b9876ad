package io.srvepmd.dns;

import com.google.auto.service.AutoService;
import io.srvepmd.spi.EpmdResolver;
import io.srvepmd.spi.EpmdResolverProvider;
import java.util.Set;

/**
 * Provides the {@code dns-srv} resolver: node names become DNS SRV questions.
 *
 * <p>Settings (all optional, without the {@code srvepmd.} prefix):
 * <ul>
 * <li>{@code dns.servers}: comma-separated IP addresses with optional ports,
 *     such as {@code 127.0.0.1:8600,[::1]:53,10.0.0.2}; host names are not
 *     accepted. Default: the {@code nameserver} lines of {@code dns.resolv-conf}
 *     (or {@code 127.0.0.1:53} if it has none).</li>
 * <li>{@code dns.resolv-conf}: the file whose {@code nameserver} lines are the
 *     default of {@code dns.servers} (which must then be unset). Default
 *     {@code /etc/resolv.conf}.</li>
 * <li>{@code dns.timeout} (the agent's setting, which bounds every resolver):
 *     one resolution, every server, retry and follow-up question included,
 *     plans against the time the caller gives it (the agent: its share of
 *     {@code dns.timeout}; called without one: all of it). Default {@code 2s}.</li>
 * <li>{@code dns.query}: the SRV name of a node, with placeholders {@code {alive}}
 *     and {@code {host}}. Default {@code {alive}.{host}}.</li>
 * <li>{@code dns.family}: {@code any} (both, interleaved IPv4 first; the
 *     default), {@code ipv4}, {@code ipv6} or {@code ipv6-first}.</li>
 * <li>{@code dns.resolution-delay}: once one address family has answered, how
 *     long the other is waited for. Default {@code 50ms} (RFC 8305).</li>
 * <li>{@code dns.service}: a DNS name whose SRV records list the nodes of a
 *     service, target {@code <alive>.<service>} for node {@code alive@service}.
 *     Unset: the resolver cannot list.</li>
 * </ul>
 *
 * <p>The resolver it creates is also the agent's
 * {@link io.srvepmd.spi.HostResolver}: the hosts file, then A/AAAA questions
 * to the same servers.
 *
 * <p>The constructor and {@link #configurationKeys()} load no dnsjava class;
 * {@link #get} validates settings, reads the resolv.conf file and starts
 * {@link DnsWarmUp} on a daemon thread.
 */
@AutoService(EpmdResolverProvider.class)
public final class DnsSrvResolverProvider extends EpmdResolverProvider {

    /** The provider's name in the {@code resolvers} setting. */
    public static final String NAME = "dns-srv";

    /** Called by {@link java.util.ServiceLoader}. */
    public DnsSrvResolverProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<String> configurationKeys() {
        return DnsSettings.KEYS;
    }

    /**
     * @throws IllegalArgumentException naming the key, where its value came
     *         from, the value and what a valid value looks like
     */
    @Override
    public EpmdResolver get(Configuration configuration) {
        DnsSettings settings = DnsSettings.parse(configuration, DnsSettings.RESOLV_CONF);
        DnsSrvResolver resolver = new DnsSrvResolver(settings);
        DnsWarmUp.start(SpoofResistance.anyOffHost(settings.servers));
        return resolver;
    }
}
