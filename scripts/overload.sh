#!/usr/bin/env bash
# Overload of `ringstack serve` over a real TAP in a network namespace of its own: N concurrent curl requests
# (200 and 1000 by default) and a SYN flood from spoofed on-link sources, with the server's RSS before and after
# and a legitimate client's connect time during the flood. Needs root, /dev/net/tun, curl and python3.
# Usage: scripts/overload.sh [--nic e1000|virtio] [--clients "200 1000"] [--syns 200000]
set -euo pipefail

nic=e1000
clients="200 1000"
syns=200000
while [[ $# -gt 0 ]]; do
    case "$1" in
        --nic) nic="$2"; shift 2 ;;
        --clients) clients="$2"; shift 2 ;;
        --syns) syns="$2"; shift 2 ;;
        *) echo "overload.sh: unknown option '$1' (expected --nic, --clients, --syns)" >&2; exit 2 ;;
    esac
done
[[ $EUID -eq 0 ]] || { echo "overload.sh: needs root for a namespace and a TAP" >&2; exit 2; }
for tool in curl python3 ip; do
    command -v "$tool" >/dev/null || { echo "overload.sh: $tool not found" >&2; exit 2; }
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
ns="rsovl$$"
tap="rsovl$$"
work="$(mktemp -d)"
serve_pid=""

cleanup()
{
    [[ -n "$serve_pid" ]] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
ip netns exec "$ns" ip tuntap add dev "$tap" mode tap
ip netns exec "$ns" "$root/ringstack" serve --nic "$nic" --link "tap:$tap" --services http \
    --counters-dir "$work/counters" >"$work/serve.log" 2>&1 &
serve_pid=$!
for _ in $(seq 1 600); do
    grep -q -i "serving\|ready\|listening" "$work/serve.log" 2>/dev/null && break
    kill -0 "$serve_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.1
done
ip netns exec "$ns" ip addr add 10.0.2.2/24 dev "$tap"
ip netns exec "$ns" ip link set "$tap" up
ip netns exec "$ns" ping -c 1 -W 5 10.0.2.15 >/dev/null || { echo "overload.sh: no answer to ping" >&2; exit 1; }
java_pid="$(pgrep -P "$serve_pid" java || echo "$serve_pid")"
rss_kib() { awk '/VmRSS/ {print $2}' "/proc/$java_pid/status"; }

in_ns() { ip netns exec "$ns" "$@"; }

for n in $clients; do
    : >"$work/codes"
    start=$(date +%s.%N)
    for i in $(seq 1 "$n"); do
        in_ns curl -s -o /dev/null --max-time 60 -w '%{http_code} %{time_total}\n' http://10.0.2.15/ \
            >>"$work/codes" 2>/dev/null &
    done
    wait $(jobs -p | grep -v "^$serve_pid\$") 2>/dev/null || true
    end=$(date +%s.%N)
    printf '%s concurrent curl: ' "$n"
    awk -v n="$n" -v s="$start" -v e="$end" '{c[$1]++; if ($2 > m) m = $2}
        END {printf "%d answered in %.1f s (slowest %.2f s):", NR, e - s, m; for (k in c) printf " %s=%d", k, c[k];
             printf " (000 = no HTTP answer)\n"}' "$work/codes"
done

rss_before=$(rss_kib)
cat >"$work/synflood.py" <<'PY'
import random, socket, struct, sys
count = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
def csum(b):
    if len(b) % 2: b += b'\0'
    t = sum(struct.unpack('!%dH' % (len(b) // 2), b)); t = (t >> 16) + (t & 0xffff); t += t >> 16
    return ~t & 0xffff
dst = socket.inet_aton('10.0.2.15')
rnd = random.Random(1)
for i in range(count):
    src = socket.inet_aton('10.0.2.%d' % rnd.randint(3, 254))
    sport = rnd.randint(1024, 65535)
    tcp = struct.pack('!HHIIBBHHH', sport, 80, rnd.getrandbits(32), 0, 5 << 4, 0x02, 65535, 0, 0)
    tcp = tcp[:16] + struct.pack('!H', csum(src + dst + struct.pack('!BBH', 0, 6, 20) + tcp)) + tcp[18:]
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 40, i & 0xffff, 0, 64, 6, 0, src, dst)
    s.sendto(ip + tcp, ('10.0.2.15', 0))
PY
flood_start=$(date +%s.%N)
in_ns python3 "$work/synflood.py" "$syns" &
flood=$!
sleep 1
connect=$(in_ns curl -s -o /dev/null --max-time 30 -w '%{http_code} connect %{time_connect} s total %{time_total} s' \
    http://10.0.2.15/ || true)
wait "$flood"
flood_end=$(date +%s.%N)
sleep 2
rss_after=$(rss_kib)
echo "SYN flood: $syns spoofed SYNs in $(awk -v s="$flood_start" -v e="$flood_end" 'BEGIN {printf "%.1f", e - s}') s;" \
    "RSS before $((rss_before / 1024)) MiB, after $((rss_after / 1024)) MiB; legitimate curl during it: $connect"
after=$(in_ns curl -s -o /dev/null --max-time 30 -w '%{http_code} connect %{time_connect} s' http://10.0.2.15/ || true)
echo "after the flood: $after"
kill "$serve_pid" && wait "$serve_pid" 2>/dev/null || true
serve_pid=""
echo "server counters (non-zero drops):"
grep -E "drop_[a-z_]+=[1-9]" "$work/serve.log" | sort -u | sed 's/^/  /' || true
