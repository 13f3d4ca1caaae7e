#!/usr/bin/env bash
# TCP through an impaired link, ringstack against Linux. `ringstack serve` (each NIC model) on a TAP in a namespace of
# its own, `ringstack relay` joining that TAP to a veth whose other end is a Linux client's namespace; as the
# reference, a Linux server's namespace joined to the same client through the same relay. Each profile of issue 13's
# table (the relay applies it both ways) is run with ringstack as sender (curl downloads GET /bytes/N, SHA-256 checked)
# and with Linux as sender (curl uploads to POST /sha256, the server's digest checked); prints MB/s per cell and
# ringstack / Linux ratios. Each freshly started relay and server (ringstack and Linux alike) first carries one
# unmeasured download and upload of the same size, as tap-vs-veth.sh warms its servers, so that no cell times a cold
# JIT or a relay's first packets. A transfer that fails or is cut off by its deadline is a FAIL cell and makes the exit
# code 1. Without root, /dev/net/tun, network namespaces or a tool it prints one SKIP line and exits 0.
# Both senders run the same congestion control, so that the table compares stacks, not algorithms: BBR does not slow
# down for random loss, where CUBIC and NewReno do, and a loss row between BBR and CUBIC says more about the
# algorithms than about the stacks. That control is --cc NAME (reno, cubic or bbr), by default the host's
# net.ipv4.tcp_congestion_control (bbr on some hosts, cubic on most): the Linux server takes it for its connections
# (TCP_CONGESTION; the client, curl, keeps the host's), ringstack as tcpCongestionControl (0 NewReno, 1 CUBIC, 2 BBR).
# --linux-cc and --set tcpCongestionControl=N set one side alone. The header names each side's control.
# Usage: scripts/impaired-tcp.sh [--short] [--size MIB] [--nics "e1000 virtio"] [--profiles "KEY ..."] [--counters]
#                                [--set NAME=VALUE]... [--cc NAME] [--linux-cc NAME] [--engine-link tap|packet]
#                                [--warm-ups N] [--server-warm-ups N] [--runs N] [--offload on|off]
#   --short:    profiles clean, 1 % loss and 5 % loss on E1000 (unless --nics follows) with 2 MiB transfers, one
#               per cell after 10 server warm-ups, for CI: each cell starts a relay JVM, and nine of them do not fit
#               3 minutes on a loaded 2-core machine
#   --profiles: only these rows, by key: clean delay loss1 loss5 reorder dup corrupt rate
#   --counters: after each ringstack cell, what the engine's TCP counters gained during its transfers (retransmitted
#               segments, timeouts, fast retransmits, loss probes, RACK losses, lost retransmissions, D-SACKs
#               received, undone reductions, segments PAWS dropped), read with `ringstack stat`; and after every
#               cell how long the engine's thread and the relay's ran and waited runnable for a CPU while curl
#               ran (/proc/PID/task/TID/schedstat): a user-space engine waits for the scheduler at each wake-up,
#               where Linux's TCP answers an ACK inside the relay's own send
#   --set:      passed to `ringstack serve`: an engine setting, e.g. tcpSendBufferCapacity=262144
#   --cc:       both senders' congestion control: reno, cubic or bbr (one of the host's
#               net.ipv4.tcp_available_congestion_control)
#   --linux-cc: the Linux reference server's congestion control alone
#   --runs:     transfers each way per cell, 5 by default (1 with --short); a cell is their median, printed with
#               each transfer's figure: one transfer at 5 % loss moves by half from one to the next, for Linux too,
#               and one that meets a lost SYN or a timeout (0.25-1 s) is common enough there that two of three
#               decided a median; of five it takes three
#   --warm-ups: unmeasured downloads and uploads through each relay before its cells (1 by default, as above)
#   --server-warm-ups: unmeasured downloads and uploads of each freshly started server before its first cell, through
#               an unimpaired relay of their own (30 by default, 10 with --short; Linux's server gets them too): a
#               JVM's first transfers run while the JIT compiles the engine's paths, which Linux's TCP does not pay,
#               and after ten 8 MiB downloads it was still compiling the sender's hot path (TcpSender.sendNextSegment,
#               E1000Driver.receive) at tier 4, 2 s after `serve` started
#   --engine-link: how `serve` reaches the relay: tap (default), a TAP it writes each frame to, or packet, one end of
#               a veth pair on a packet socket, as the relay reaches the Linux server (a veth), so that both servers
#               sit on the same kind of link
#   --offload:  on (default): both servers hand their link TCP segments of up to 64 KiB, as each would hand a NIC
#               with segmentation offload (the Linux server's veth keeps TSO and GSO on; the engine's TAP, or its
#               packet socket, carries a virtio-net header), and the relay takes them whole through a packet socket
#               with a virtio-net header and cuts each into the MTU-sized frames a wire carries (TcpSegmentCutter,
#               as the kernel's GSO would) before the impairment sees them, so every frame is impaired on its own; off:
#               every server's link carries only wire-sized frames (ethtool -K tso off gso off on the veths, the TAP
#               with offload=off), one write(2) per frame from the engine
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
usage="usage: $0 [--short] [--size MIB] [--nics \"e1000 virtio\"] [--profiles \"clean loss1 ...\"] [--counters]"\
" [--set NAME=VALUE]... [--cc NAME] [--linux-cc NAME] [--engine-link tap|packet] [--warm-ups N]"\
" [--server-warm-ups N] [--runs N] [--offload on|off]"
short=0
size_mib=8
nics="e1000 virtio"
chosen=""
show_counters=0
settings=()
cc=""
linux_cc=""
engine_link=tap
offload=on
warm_ups=1
server_warm_ups=""
runs=""
while (($#)); do
    case "$1" in
        --short)
            short=1; size_mib=2; nics=e1000; runs="${runs:-1}"; server_warm_ups="${server_warm_ups:-10}" ;;
        --size) size_mib="$2"; shift ;;
        --nics) nics="$2"; shift ;;
        --profiles) chosen="$2"; shift ;;
        --counters) show_counters=1 ;;
        --set) settings+=("--set" "$2"); shift ;;
        --cc) cc="$2"; shift ;;
        --linux-cc) linux_cc="$2"; shift ;;
        --engine-link) engine_link="$2"; shift ;;
        --offload) offload="$2"; shift ;;
        --warm-ups) warm_ups="$2"; shift ;;
        --runs) runs="$2"; shift ;;
        --server-warm-ups) server_warm_ups="$2"; shift ;;
        *) echo "$usage" >&2; exit 2 ;;
    esac
    shift
