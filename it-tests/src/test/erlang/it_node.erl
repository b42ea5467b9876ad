%% Test fixture: keeps an Erlang node alive under `-run it_node main` and
%% does things on command, one command per line on stdin. Every answer is one
%% line on stdout. End of stdin halts the node.
%%
%%   ping NODE               -> PING NODE pong|pang
%%   send NODE MBOX TEXT     -> sends {self(), <<TEXT>>} to {MBOX, NODE};
%%                              REPLY <term, ~p on one line> | TIMEOUT
%%   quit                    -> halts
%%
%% A process registered as `echo` answers {Pid, Msg} with Pid ! {self(), Msg}.
-module(it_node).

-export([main/0, main/1]).

main() ->
    main([]).

main(_Args) ->
    register(echo, spawn(fun echo/0)),
    io:format("READY ~s~n", [node()]),
    loop().

echo() ->
    receive
        {Pid, Msg} when is_pid(Pid) ->
            Pid ! {self(), Msg};
        _ ->
            ok
    end,
    echo().

loop() ->
    case io:get_line("") of
        eof -> halt(0);
        {error, _} -> halt(0);
        Line ->
            handle(string:lexemes(string:trim(Line), " ")),
            loop()
    end.

handle(["ping", Node]) ->
    io:format("PING ~s ~p~n", [Node, net_adm:ping(list_to_atom(Node))]);
handle(["send", Node, Mbox, Text]) ->
    {list_to_atom(Mbox), list_to_atom(Node)} ! {self(), list_to_binary(Text)},
    receive
        Reply -> io:format("REPLY ~s~n", [oneline(Reply)])
    after 10000 ->
        io:format("TIMEOUT~n")
    end;
handle(["quit"]) ->
    halt(0);
handle([]) ->
    ok;
handle(Other) ->
    io:format("UNKNOWN ~p~n", [Other]).

%% ~p without line breaks, so that one answer is one line.
oneline(Term) ->
    io_lib:print(Term, 1, 1000000, -1).
