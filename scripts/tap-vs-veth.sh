#!/usr/bin/env bash
# HTTP throughput of `ringstack serve` on a Linux TAP against Linux itself over a veth pair, in one run: the same curl,
# in a network namespace of its own, downloads (GET /bytes/N) and uploads (POST /sha256) 10 MiB and 100 MiB, every
# transfer checked by SHA-256, from the engine behind each NIC model and straight on the TAP (direct:), and from a Linux
# HTTP server (scripts/interop/reference_http.py) in a second namespace across a veth pair, each server first warmed up
# by unmeasured 10 MiB downloads and uploads (--warm-ups, 30 by default: after ten 8 MiB downloads the JIT was still
# compiling the engine's sending path 2 s after `serve` started). Each transfer is repeated (3 times by default); prints
# the median MB/s of each and its ratio to the Linux<->Linux median, the median and p99 round trip of 100 pings 10 ms
# apart to each server (idle between them), and the load average before and after. Every transfer is bounded in time and
# everything is torn down in a trap; without root, /dev/net/tun, namespaces or a tool it prints one SKIP line and exits
# 0. Exits 1 when a transfer fails or a digest differs. With --journal each engine row is measured a second time with
# `serve --journal` (on the disk of the temporary directory), the journal closed by SIGTERM and then checked by
# `ringstack journal verify`, and a third table gives each journaled median over the same row without. The links
# "packet" and "packet-copy" put the E1000 model on one end of a veth pair through a packet socket instead of a TAP
# (`packet:IFNAME` on its PACKET_MMAP rings, `packet:IFNAME,rings=off` with a system call per frame), curl on the other
# end with its offloads off (ethtool), as a wire carries frames.
# Usage: scripts/tap-vs-veth.sh [--sizes "10 100"] [--links "e1000 virtio direct packet packet-copy"] [--repeat 3]
#                               [--journal] [--set NAME=VALUE]... [--warm-ups N]
#        --set is passed to `ringstack serve` (an engine setting, e.g. tcpReceiveBufferCapacity=4194304); ringstack runs
#        the host's congestion control, as the Linux server does (reno, cubic or bbr), unless --set names its
#        tcpCongestionControl. JAVA_OPTS is passed to the engine, e.g. to record it with JFR.
set -uo pipefail

sizes="10 100"
links="e1000 virtio direct"
repeat=3
warm_ups=30
journal=0
settings=()
while (($# > 0)); do
    case "$1" in
        --sizes) sizes="$2"; shift 2 ;;
        --links) links="$2"; shift 2 ;;
        --repeat) repeat="$2"; shift 2 ;;
        --warm-ups) warm_ups="$2"; shift 2 ;;
        --journal) journal=1; shift ;;
        --set) settings+=("--set" "$2"); shift 2 ;;
        *) echo "tap-vs-veth.sh: unknown option '$1'"\
" (expected --sizes, --links, --repeat, --journal, --set, --warm-ups)" >&2
           exit 2 ;;
    esac
