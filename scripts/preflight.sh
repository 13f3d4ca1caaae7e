# Sourced by the scripts that run Linux in network namespaces of their own (interop.sh, impaired-tcp.sh,
# tap-vs-veth.sh). `preflight NAME TOOL...` prints one line, `SKIP NAME: why`, and exits 0 where the machine lacks
# root, /dev/net/tun, network namespaces or one of the tools; `skip WHY` does the same for a script's later checks.

skip()
{
    echo "SKIP $preflight_name: $*"
    exit 0
}

preflight_package()   # preflight_package TOOL: the Debian package that installs it
{
    case "$1" in
        ip) echo iproute2 ;;
        ping) echo iputils-ping ;;
        sha256sum) echo coreutils ;;
        *) echo "$1" ;;
    esac
}

preflight()
{
    preflight_name="$1"
    shift
    local tool probe="rs-probe-$$"
    ((EUID == 0)) || skip "needs root for TAP interfaces and network namespaces"
    [[ -c /dev/net/tun ]] || skip "no /dev/net/tun (tun module)"
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || skip "no '$tool' (package $(preflight_package "$tool"))"
    done
    ip netns add "$probe" 2>/dev/null || skip "cannot create a network namespace"
    ip netns delete "$probe"
}