done
for name in "$cc" "$linux_cc"; do
    if [[ -n "$name" ]] && ! grep -qw -- "$name" /proc/sys/net/ipv4/tcp_available_congestion_control; then
        echo "unknown congestion control: $name (this host has: $(</proc/sys/net/ipv4/tcp_available_congestion_control))" >&2
        exit 2
    fi
done
if [[ ! "$warm_ups" =~ ^[0-9]+$ ]]; then
    echo "--warm-ups takes a count, not '$warm_ups'" >&2
    exit 2
fi
runs="${runs:-5}"
server_warm_ups="${server_warm_ups:-30}"
if [[ ! "$server_warm_ups" =~ ^[0-9]+$ ]]; then
    echo "--server-warm-ups takes a count, not '$server_warm_ups'" >&2
    exit 2
fi
if [[ ! "$runs" =~ ^[1-9][0-9]*$ ]]; then
    echo "--runs takes a count of 1 or more, not '$runs'" >&2
    exit 2
fi
if [[ ! "$engine_link" =~ ^(tap|packet)$ ]]; then
    echo "--engine-link takes tap or packet, not '$engine_link'" >&2
    exit 2
fi
if [[ ! "$offload" =~ ^(on|off)$ ]]; then
    echo "--offload takes on or off, not '$offload'" >&2
    exit 2
fi
if [[ -n "$cc" && ! "$cc" =~ ^(reno|cubic|bbr)$ ]]; then
    echo "--cc takes reno, cubic or bbr, which ringstack has too, not '$cc'" >&2
    exit 2
fi
size=$((size_mib * 1024 * 1024))
deadline=$((short ? 30 : 90))

# key|name|relay options (both directions)
all_profiles=(
    "clean|clean|"
    "delay|+20 ms RTT|--delay 10"
    "loss1|1 % loss|--loss 1%"
    "loss5|5 % loss|--loss 5%"
    "reorder|25 % reordered by 10 ms|--reorder 25% --reorder-by 10"
    "dup|5 % duplicated|--duplicate 5%"
    "corrupt|1 % corrupted|--corrupt 1%"
    "rate|10 Mbit/s, 20-packet queue|--rate 10 --queue 20"
)
((short)) && [[ -z "$chosen" ]] && chosen="clean loss1 loss5"
profiles=()
for entry in "${all_profiles[@]}"; do
    [[ -z "$chosen" || " $chosen " == *" ${entry%%|*} "* ]] && profiles+=("${entry#*|}")
