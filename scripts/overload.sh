#!/usr/bin/env bash
# Overload of `ringstack serve` over a real TAP in a network namespace of its own: N concurrent curl requests
# (200 and 1000 by default) and a SYN flood from spoofed on-link sources (10.0.2.3-254), sent by --senders parallel
# processes, each its own slice of the sources and of the ports. Prints the load average during and after each
# step, the server's RSS before and after the flood, a ping's round trip and a legitimate curl's connect time
# during and after it, the TAP's drop counters and the server's non-zero drop and ARP counters.
# Needs root, /dev/net/tun, curl, ping and python3.
# Usage: scripts/overload.sh [--nic e1000|virtio] [--clients "200 1000"] [--syns 200000] [--senders 2]
set -euo pipefail

nic=e1000
clients="200 1000"
syns=200000
senders=2
while [[ $# -gt 0 ]]; do
    case "$1" in
        --nic) nic="$2"; shift 2 ;;
        --clients) clients="$2"; shift 2 ;;
        --syns) syns="$2"; shift 2 ;;
        --senders) senders="$2"; shift 2 ;;
        *) echo "overload.sh: unknown option '$1' (expected --nic, --clients, --syns, --senders)" >&2; exit 2 ;;
    esac
done
[[ "$senders" =~ ^[1-9][0-9]*$ && "$senders" -le 252 ]] || { echo "overload.sh: --senders takes 1 to 252" >&2; exit 2; }
[[ $EUID -eq 0 ]] || { echo "overload.sh: needs root for a namespace and a TAP" >&2; exit 2; }
for tool in curl python3 ip ping; do
    command -v "$tool" >/dev/null || { echo "overload.sh: $tool not found" >&2; exit 2; }
done

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
ns="rsovl$$"
tap="rsovl$$"
work="$(mktemp -d)"
serve_pid=""
sender_pids=()

cleanup()
{
    for pid in "${sender_pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
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
load() { cut -d' ' -f1-3 /proc/loadavg; }

for n in $clients; do
    : >"$work/codes"
    start=$(date +%s.%N)
    for i in $(seq 1 "$n"); do
        in_ns curl -s -o /dev/null --max-time 60 -w '%{http_code} %{time_total}\n' http://10.0.2.15/ \
            >>"$work/codes" 2>/dev/null &
    done
    load_during=$(load)
    wait $(jobs -p | grep -v "^$serve_pid\$") 2>/dev/null || true
    end=$(date +%s.%N)
    printf '%s concurrent curl: ' "$n"
    awk -v n="$n" -v s="$start" -v e="$end" '{c[$1]++; if ($2 > m) m = $2}
        END {printf "%d answered in %.1f s (slowest %.2f s):", NR, e - s, m; for (k in c) printf " %s=%d", k, c[k];
             printf " (000 = no HTTP answer)\n"}' "$work/codes"
    echo "  load average when the last curl had started: $load_during; after: $(load)"
done

rss_before=$(rss_kib)
cat >"$work/synflood.py" <<'PY'
# Sender SENDER of SENDERS: COUNT SYNs to 10.0.2.15:80 from its slice of the sources 10.0.2.3-254 (every
# SENDERS-th) and of the source ports, with random sequence numbers. The TCP checksum is the pseudo-header's and
# the fixed fields' sum, computed once per source, plus the random fields; the kernel fills in the IP checksum.
# A send the kernel refuses (its queue toward the TAP full) is counted, not retried.
import random, socket, struct, sys
count, sender, senders = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
sources = [a for a in range(3, 255) if (a - 3) % senders == sender]
ports = range(1024 + sender * ((65536 - 1024) // senders), 1024 + (sender + 1) * ((65536 - 1024) // senders))
dst = socket.inet_aton('10.0.2.15')
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
def fold(t):
    while t >> 16:
        t = (t & 0xffff) + (t >> 16)
    return t
def fixed_sum(src):
    b = src + dst + struct.pack('!BBH', 0, 6, 20) + struct.pack('!HIBBHH', 80, 0, 5 << 4, 0x02, 65535, 0)
    return sum(struct.unpack('!%dH' % (len(b) // 2), b))
templates = [(src, fixed_sum(src)) for src in (socket.inet_aton('10.0.2.%d' % a) for a in sources)]
rnd = random.Random(sender + 1)
pack, sendto, randrange, getrandbits = struct.pack, s.sendto, rnd.randrange, rnd.getrandbits
first, span, n = ports.start, len(ports), len(templates)
refused = 0
for i in range(count):
    src, base = templates[i % n]
    sport = first + randrange(span)
    seq = getrandbits(32)
    csum = ~fold(base + sport + (seq >> 16) + (seq & 0xffff)) & 0xffff
    try:
        sendto(pack('!BBHHHBBH4s4sHHIIBBHHH', 0x45, 0, 40, 0, 0, 64, 6, 0, src, dst,
                    sport, 80, seq, 0, 5 << 4, 0x02, 65535, csum, 0), ('10.0.2.15', 0))
    except OSError:
        refused += 1
print(refused)
PY
tap_drops() { in_ns cat "/sys/class/net/$tap/statistics/tx_dropped"; }
tap_drops_before=$(tap_drops)
flood_start=$(date +%s.%N)
for k in $(seq 0 $((senders - 1))); do
    in_ns python3 "$work/synflood.py" $(( syns / senders + (k < syns % senders ? 1 : 0) )) "$k" "$senders" \
        >"$work/refused.$k" &
    sender_pids+=($!)
done
sleep 1
connect=$(in_ns curl -s -o /dev/null --max-time 30 -w '%{http_code} connect %{time_connect} s total %{time_total} s' \
    http://10.0.2.15/ || true)
ping_during=$(in_ns ping -c 5 -i 0.2 -W 2 10.0.2.15 | tail -1 || true)
load_during=$(load)
for pid in "${sender_pids[@]}"; do
    wait "$pid" || true
done
sender_pids=()
flood_end=$(date +%s.%N)
refused=$(cat "$work"/refused.* | awk '{n += $1} END {print n + 0}')
sleep 2
rss_after=$(rss_kib)
echo "SYN flood: $syns spoofed SYNs from $senders senders in" \
    "$(awk -v s="$flood_start" -v e="$flood_end" 'BEGIN {printf "%.1f", e - s}') s" \
    "($refused refused by the kernel's queue to the TAP, $(( $(tap_drops) - tap_drops_before )) dropped at the TAP);" \
    "RSS before $((rss_before / 1024)) MiB, after $((rss_after / 1024)) MiB"
echo "  during it: legitimate curl $connect; ping $ping_during; load average $load_during"
after=$(in_ns curl -s -o /dev/null --max-time 30 -w '%{http_code} connect %{time_connect} s total %{time_total} s' \
    http://10.0.2.15/ || true)
echo "  after it:  legitimate curl $after; ping $(in_ns ping -c 5 -i 0.2 -W 2 10.0.2.15 | tail -1 || true);" \
    "load average $(load)"
kill "$serve_pid" && wait "$serve_pid" 2>/dev/null || true
serve_pid=""
echo "server counters (non-zero drops, ARP and SYN cookies):"
grep -E "drop_[a-z_]+=[1-9]|arp_[a-z_]+=[1-9]|tcp_syn_cookies[a-z_]*=[1-9]|tcp_arp_queue_full=[1-9]" "$work/serve.log" \
    | sort -u | sed 's/^/  /' || true
