%% Benchmark fixture: Erlang <-> Erlang distribution connection setup, the
%% baseline of TlsSetup. Run as
%%   erl -noshell -name N ... -run tls_connect_loop main PEER WARMUP ITERATIONS
%% Each round: net_kernel:connect_node(PEER) (lookup through the epmd module,
%% TCP, TLS when -proto_dist inet_tls, the distribution handshake), then
%% disconnect_node and wait for nodedown, so that the next round connects
%% anew. Only connect_node is timed. Prints "MEAN_US <us> FAILURES <n>" and halts.
-module(tls_connect_loop).

-export([main/1]).

main([Peer, Warmup, Iterations]) ->
    Node = list_to_atom(Peer),
    ok = net_kernel:monitor_nodes(true),
    {_, WarmFailures} = rounds(Node, list_to_integer(Warmup), 0, 0),
    N = list_to_integer(Iterations),
    {Micros, Failures} = rounds(Node, N, 0, WarmFailures),
    io:format("MEAN_US ~.1f FAILURES ~b~n", [Micros / N, Failures]),
    halt(0).

rounds(_Node, 0, Micros, Failures) ->
    {Micros, Failures};
rounds(Node, K, Micros, Failures) ->
    T0 = erlang:monotonic_time(microsecond),
    Connected = net_kernel:connect_node(Node),
    T1 = erlang:monotonic_time(microsecond),
    case Connected of
        true ->
            erlang:disconnect_node(Node),
            receive {nodedown, Node} -> ok after 5000 -> ok end,
            rounds(Node, K - 1, Micros + (T1 - T0), Failures);
        _ ->
            rounds(Node, K - 1, Micros + (T1 - T0), Failures + 1)
    end.