done
for key in $chosen; do
    printf '%s\n' "${all_profiles[@]}" | grep -q "^$key|" || { echo "unknown profile: $key" >&2; echo "$usage" >&2; exit 2; }
done

source "$root/scripts/preflight.sh"
preflight impaired-tcp ip curl python3 sha256sum ethtool

launcher="$root/ringstack"
"$launcher" --version >/dev/null || { echo "FAIL impaired-tcp: the ringstack jar does not build or run"; exit 1; }

work="$(mktemp -d)"
mid="rsr-mid-$$"          # the relay's namespace: the engine's TAP and the two veth ends it joins
client="rsr-cli-$$"       # the Linux client, 10.0.2.2
server="rsr-srv-$$"       # the Linux reference server, 10.0.2.15
tap="rsrt$$"              # the engine's TAP, in $mid
engine_mid="rsre$$"       # with --engine-link packet, veth: $engine_mid (the relay's) <-> $engine_end (the engine's),
engine_end="rsrE$$"       # both in $mid
client_mid="rsrc$$"       # veth: $client_mid (in $mid) <-> $client_end (in $client)
client_end="rsrC$$"
server_mid="rsrs$$"       # veth: $server_mid (in $mid) <-> $server_end (in $server)
server_end="rsrS$$"
engine_ip=10.0.2.15
client_ip=10.0.2.2
pids=()

cleanup()
{
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    for ns in "$mid" "$client" "$server"; do
        ip netns delete "$ns" 2>/dev/null
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

quiet_namespace()   # quiet_namespace NS: loopback up, no IPv6 chatter on the wire
{
    ip netns add "$1"
    ip netns exec "$1" ip link set lo up
    ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
}

wire_like()   # wire_like NS DEV: checksums finished and frames segmented before they reach a packet socket
{
    ip netns exec "$1" ethtool -K "$2" tx off sg off tso off gso off gro off >/dev/null 2>&1
}

quiet_namespace "$mid"
quiet_namespace "$client"
quiet_namespace "$server"
[[ -z "$cc" ]] && cc="$(ip netns exec "$server" sysctl -n net.ipv4.tcp_congestion_control)"
[[ -z "$linux_cc" ]] && linux_cc="$cc"
case "$cc" in
    reno) settings=(--set tcpCongestionControl=0 "${settings[@]}") ;;
    cubic) settings=(--set tcpCongestionControl=1 "${settings[@]}") ;;
    bbr) settings=(--set tcpCongestionControl=2 "${settings[@]}") ;;
    *) echo "note: ringstack has no $cc, the host's congestion control; it runs its default, CUBIC" >&2 ;;
esac
ringstack_cc="cubic"
for setting in "${settings[@]}"; do
    case "$setting" in
        tcpCongestionControl=0) ringstack_cc="newreno" ;;
        tcpCongestionControl=1) ringstack_cc="cubic" ;;
        tcpCongestionControl=2) ringstack_cc="bbr" ;;
        tcpCongestionControl=*) ringstack_cc="$setting" ;;
    esac
done
ip link add "$client_mid" netns "$mid" type veth peer name "$client_end" netns "$client"
ip link add "$server_mid" netns "$mid" type veth peer name "$server_end" netns "$server"
ends=("$mid $client_mid" "$mid $server_mid" "$client $client_end" "$server $server_end")
if [[ "$engine_link" == packet ]]; then
    ip link add "$engine_mid" netns "$mid" type veth peer name "$engine_end" netns "$mid"
    ends+=("$mid $engine_mid" "$mid $engine_end")
fi
for end in "${ends[@]}"; do
    read -r ns dev <<<"$end"
    # a server's own end keeps its offloads with --offload on: the relay cuts what it hands over
    [[ "$offload" == off || ( "$dev" != "$server_end" && "$dev" != "$engine_end" ) ]] && wire_like "$ns" "$dev"
    ip netns exec "$ns" ip link set "$dev" up
