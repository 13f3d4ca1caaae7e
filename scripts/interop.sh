#!/usr/bin/env bash
# Linux interop: `ringstack serve`, then `ringstack connect` and `ringstack get`, on each NIC model over a TAP
# interface in a network namespace of their own, checked by the Linux kernel and its tools (scripts/interop/probe.py);
# every session is journaled and every journal must replay `identical` (serve's also through the other NIC model, and
# its pcapng export must read in tshark as the session was). Prints a PASS/FAIL table and exits 1 on any
# FAIL; where root, /dev/net/tun, network namespaces or a tool are missing it prints one SKIP line and exits 0.
# Path MTU: a second namespace reaches the engine through the first, which routes onto a veth of MTU 1280.
# A run named NIC/udp puts the engine on the UDP-datagram link instead, bridged to the same TAP by `ringstack relay`
# (the set-up for machines where the engine may not open the TAP itself).
# Usage: scripts/interop.sh [e1000|virtio|e1000/udp|virtio/udp ...]   (default: e1000 virtio e1000/udp);
# INTEROP_KEEP=DIR keeps serve's pcapng exports there.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
runs=("$@")
(($# == 0)) && runs=(e1000 virtio e1000/udp)
engine_ip=10.0.2.15
linux_ip=10.0.2.2
engine_mac=52:54:00:12:34:56
far_ip=10.0.3.2
router_far_ip=10.0.3.1
hop_mtu=1280
# A reason here turns the path-MTU checks' FAIL into XFAIL (a known gap); empty, they count like every check.
pmtud_expected_failure=""
# A reason here turns the FAIL of one NIC's check that its serve journal replays through the other model into XFAIL.
# VirtIO-net takes TCP segments of up to 64 KiB whole from the TAP (GUEST_TSO4); the E1000 model, as the 8254x, has no
# receive offload and takes no frame longer than its buffers, so such a journal diverges through it at the first one.
declare -A cross_model_expected_failure=(
    [virtio]="the E1000 model cannot receive the 64 KiB segments VirtIO's GUEST_TSO4 took from the TAP"
)

source "$root/scripts/preflight.sh"
preflight interop ip ping curl python3

work="$(mktemp -d)"
namespace=""
far_namespace=""
serve_pid=""
relay_pid=""
link=""
cleanup()
{
    [[ -n "$serve_pid" ]] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
    [[ -n "$relay_pid" ]] && kill "$relay_pid" 2>/dev/null && wait "$relay_pid" 2>/dev/null
    [[ -n "$far_namespace" ]] && ip netns delete "$far_namespace" 2>/dev/null
    [[ -n "$namespace" ]] && ip netns delete "$namespace" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

launcher="$root/ringstack"
"$launcher" --version >/dev/null || { echo "FAIL interop: the ringstack jar does not build or run"; exit 1; }
results="$work/results"
started=$SECONDS

record()   # record NIC LINE...: keep the probe's PASS/FAIL/XFAIL lines, tagged with the NIC
{
    local nic="$1"
    shift
    local line
    for line in "$@"; do
        [[ "$line" =~ ^X?(PASS|FAIL)\  ]] && printf '%s\t%s\n' "$nic" "$line" >>"$results"
    done
}

# check_path_mtu NIC DIR: the namespace of the TAP becomes a router to a far namespace over a veth whose MTU is
# $hop_mtu; the far namespace's route to the engine advertises an MSS for 1500 bytes (advmss 1460), so the engine's
# full-size segments reach the router, which must answer them with ICMP fragmentation needed.
check_path_mtu()
{
    local nic="$1" dir="$2" near="rsn${1:0:1}$$" far="rsf${1:0:1}$$" options=()
    far_namespace="rsi-far-${nic/\//-}-$$"
    ip netns add "$far_namespace"
    ip netns exec "$far_namespace" ip link set lo up
    ip netns exec "$namespace" sysctl -qw net.ipv4.ip_forward=1
    ip netns exec "$namespace" ip link add "$near" mtu "$hop_mtu" type veth peer name "$far" netns "$far_namespace"
    ip netns exec "$namespace" ip addr add "$router_far_ip/24" dev "$near"
    ip netns exec "$namespace" ip link set "$near" up
    ip netns exec "$far_namespace" ip link set "$far" mtu "$hop_mtu" up
    ip netns exec "$far_namespace" ip addr add "$far_ip/24" dev "$far"
    ip netns exec "$far_namespace" ip route add "${engine_ip%.*}.0/24" via "$router_far_ip" advmss 1460
    [[ -n "$pmtud_expected_failure" ]] && options=(--expect-fail "$pmtud_expected_failure")
    mapfile -t lines < <(ip netns exec "$far_namespace" python3 "$root/scripts/interop/probe.py" pmtud \
        --target "$engine_ip" --mtu "$hop_mtu" "${options[@]}" 2>&1)
    printf '%s\n' "${lines[@]}" >"$dir/probe-pmtud.out"
    record "$nic" "${lines[@]}"
    ip netns delete "$far_namespace"
    far_namespace=""
}

check_replay()   # check_replay NIC NAME DIR
{
    local out
    out="$("$launcher" journal replay "$3" 2>&1)"
    if grep -q identical <<<"$out"; then
        record "$1" "PASS journal replay $2: identical"
    else
        record "$1" "FAIL journal replay $2: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
    fi
}

other_model()   # other_model NIC: the NIC model that did not record the journal
{
    [[ "${1%/*}" == e1000 ]] && echo virtio || echo e1000
}

await_ready()   # await_ready PID FILE: until FILE says ready, the process exits, or 60 s pass
{
    for _ in $(seq 1 120); do
        grep -q "ready" "$2" 2>/dev/null && return 0
        kill -0 "$1" 2>/dev/null || return 1
        sleep 0.5
    done
    return 1
}

# start_relay RUN DIR: for a NIC/udp run, `ringstack relay` between the engine's UDP-datagram link and the TAP, in the
# namespace, with no impairment; sets link, the engine's --link, and relay_pid. Not called in a command substitution:
# its subshell would keep relay_pid, and the relay would outlive the run.
start_relay()
{
    local run="$1" dir="$2"
    if [[ "$run" != */udp ]]; then
        link="tap:$tap"
        return
    fi
    local engine_port=$((20000 + $$ % 20000)) relay_port=$((20001 + $$ % 20000))
    ip netns exec "$namespace" "$launcher" relay --a "udp:127.0.0.1:$relay_port,127.0.0.1:$engine_port" \
        --b "tap:$tap" --counters-dir "$dir/counters" >"$dir/relay.out" 2>&1 &
    relay_pid=$!
    await_ready "$relay_pid" "$dir/relay.out" || echo "relay not ready: $(tail -n 2 "$dir/relay.out")" >&2
    link="udp:127.0.0.1:$engine_port,127.0.0.1:$relay_port"
}

# check_serve_journal NIC DIR: the serve session's journal replays through the other NIC model too, and its pcapng
# export reads in tshark as the session was: no frame written twice (no false retransmission or duplicate ACK), no
# missing segment, the 10 MiB download and upload whole (scripts/interop/capture_check.py).
check_serve_journal()
{
    local nic="$1" journal="$2/journals/serve" other out
    other="$(other_model "$nic")"
    out="$("$launcher" journal replay --device "$other" "$journal" 2>&1)"
    if grep -q identical <<<"$out"; then
        record "$nic" "PASS journal replay serve through the other NIC model: identical on $other"
    elif [[ -n "${cross_model_expected_failure[$nic]:-}" ]]; then
        record "$nic" "XFAIL journal replay serve through the other NIC model: known gap, \
${cross_model_expected_failure[$nic]}: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
    else
        record "$nic" "FAIL journal replay serve through the other NIC model: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
    fi
    if ! command -v tshark >/dev/null 2>&1; then
        echo "SKIP pcapng checks ($nic): no tshark (package tshark)"
        return
    fi
    if ! out="$("$launcher" journal export "$journal" "$2/serve.pcapng" 2>&1)"; then
        record "$nic" "FAIL journal export serve: $out"
        return
    fi
    mapfile -t lines < <(python3 "$root/scripts/interop/capture_check.py" "$2/serve.pcapng" --peer "$linux_ip" \
        --size $((10 << 20)) 2>&1)
    [[ -n "${INTEROP_KEEP:-}" ]] && cp "$2/serve.pcapng" "$INTEROP_KEEP/serve-$nic.pcapng"
    printf '%s\n' "${lines[@]}" >"$2/capture-check.out"
    record "$nic" "${lines[@]}"
}

for run in "${runs[@]}"; do
    nic="${run%/*}"
    namespace="rsi-${run/\//-}-$$"
    tap="rsi${run:0:1}${run#"$nic"}$$"
    tap="${tap/\//}"
    dir="$work/${run/\//-}"
    mkdir -p "$dir/counters" "$dir/journals"
    ip netns add "$namespace"
    ip netns exec "$namespace" ip link set lo up
    ip netns exec "$namespace" ip tuntap add dev "$tap" mode tap
    ip netns exec "$namespace" ip addr add "$linux_ip/24" dev "$tap"
    ip netns exec "$namespace" ip link set "$tap" up
    start_relay "$run" "$dir"

    # serve, checked from Linux
    ip netns exec "$namespace" "$launcher" serve --nic "$nic" --link "$link" --mac "$engine_mac" \
        --counters-dir "$dir/counters" --journal "$dir/journals/serve" >"$dir/serve.out" 2>&1 &
    serve_pid=$!
    if await_ready "$serve_pid" "$dir/serve.out"; then
        mapfile -t lines < <(ip netns exec "$namespace" python3 "$root/scripts/interop/probe.py" serve \
            --target "$engine_ip" --source "$linux_ip" --tap "$tap" --mac "$engine_mac" \
            --stat "$launcher stat --all $dir/counters" 2>&1)
        printf '%s\n' "${lines[@]}" >"$dir/probe-serve.out"
        record "$run" "${lines[@]}"
        check_path_mtu "$run" "$dir"
    else
        record "$run" "FAIL ringstack serve: not ready: $(tail -n 2 "$dir/serve.out" | tr '\n' ' ')"
    fi
    kill "$serve_pid" 2>/dev/null
    wait "$serve_pid" 2>/dev/null
    serve_pid=""
    check_replay "$run" serve "$dir/journals/serve"
    check_serve_journal "$run" "$dir"

    # connect and get, against Linux servers
    mapfile -t lines < <(ip netns exec "$namespace" python3 "$root/scripts/interop/probe.py" client \
        --address "$linux_ip" --journals "$dir/journals" \
        --ringstack "$launcher" --options "--nic $nic --link $link --mac $engine_mac --counters-dir $dir/counters" \
        2>&1)
    printf '%s\n' "${lines[@]}" >"$dir/probe-client.out"
    record "$run" "${lines[@]}"
    for journal in "$dir/journals"/*; do
        [[ "$(basename "$journal")" == serve || "$(basename "$journal")" == connect-refused ]] && continue
        check_replay "$run" "$(basename "$journal")" "$journal"
    done
    if [[ -n "$relay_pid" ]]; then
        kill "$relay_pid" 2>/dev/null
        wait "$relay_pid" 2>/dev/null
        relay_pid=""
    fi
    ip netns delete "$namespace"
    namespace=""
done

# The table: one row per check, one column per NIC model.
python3 - "$results" "${runs[@]}" <<'TABLE'
import sys
rows, nics = {}, sys.argv[2:]
for line in open(sys.argv[1]):
    nic, text = line.rstrip("\n").split("\t", 1)
    verdict, rest = text.split(" ", 1)
    name, _, detail = rest.partition(": ")
    rows.setdefault(name, {})[nic] = (verdict, detail)
width = max(len(n) for n in rows) if rows else 10
print("%-*s  %s" % (width, "check", "  ".join("%-10s" % n for n in nics)))
for name, cells in rows.items():
    print("%-*s  %s" % (width, name, "  ".join("%-10s" % cells.get(n, ("MISSING",))[0] for n in nics)))
TABLE
grep -P '\t(X?FAIL) ' "$results" | sed 's/^/  /'
passed=$(grep -cP '\tPASS ' "$results")
failed=$(grep -cP '\tFAIL ' "$results")
expected=$(grep -cP '\tXFAIL ' "$results")
echo "interop: $passed PASS, $failed FAIL, $expected XFAIL (known gaps, not failures) in $((SECONDS - started)) s"
((failed == 0 && passed > 0))
