/**
 * The {@code static} resolver of srv-epmd: node names (with {@code *}
 * wildcards) mapped to addresses and ports through the {@code static.nodes}
 * setting or a {@code static.file}. See
 * {@link io.srvepmd.staticmap.StaticResolverProvider} for the syntax and
 * {@link io.srvepmd.staticmap.StaticResolver} for matching and TTLs.
 */
package io.srvepmd.staticmap;
