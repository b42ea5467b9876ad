%% Test fixture: an epmd-less node discovery module for OTP 25, the
%% counterpart of the Elixir module DynamicSrv.Epmd (Hex package
%% libcluster_dynamic_srv). Passed to the VM with
%% `-start_epmd false -epmd_module srv_epmd`.
%%
%% - register_node/2,3: no daemon; a creation in 1..3.
%% - listen_port_please/2: ERL_DIST_PORT, or 0 for helper names (rpc-/rem-).
%% - address_please/3: SRV "Name.Host" through inet_res (the nameserver comes
%%   from ERL_INETRC), then A/AAAA of the SRV target, falling back to the
%%   query name; returns {ok, IP, Port, 5} so port_please/2 is not needed.
%% - names/1: {error, address}: there is no registry to list.
-module(srv_epmd).

-export([start_link/0,
         register_node/2, register_node/3,
         listen_port_please/2,
         address_please/3,
         port_please/2, port_please/3,
         names/0, names/1]).

-define(DIST_VERSION, 5).

start_link() ->
    ignore.

register_node(Name, Port) ->
    register_node(Name, Port, inet_tcp).

register_node(_Name, _Port, _Driver) ->
    {ok, rand:uniform(3)}.

listen_port_please(Name, _Host) ->
    case is_helper(Name) of
        true -> {ok, 0};
        false -> {ok, dist_port()}
    end.

address_please(Name, Host, Family) when is_list(Name), is_list(Host) ->
    Query = Name ++ "." ++ Host,
    case srv(Query) of
        {ok, Port, Target} ->
            case address(Target, Family) of
                {ok, IP} -> {ok, IP, Port, ?DIST_VERSION};
                error ->
                    case address(Query, Family) of
                        {ok, IP} -> {ok, IP, Port, ?DIST_VERSION};
                        error -> {error, {no_address, Target}}
                    end
            end;
        Error ->
            Error
    end;
address_please(Name, Host, Family) ->
    address_please(to_list(Name), to_list(Host), Family).

port_please(Name, Host) ->
    port_please(Name, Host, infinity).

port_please(Name, Host, _Timeout) when is_list(Host) ->
    case srv(to_list(Name) ++ "." ++ Host) of
        {ok, Port, _Target} -> {port, Port, ?DIST_VERSION};
        _ -> noport
    end;
port_please(_Name, _Host, _Timeout) ->
    noport.

names() ->
    names(undefined).

names(_Host) ->
    {error, address}.

%% internal

srv(Query) ->
    case inet_res:lookup(Query, in, srv) of
        [] ->
            {error, {no_srv, Query}};
        Records ->
            [{_Prio, _Weight, Port, Target} | _] = lists:keysort(1, Records),
            {ok, Port, Target}
    end.

address(Name, inet6) ->
    first(inet_res:lookup(Name, in, aaaa));
address(Name, _Inet) ->
    first(inet_res:lookup(Name, in, a)).

first([IP | _]) -> {ok, IP};
first([]) -> error.

dist_port() ->
    case os:getenv("ERL_DIST_PORT") of
        false -> erlang:error({srv_epmd, "ERL_DIST_PORT is not set"});
        Value -> list_to_integer(Value)
    end.

is_helper(Name) ->
    case re:run(to_list(Name), "^(rpc|rem)-", [{capture, none}]) of
        match -> true;
        nomatch -> false
    end.

to_list(A) when is_atom(A) -> atom_to_list(A);
to_list(L) when is_list(L) -> L.