done
[[ "$repeat" =~ ^[1-9][0-9]?$ ]] || { echo "tap-vs-veth.sh: --repeat takes 1 to 99, not '$repeat'" >&2; exit 2; }
[[ "$warm_ups" =~ ^[0-9]+$ ]] || { echo "tap-vs-veth.sh: --warm-ups takes a count, not '$warm_ups'" >&2; exit 2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
source "$root/scripts/preflight.sh"
preflight tap-vs-veth ip curl python3 sha256sum
launcher="$root/ringstack"
engine_ip=10.0.2.15
client_ip=10.0.2.2
reference_ip=10.0.4.1
reference_client_ip=10.0.4.2
transfer_seconds=120
work="$(mktemp -d)"
warm_payload="$work/warm-up"
head -c $((10 << 20)) /dev/urandom >"$warm_payload"
namespaces=()
pids=()

cleanup()
{
    local pid namespace
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    for namespace in "${namespaces[@]}"; do
        ip netns delete "$namespace" 2>/dev/null
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

new_namespace()   # new_namespace NAME: a namespace with lo up, deleted by the trap
{
    ip netns add "$1" || skip "cannot create a network namespace"
    namespaces+=("$1")
    ip netns exec "$1" ip link set lo up
}

wait_for()   # wait_for FILE PID WORD: until FILE holds WORD, PID has died, or 60 s have passed
{
    local _
    for _ in $(seq 1 120); do
        grep -q "$3" "$1" 2>/dev/null && return 0
        kill -0 "$2" 2>/dev/null || return 1
        sleep 0.5
    done
    return 1
}

"$launcher" --version >/dev/null || { echo "tap-vs-veth: the ringstack jar does not build or run" >&2; exit 1; }
failures=0
results="$work/results"
latencies="$work/latencies"

# transfer LABEL NAMESPACE URL_BASE MIB: one download and one upload of MIB MiB; appends "LABEL get|post MIB MB/s".
transfer()
{
    local label="$1" namespace="$2" base="$3" mib="$4" bytes=$(($4 << 20)) seconds got expected
    expected="$(python3 -c "import hashlib,sys; n=int(sys.argv[1]); b=bytes(range(251))*(n//251+1)
print(hashlib.sha256(b[:n]).hexdigest())" "$bytes")"
    seconds="$(ip netns exec "$namespace" curl -sS --max-time "$transfer_seconds" -o "$work/download" \
        -w '%{time_total}' "$base/bytes/$bytes")" || seconds=""
    got="$(sha256sum "$work/download" 2>/dev/null | cut -d' ' -f1)"
    rm -f "$work/download"
    if [[ -n "$seconds" && "$got" == "$expected" ]]; then
        echo "$label get $mib $(python3 -c "print('%.1f' % ($bytes / float('$seconds') / 1e6))")" >>"$results"
    else
        echo "FAIL $label GET $mib MiB: ${seconds:-curl failed}, sha256 ${got:-none}" >&2
        echo "$label get $mib FAIL" >>"$results"
        failures=$((failures + 1))
    fi
    head -c "$bytes" /dev/urandom >"$work/upload"
    expected="$(sha256sum "$work/upload" | cut -d' ' -f1)"
    got="$(ip netns exec "$namespace" curl -sS --max-time "$transfer_seconds" \
        -H 'Content-Type: application/octet-stream' --data-binary "@$work/upload" -w ' %{time_total}' \
        "$base/sha256")" || got=""
    rm -f "$work/upload"
    if [[ "${got%%[[:space:]]*}" == "$expected" ]]; then
        echo "$label post $mib $(python3 -c "print('%.1f' % ($bytes / float('${got##*[[:space:]]}') / 1e6))")" \
            >>"$results"
    else
        echo "FAIL $label POST $mib MiB: answer '${got:0:70}', expected $expected" >&2
        echo "$label post $mib FAIL" >>"$results"
        failures=$((failures + 1))
    fi
}

# warm_up NAMESPACE URL_BASE: $warm_ups unmeasured 10 MiB downloads and uploads, so that no row times a cold JIT
warm_up()
{
    local i
    for ((i = 0; i < warm_ups; i++)); do
        ip netns exec "$1" curl -sS --max-time "$transfer_seconds" -o /dev/null "$2/bytes/$((10 << 20))"
        ip netns exec "$1" curl -sS --max-time "$transfer_seconds" -o /dev/null --data-binary "@$warm_payload" \
            -H 'Content-Type: application/octet-stream' "$2/sha256"
    done
}

# latency LABEL NAMESPACE ADDRESS: 100 pings 10 ms apart, the server idle between them, as a request and its answer
# find it; appends "LABEL MEDIAN P99" (ms) to the latency results.
latency()
{
    local rtts
    rtts="$(ip netns exec "$2" ping -n -c 100 -i 0.01 -W 1 "$3" 2>/dev/null | sed -n 's/.*time=\([0-9.]*\) ms/\1/p')"
    if [[ -z "$rtts" ]]; then
        echo "FAIL $1: no answer to ping" >&2
        failures=$((failures + 1))
        return
    fi
    python3 -c "import sys; v = sorted(float(x) for x in sys.stdin.read().split())
print('$1 %.3f %.3f' % (v[len(v) // 2], v[min(len(v) - 1, int(len(v) * 0.99))]))" <<<"$rtts" >>"$latencies"
}

measure()   # measure LABEL NAMESPACE URL_BASE: the idle round trip, then every size, $repeat times
{
    local mib run
    latency "$1" "$2" "${3#http://}"
    for mib in $sizes; do
        for ((run = 0; run < repeat; run++)); do
            transfer "$1" "$2" "$3" "$mib"
        done
    done
}

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
started=$SECONDS

# Linux <-> Linux over a veth pair: the reference every engine row is divided by.
new_namespace "rsv-server-$$"
new_namespace "rsv-client-$$"
linux_cc="$(ip netns exec "rsv-server-$$" sysctl -n net.ipv4.tcp_congestion_control)"
# Both sides run the same congestion control, the host's, unless --set names ringstack's: the rows compare stacks
ringstack_cc="$linux_cc, as the host's"
if [[ " ${settings[*]} " == *" tcpCongestionControl="* ]]; then
    ringstack_cc="as --set gives it"
else
    case "$linux_cc" in
        reno) settings+=(--set tcpCongestionControl=0) ;;
        cubic) settings+=(--set tcpCongestionControl=1) ;;
        bbr) settings+=(--set tcpCongestionControl=2) ;;
        *) ringstack_cc="CUBIC, its default: it has no $linux_cc" ;;
    esac
fi
ip netns exec "rsv-server-$$" ip link add "rsvs$$" type veth peer name "rsvc$$" netns "rsv-client-$$"
ip netns exec "rsv-server-$$" ip addr add "$reference_ip/24" dev "rsvs$$"
ip netns exec "rsv-server-$$" ip link set "rsvs$$" up
ip netns exec "rsv-client-$$" ip addr add "$reference_client_ip/24" dev "rsvc$$"
ip netns exec "rsv-client-$$" ip link set "rsvc$$" up
ip netns exec "rsv-server-$$" python3 "$root/scripts/interop/reference_http.py" "$reference_ip" 80 \
    >"$work/reference.out" 2>&1 &
pids+=($!)
if wait_for "$work/reference.out" "${pids[-1]}" ready; then
    warm_up "rsv-client-$$" "http://$reference_ip"
    measure linux "rsv-client-$$" "http://$reference_ip"
else
    echo "FAIL the Linux reference server did not start: $(tail -n 2 "$work/reference.out")" >&2
    failures=$((failures + 1))
fi

# The engine on a TAP, Linux's curl in the namespace that holds it; with --journal once more, journaling.
modes="plain"
((journal)) && modes="plain journal"
for link in $links; do
    for mode in $modes; do
        label="$link"
        journaling=()
        if [[ "$mode" == journal ]]; then
            label="$link+journal"
            journaling=(--journal "$work/journal-$link")
        fi
        namespace="rsv-$link-$$"
        tap="rsv${link:0:1}${link:7:1}$$"
        new_namespace "$namespace"
        if [[ "$link" == packet* ]]; then
            command -v ethtool >/dev/null || skip "no 'ethtool' (package ethtool) for the packet links"
            ip netns exec "$namespace" ip link add "$tap" type veth peer name "${tap}e"
            ip netns exec "$namespace" ethtool -K "$tap" tx off sg off tso off gso off gro off >/dev/null 2>&1
            ip netns exec "$namespace" ip link set "${tap}e" up
        else
            ip netns exec "$namespace" ip tuntap add dev "$tap" mode tap
        fi
        ip netns exec "$namespace" ip addr add "$client_ip/24" dev "$tap"
        ip netns exec "$namespace" ip link set "$tap" up
        case "$link" in
            direct) options=(--nic e1000 --link "direct:tap:$tap") ;;
            packet) options=(--nic e1000 --link "packet:${tap}e") ;;
            packet-copy) options=(--nic e1000 --link "packet:${tap}e,rings=off") ;;
            *) options=(--nic "$link" --link "tap:$tap") ;;
        esac
        ip netns exec "$namespace" "$launcher" serve "${options[@]}" "${settings[@]}" "${journaling[@]}" \
            --services http --counters-dir "$work/counters" >"$work/serve-$label.out" 2>&1 &
        pids+=($!)
        if wait_for "$work/serve-$label.out" "${pids[-1]}" ready &&
            ip netns exec "$namespace" ping -c 1 -W 5 "$engine_ip" >/dev/null; then
            warm_up "$namespace" "http://$engine_ip"
            measure "$label" "$namespace" "http://$engine_ip"
        else
            echo "FAIL ringstack serve on $label did not answer: $(tail -n 2 "$work/serve-$label.out")" >&2
            failures=$((failures + 1))
        fi
        kill "${pids[-1]}" 2>/dev/null && wait "${pids[-1]}" 2>/dev/null
        unset 'pids[-1]'
        ip netns delete "$namespace"
        unset 'namespaces[-1]'
        if [[ "$mode" == journal ]]; then
            if ! "$launcher" journal verify "$work/journal-$link" >"$work/verify-$link.out" 2>&1; then
                echo "FAIL the journal of $label does not verify: $(tail -n 2 "$work/verify-$link.out")" >&2
                failures=$((failures + 1))
            fi
            rm -rf "$work/journal-$link"
        fi
    done