done
ip netns exec "$client" ip addr add "$client_ip/24" dev "$client_end"
ip netns exec "$server" ip addr add "$engine_ip/24" dev "$server_end"
ip netns exec "$server" python3 "$root/scripts/interop/reference_http.py" "$engine_ip" 80 "$linux_cc" &
pids+=($!)
python3 -c "import sys; sys.stdout.buffer.write(bytes(i % 251 for i in range($size)))" >"$work/payload"
expected="$(sha256sum <"$work/payload" | cut -d' ' -f1)"
mkdir -p "$work/counters"

wait_ready()   # wait_ready PID LOG
{
    for _ in $(seq 1 240); do
        grep -q "ready" "$2" 2>/dev/null && return 0
        kill -0 "$1" 2>/dev/null || return 1
        sleep 0.25
    done
    return 1
}

# start_relay "OPTIONS": the relay between $server_side and the client, impaired by OPTIONS, as $relay_pid
start_relay()
{
    # shellcheck disable=SC2086 # the profile's options are words
    ip netns exec "$mid" "$launcher" relay --a "packet:$server_side,offload=$offload" --b "packet:$client_mid" \
        --seed 1 \
        --name "rsr-relay-$$" --counters-dir "$work/counters" $1 >"$work/relay.out" 2>&1 &
    relay_pid=$!
    pids+=("$relay_pid")
    if ! wait_ready "$relay_pid" "$work/relay.out"; then
        echo "FAIL impaired-tcp: relay not ready: $(tail -n 2 "$work/relay.out" | tr '\n' ' ')"
        exit 1
    fi
}

relay_total()   # relay_total PATTERN: the sum of the counters matching PATTERN the stopped relay printed
{
    grep -E "$1" "$work/relay.out" | awk '{gsub(",", "", $NF); s += $NF} END {print s + 0}'
}

stop()   # stop PID
{
    kill "$1" 2>/dev/null
    wait "$1" 2>/dev/null
    local kept=()
    local pid
    for pid in "${pids[@]}"; do
        [[ "$pid" != "$1" ]] && kept+=("$pid")
    done
    pids=("${kept[@]}")
}

download()   # download: MB/s of GET /bytes/$size from the server behind the relay, or FAIL
{
    local out speed status
    out="$(ip netns exec "$client" curl -sS --max-time "$deadline" -o "$work/got" -w '%{speed_download}' \
        "http://$engine_ip/bytes/$size" 2>&1)"
    status=$?
    ((status == 0)) || { echo "FAIL(${out##*: })"; return; }
    [[ "$(sha256sum <"$work/got" | cut -d' ' -f1)" == "$expected" ]] || { echo "FAIL(sha256)"; return; }
    speed="${out%%[^0-9.]*}"
    python3 -c "print('%.2f' % ($speed / 1e6))"
}

median()   # median FIGURE...: the median of the figures, or the first FAIL among them
{
    local figure
    for figure in "$@"; do
        [[ "$figure" == FAIL* ]] && { echo "$figure"; return; }
    done
    python3 -c "import statistics, sys; print('%.2f' % statistics.median(map(float, sys.argv[1:])))" "$@"
}

# transfers KIND FILE: $runs downloads or uploads, their figures into FILE on one line, the engine's thread times
# around them into $work/cpu-KIND-0 and -1
transfers()
{
    local figures=() i
    ((show_counters)) && cpu_snapshot >"$work/cpu-$1-0"
    for ((i = 0; i < runs; i++)); do
        if [[ "$1" == send ]]; then figures+=("$(download)"); else figures+=("$(upload)"); fi
    done
    ((show_counters)) && cpu_snapshot >"$work/cpu-$1-1"
    echo "${figures[*]}" >"$2"
}

warm_up()   # warm_up COUNT: COUNT unmeasured downloads and uploads through the relay now running, none checked
{
    local i
    for ((i = 0; i < $1; i++)); do
        ip netns exec "$client" curl -sS --max-time "$deadline" -o /dev/null "http://$engine_ip/bytes/$size" \
            >/dev/null 2>&1
        ip netns exec "$client" curl -sS --max-time "$deadline" --data-binary "@$work/payload" \
            -H 'Content-Type: application/octet-stream' -o /dev/null "http://$engine_ip/sha256" >/dev/null 2>&1
    done
}

