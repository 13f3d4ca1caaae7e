#!/usr/bin/env bash
# How fast the journal tools run end to end, as a user runs them: writes a classic pcap of N 60-byte UDP datagrams
# from 10.0.2.2 to 10.0.2.15 port 7 (no socket there: each is dropped as UDP_NO_SOCKET, and the ICMP rate limit
# answers a few), 1 us apart, with scripts/journal-speed/capture.py; imports it with `ringstack journal import`
# (one duty cycle per frame: a CYCLE and an RX_FRAME record each), then times `journal verify`, `replay`,
# `dump` (into a file in DIR), `export` and `stats` on that journal. Each command is timed from its start to its exit, JVM
# start included, in wall and processor seconds (every thread's user and system time: the figure to compare on a
# loaded machine), and its rate is records (frames for replay) per wall second; replay also prints its own rate,
# without the JVM's start and the journal's opening. Prints the load average before and after. Exits 1 when a
# command fails or the replay is not identical.
# Usage: scripts/journal-speed.sh [--frames 1000000] [--dir DIR]
#        DIR (default: a new temporary directory, removed at the end) is kept when given; JAVA_OPTS is passed to
#        every command, e.g. to record one with JFR.
set -uo pipefail

frames=1000000
dir=""
while (($# > 0)); do
    case "$1" in
        --frames) frames="$2"; shift 2 ;;
        --dir) dir="$2"; shift 2 ;;
        *) echo "journal-speed.sh: unknown option '$1' (expected --frames, --dir)" >&2
           exit 2 ;;
    esac
done
[[ "$frames" =~ ^[1-9][0-9]*$ ]] || { echo "journal-speed.sh: --frames takes a positive count, not '$frames'" >&2; exit 2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
launcher="$root/ringstack"
command -v python3 >/dev/null 2>&1 || { echo "journal-speed.sh: python3 is needed to write the capture" >&2; exit 2; }
if [[ -z "$dir" ]]; then
    dir="$(mktemp -d)"
    trap 'rm -rf "$dir"' EXIT
else
    mkdir -p "$dir" || exit 2
fi
capture="$dir/udp-$frames.pcap"
journal="$dir/journal"
rm -rf "$journal" "$dir/export.pcapng"

# Build the launcher's jar first, so that no timing includes a build.
"$launcher" --version >/dev/null || exit 1
python3 "$root/scripts/journal-speed/capture.py" "$capture" "$frames" || exit 1
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

failed=0
# timed NAME COUNT UNIT ARGS...: run `ringstack journal ARGS`, print its wall and processor seconds (user and system,
# every thread) and COUNT UNIT per wall second.
timed()
{
    local name="$1" count="$2" unit="$3" seconds rc
    shift 3
    seconds=$( { TIMEFORMAT='%R %U %S'
                 time { "$launcher" journal "$@" >"$dir/$name.out" 2>"$dir/$name.err"; echo $? >"$dir/$name.rc"; }
               } 2>&1 )
    rc=$(<"$dir/$name.rc")
    if ((rc != 0)); then
        echo "$name: exit $rc: $(tail -1 "$dir/$name.err")"
        failed=1
        return
    fi
    awk -v name="$name" -v count="$count" -v unit="$unit" -v t="$seconds" 'BEGIN {
        split(t, s, " ")
        printf "%-8s %8.3f s wall %7.3f s cpu  %6.2f M %s/s\n", name, s[1], s[2] + s[3], count / s[1] / 1e6, unit }'
}

timed import "$frames" frames import "$capture" "$journal"
records=$("$launcher" journal stats --json "$journal" 2>/dev/null | python3 -c \
    'import json, sys; print(json.load(sys.stdin)["records"])' 2>/dev/null)
[[ -n "$records" ]] || { echo "journal-speed.sh: cannot count the journal's records" >&2; exit 1; }
echo "journal: $frames frames, $records records, $(du -sh "$journal" | cut -f1)"
timed verify "$records" records verify "$journal"
timed replay "$frames" frames replay "$journal"
grep -q '^identical' "$dir/replay.out" || { echo "replay: $(head -1 "$dir/replay.out")"; failed=1; }
echo "         replay's own figure: $(sed -n 's/.*compared (\(.*\))$/\1/p' "$dir/replay.out")"
timed dump "$records" records dump "$journal"
timed export "$records" records export "$journal" "$dir/export.pcapng"
timed stats "$records" records stats "$journal"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $failed