done

echo "tap-vs-veth: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average before $load_before," \
    "after $(cut -d' ' -f1-3 /proc/loadavg), $((SECONDS - started)) s; congestion control: Linux" \
    "$linux_cc, ringstack $ringstack_cc"
python3 - "$results" "$latencies" <<'TABLE'
import os
import statistics
import sys
speeds = {}
for label, direction, mib, speed in (line.split() for line in open(sys.argv[1])):
    speeds.setdefault((label, direction, mib), []).append(None if speed == "FAIL" else float(speed))
median = {key: statistics.median(v) if None not in v else None for key, v in speeds.items()}
names = {"linux": "Linux <-> Linux, veth", "e1000": "ringstack serve --nic e1000, TAP",
         "virtio": "ringstack serve --nic virtio, TAP", "direct": "ringstack serve, direct:tap",
         "packet": "ringstack serve --nic e1000, packet rings", "packet-copy": "ringstack serve --nic e1000, packet"}
names.update({label + "+journal": names[label] + ", journaled" for label in list(names) if label != "linux"})
print("| %-44s | %-8s | %5s | %4s | %11s | %7s |" % ("server", "transfer", "MiB", "runs", "median MB/s", "x Linux"))
print("|%s|%s|%s|%s|%s|%s|" % ("-" * 46, "-" * 10, "-" * 7, "-" * 6, "-" * 13, "-" * 9))
for (label, direction, mib), value in median.items():
    base = median.get(("linux", direction, mib))
    print("| %-44s | %-8s | %5s | %4d | %11s | %7s |" % (
        names.get(label, label), "download" if direction == "get" else "upload", mib,
        len(speeds[(label, direction, mib)]), "FAIL" if value is None else "%.1f" % value,
        "%.2f" % (value / base) if value and base else "-"))