upload()   # upload: MB/s of POST /sha256 of $size bytes to the server behind the relay, or FAIL
{
    local out status
    out="$(ip netns exec "$client" curl -sS --max-time "$deadline" --data-binary "@$work/payload" \
        -H 'Content-Type: application/octet-stream' -w ' %{speed_upload}' "http://$engine_ip/sha256" 2>&1)"
    status=$?
    ((status == 0)) || { echo "FAIL(${out##*: })"; return; }
    local digest="${out%% *}"
    [[ "${digest//[[:space:]]/}" == "$expected" ]] || { echo "FAIL(sha256)"; return; }
    python3 -c "print('%.2f' % (${out##* } / 1e6))"
}

# tcp_counters FILE: the TCP counters of the engine now serving, one "label value" line each, into FILE
tcp_counters()
{
    "$launcher" stat --all "$work/engine-counters-$srv" 2>/dev/null |
        awk '{for (i = 1; i < NF; i++) if ($i ~ /^(tcp_|drop_tcp_paws$)/) print $i, $NF}' >"$1"
}

# counter_gains BEFORE AFTER: the counters issue 13 asks about, as gained between two snapshots
counter_gains()
{
    awk 'NR == FNR {before[$1] = $2; next} {gain[$1] = $2 - before[$1]}
        END {printf "retransmitted %d, RTOs %d, SYN-ACK timeouts %d, fast retransmits %d, TLPs %d, RACK losses %d, lost retransmissions %d, D-SACKs %d, undone (spurious) %d, PAWS drops %d",
            gain["tcp_retransmitted_segments"], gain["tcp_retransmission_timeouts"], gain["tcp_syn_ack_timeouts"],
            gain["tcp_fast_retransmits"],
            gain["tcp_loss_probes"], gain["tcp_rack_losses"], gain["tcp_lost_retransmissions"],
            gain["tcp_dsacks_received"], gain["tcp_undo"], gain["drop_tcp_paws"]}' "$1" "$2"
}