journaled = [(key, value) for key, value in median.items() if key[0].endswith("+journal")]
if journaled:
    print()
    print("| %-44s | %-8s | %5s | %19s |" % ("server, journaled", "transfer", "MiB", "x without journal"))
    print("|%s|%s|%s|%s|" % ("-" * 46, "-" * 10, "-" * 7, "-" * 21))
    for (label, direction, mib), value in journaled:
        base = median.get((label[:-len("+journal")], direction, mib))
        print("| %-44s | %-8s | %5s | %19s |" % (names[label], "download" if direction == "get" else "upload", mib,
            "%.2f" % (value / base) if value and base else "-"))
if os.path.exists(sys.argv[2]):
    rtts = {label: (float(median_ms), float(p99_ms)) for label, median_ms, p99_ms in
            (line.split() for line in open(sys.argv[2]))}
    print()
    print("| %-44s | %14s | %11s | %7s |" % ("server, ping every 10 ms", "median RTT ms", "p99 RTT ms", "x Linux"))
    print("|%s|%s|%s|%s|" % ("-" * 46, "-" * 16, "-" * 13, "-" * 9))
    base = rtts.get("linux", (0, 0))[0]
    for label, (median_ms, p99_ms) in rtts.items():
        print("| %-44s | %14.3f | %11.3f | %7s |" % (names.get(label, label), median_ms, p99_ms,
            "%.2f" % (median_ms / base) if base else "-"))
TABLE
((failures == 0))