# thread_times PID NAME: "RAN WAITED", the nanoseconds the threads of PID whose name starts with NAME have run and
# waited runnable for a CPU (/proc/PID/task/TID/schedstat); "0 0" without scheduler statistics
thread_times()
{
    local task ran waited rest total_ran=0 total_waited=0
    for task in /proc/"$1"/task/*; do
        [[ "$(cat "$task/comm" 2>/dev/null)" == "$2"* ]] || continue
        read -r ran waited rest <"$task/schedstat" 2>/dev/null || continue
        total_ran=$((total_ran + ran))
        total_waited=$((total_waited + waited))
    done
    echo "$total_ran $total_waited"
}

# cpu_snapshot: thread_times of the engine's thread ("- -" for Linux) and of the relay's
cpu_snapshot()
{
    if [[ -n "$serve_pid" ]]; then
        echo "$(thread_times "$serve_pid" "serve-$srv") $(thread_times "$relay_pid" relay)"
    else
        echo "- - $(thread_times "$relay_pid" relay)"
    fi
}

# cpu_gains BEFORE AFTER: what the engine's and the relay's threads ran and waited between two snapshots
cpu_gains()
{
    echo "$1 $2" | awk '{
        if ($1 != "-") printf "engine thread ran %.1f ms, waited for a CPU %.1f ms; ", ($5 - $1) / 1e6, ($6 - $2) / 1e6
        printf "relay ran %.1f ms, waited %.1f ms", ($7 - $3) / 1e6, ($8 - $4) / 1e6 }'
}

results="$work/results"
started=$SECONDS
servers=($nics linux)
echo "impaired-tcp: $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg), $size_mib MiB per"\
" transfer, each cell the median of $runs after $server_warm_ups unmeasured transfers of each server;"\
" congestion control: Linux $linux_cc, ringstack $ringstack_cc; engine on a $engine_link link;"\
" segmentation offload $offload"
for srv in "${servers[@]}"; do
    ip netns exec "$client" ip neigh flush dev "$client_end"
    serve_pid=""
    if [[ "$srv" == linux ]]; then
        server_side="$server_mid"
    else
        if [[ "$engine_link" == packet ]]; then
            server_side="$engine_mid"
            link="packet:$engine_end,offload=$offload"
        else
            server_side="$tap"
            link="tap:$tap,offload=$offload"
        fi
        ip netns exec "$mid" "$launcher" serve --nic "$srv" --link "$link" "${settings[@]}" \
            --services http --counters-dir "$work/engine-counters-$srv" >"$work/serve-$srv.out" 2>&1 &
        serve_pid=$!
        pids+=("$serve_pid")
        if ! wait_ready "$serve_pid" "$work/serve-$srv.out"; then
            echo "FAIL impaired-tcp: serve --nic $srv not ready: $(tail -n 2 "$work/serve-$srv.out" | tr '\n' ' ')"
            exit 1
        fi
        [[ "$engine_link" == tap ]] && ip netns exec "$mid" ip link set "$tap" up
    fi
    if ((server_warm_ups > 0)); then
        start_relay ""
        warm_up "$server_warm_ups"
        stop "$relay_pid"
    fi
    for entry in "${profiles[@]}"; do
        name="${entry%%|*}"
        start_relay "${entry#*|}"
        warm_up "$warm_ups"
        counting=$((show_counters && ${#serve_pid}))
        ((counting)) && tcp_counters "$work/c0"
        transfers send "$work/downs"
        ((counting)) && tcp_counters "$work/c1"
        transfers receive "$work/ups"
        ((counting)) && tcp_counters "$work/c2"
        read -ra downs <"$work/downs"
        read -ra ups <"$work/ups"
        down="$(median "${downs[@]}")"
        up="$(median "${ups[@]}")"
        stop "$relay_pid"
        lost="$(relay_total 'a-to-b: relay_lost|b-to-a: relay_lost'), kernel drops at the relay"\
" $(relay_total link_kernel_drops)"
        printf '%s\t%s\t%s\t%s\n' "$name" "$srv" "$down" "$up" >>"$results"
        if ((runs > 1)); then
            printf '  %-28s %-7s server sends: %-12s server receives: %-12s (medians of %s and of %s; relay lost %s,'\
' warm-up included)\n' "$name" "$srv" "$down" "$up" "${downs[*]}" "${ups[*]}" "$lost"
        else
            printf '  %-28s %-7s server sends: %-12s server receives: %-12s (relay lost %s, warm-up included)\n' \
                "$name" "$srv" "$down" "$up" "$lost"
        fi
        if ((counting)); then
            echo "    $srv sending:   $(counter_gains "$work/c0" "$work/c1")"
            echo "    $srv receiving: $(counter_gains "$work/c1" "$work/c2")"
        fi
        if ((show_counters)); then
            echo "    $srv sending:   $(cpu_gains "$(<"$work/cpu-send-0")" "$(<"$work/cpu-send-1")")"
            echo "    $srv receiving: $(cpu_gains "$(<"$work/cpu-receive-0")" "$(<"$work/cpu-receive-1")")"
        fi
    done
    [[ -n "$serve_pid" ]] && stop "$serve_pid"
done

python3 - "$results" "$nics" <<'TABLE'
import sys
nics = sys.argv[2].split()
cells, names = {}, []
for line in open(sys.argv[1]):
    name, srv, down, up = line.rstrip("\n").split("\t")
    if name not in names:
        names.append(name)
    cells[(name, srv)] = (down, up)

def ratio(a, b):
    try:
        return "%.2f" % (float(a) / float(b))
    except ValueError:
        return "-"

head = ["profile"] + ["%s send" % n for n in nics] + ["linux send"] + ["%s/linux" % n for n in nics] \
    + ["%s recv" % n for n in nics] + ["linux recv"] + ["%s/linux recv" % n for n in nics]
print("MB/s; 'send': the server sends (curl GET /bytes/N), 'recv': the server receives (curl POST /sha256)")
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for name in names:
    down = {s: cells.get((name, s), ("-", "-"))[0] for s in nics + ["linux"]}
    up = {s: cells.get((name, s), ("-", "-"))[1] for s in nics + ["linux"]}
    row = [name] + [down[n] for n in nics] + [down["linux"]] + [ratio(down[n], down["linux"]) for n in nics] \
        + [up[n] for n in nics] + [up["linux"]] + [ratio(up[n], up["linux"]) for n in nics]
    print("| " + " | ".join(row) + " |")
TABLE
failed=$(grep -c 'FAIL' "$results")
echo "impaired-tcp: $((SECONDS - started)) s, load $(cut -d' ' -f1-3 /proc/loadavg), $failed row(s) with a FAIL"
((failed == 0))
