#!/bin/bash
# Checks the dialtone .deb from the outside, as an administrator would meet it:
# lintian, its contents, a real installation on this machine (user, directories,
# units, config, man pages, the installed daemon), an upgrade that must keep the
# config and the history, removal that keeps data, and a purge that leaves nothing.
#
# Usage: Tests/packaging/test_deb.sh dist/dialtone_VERSION_ARCH.deb [Package.resolved]
# (the second: the SwiftPM pins the package was built with, whose licenses the
# copyright file must name; `make test-deb` passes them).
# Needs root, and refuses to run where dialtone is already installed: it installs
# and purges the package for real (CI machines are throw-away).
set -uo pipefail

deb=$(realpath "${1:?usage: $0 dist/dialtone_VERSION_ARCH.deb [Package.resolved]}")
resolved=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/test-deb.XXXXXX)
apt=(env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -y -q
    -o Dpkg::Options::=--force-confold)
failures=0
installed_by_us=no

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failures=$((failures + 1)); }
# check DESCRIPTION COMMAND...: runs COMMAND, records whether it succeeded.
check() {
    local what=$1
    shift
    if "$@" >"$work/out" 2>&1; then ok "$what"; else not_ok "$what"; sed 's/^/    /' "$work/out"; fi
}
# check_eq DESCRIPTION EXPECTED COMMAND...: COMMAND must print exactly EXPECTED.
check_eq() {
    local what=$1 expected=$2 got
    shift 2
    got=$("$@" 2>&1)
    if [ "$got" = "$expected" ]; then ok "$what"
    else not_ok "$what"; echo "    expected: $expected"; echo "    got:      $got"; fi
}
fatal() { not_ok "$*"; exit 1; }

cleanup() {
    if [ "$installed_by_us" = yes ] && dpkg-query -W dialtone >/dev/null 2>&1; then
        echo "# cleaning up: purging dialtone"
        "${apt[@]}" purge dialtone >/dev/null 2>&1 || dpkg --purge dialtone >/dev/null 2>&1
    fi
    rm -rf "$work"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || fatal "test_deb.sh installs the package for real and must run as root"
[ -f "$deb" ] || fatal "no package at $deb"
if dpkg-query -W -f='${db:Status-Status}' dialtone 2>/dev/null | grep -qv '^not-installed$'; then
    fatal "dialtone is already installed here; purge it first (apt-get purge dialtone)"
fi

version=$(dpkg-deb -f "$deb" Version)
upstream=${version%%-*}
echo "# testing $deb (version $version)"
if [ -d /run/systemd/system ]; then
    echo "# systemd is PID 1: the maintainer scripts will start the socket"
else
    echo "# systemd is not running (PID 1 is $(ps -p 1 -o comm=)): units are enabled, not started"
fi

# --- lintian --------------------------------------------------------------------
# Every warning must be fixed or overridden with its reason in
# packaging/debian/dialtone.lintian-overrides; errors are never overridden.
lintian --fail-on error,warning --display-info --show-overrides "$deb" >"$work/lintian" 2>&1
lintian_status=$?
sed 's/^/    lintian: /' "$work/lintian"
if [ "$lintian_status" = 0 ]; then ok "lintian: no errors, no unexplained warnings"
else not_ok "lintian failed (status $lintian_status)"; fi

# --- contents -------------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{ sub(/^\.\//, "/", $6); print $6 }' | sed 's:/$::' | sort >"$work/contents"
has_dialtonectl=no
grep -qx /usr/bin/dialtonectl "$work/contents" && has_dialtonectl=yes
expected=(
    /usr/bin/dialtoned
    /etc/dialtone/dialtone.json
    /lib/systemd/system/dialtone.socket
    /lib/systemd/system/dialtone-control.socket
    /lib/systemd/system/dialtone.service
    /usr/lib/tmpfiles.d/dialtone.conf
    /usr/lib/sysusers.d/dialtone.conf
    /usr/share/man/man8/dialtoned.8.gz
    /usr/share/man/man5/dialtone.json.5.gz
    /usr/share/man/man7/dialtone-protocol.7.gz
    /usr/share/doc/dialtone/copyright
    /usr/share/doc/dialtone/changelog.gz
    /usr/share/doc/dialtone/README.Debian
    /usr/share/doc/dialtone/systemd.md
)
if [ "$has_dialtonectl" = yes ]; then expected+=(/usr/share/man/man1/dialtonectl.1.gz); fi
for path in "${expected[@]}"; do
    check "package contains $path" grep -qx "$path" "$work/contents"
done
check "sio-conformance (a test fixture) is not shipped" bash -c "! grep -q sio-conformance '$work/contents'"
check "the state directory is not shipped (data belongs to the admin)" \
    bash -c "! grep -q '^/var/lib/dialtone' '$work/contents'"
check "/etc/dialtone/dialtone.json is a conffile" \
    bash -c "dpkg-deb --info '$deb' conffiles | grep -qx /etc/dialtone/dialtone.json"
check "the conffile is valid JSON with listen on 127.0.0.1 and auth none" python3 - "$deb" <<'EOF'
import json, subprocess, sys
text = subprocess.run(["dpkg-deb", "--fsys-tarfile", sys.argv[1]], capture_output=True, check=True).stdout
import io, tarfile
member = tarfile.open(fileobj=io.BytesIO(text)).extractfile("./etc/dialtone/dialtone.json")
config = json.load(member)
assert config["listen"].startswith("127.0.0.1:"), config["listen"]
assert config["auth"] == "none", config["auth"]
assert config["allow-remote-without-auth"] is False, config
EOF
mkdir -p "$work/unpacked"
dpkg-deb -x "$deb" "$work/unpacked"
if [ -n "$resolved" ]; then
    check "the copyright file names every Swift package linked in" python3 - "$resolved" \
        "$work/unpacked/usr/share/doc/dialtone/copyright" <<'EOF'
import json, sys
pins = [pin["identity"] for pin in json.load(open(sys.argv[1]))["pins"]]
copyright = open(sys.argv[2]).read()
missing = [name for name in pins if name not in copyright]
assert pins and not missing, f"not in debian/copyright: {missing}"
EOF
fi
check "dialtoned links no Swift runtime library (it is static)" \
    bash -c "! readelf -d '$work/unpacked/usr/bin/dialtoned' | grep -E 'NEEDED.*(swift|Foundation|dispatch|BlocksRuntime)'"
check "Depends has no Swift package" bash -c "! dpkg-deb -f '$deb' Depends | grep -qi swift"

# --- install --------------------------------------------------------------------
find_leftovers() {
    find /etc /var/lib /var/cache /run /lib/systemd /usr/lib /usr/share /usr/sbin /usr/bin \
        -xdev -name '*dialtone*' 2>/dev/null | sort
}
find_leftovers >"$work/before"

installed_by_us=yes
if "${apt[@]}" install "$deb" >"$work/install" 2>&1; then
    ok "apt-get install $deb"
else
    sed 's/^/    /' "$work/install"
    fatal "apt-get install $deb"
fi
grep -iE 'warning|error' "$work/install" | grep -v '^W: Download is performed unsandboxed' | sed 's/^/    install: /'

check "user dialtone: system account, home /var/lib/dialtone, no login shell" bash -c '
    IFS=: read -r name _ uid gid _ home shell < <(getent passwd dialtone)
    [ "$name" = dialtone ] && [ "$uid" -lt 1000 ] && [ "$home" = /var/lib/dialtone ] &&
    case "$shell" in */nologin|*/false) true ;; *) false ;; esac &&
    [ "$(getent group "$gid" | cut -d: -f1)" = dialtone ]'
check_eq "/var/lib/dialtone: dialtone:dialtone 750" "dialtone:dialtone 750" stat -c '%U:%G %a' /var/lib/dialtone
check_eq "/run/dialtone exists for the control socket, group dialtone" "directory dialtone" \
    stat -c '%F %G' /run/dialtone
check_eq "/etc/dialtone/dialtone.json: root:dialtone 640 (it may hold a secret)" "root:dialtone 640" \
    stat -c '%U:%G %a' /etc/dialtone/dialtone.json
for unit in dialtone.socket dialtone-control.socket; do
    check "$unit is enabled" test -L /etc/systemd/system/sockets.target.wants/$unit
done
check "dialtone.service is not enabled (the sockets start it)" \
    bash -c '! find /etc/systemd/system -name dialtone.service | grep -q .'
check "systemd-analyze verify accepts the installed units" systemd-analyze verify \
    /lib/systemd/system/dialtone.socket /lib/systemd/system/dialtone-control.socket \
    /lib/systemd/system/dialtone.service
check "every Documentation=file: link of the installed units resolves" python3 - <<'EOF'
import glob, os, re
links = []
for unit in glob.glob("/lib/systemd/system/dialtone*"):
    for line in open(unit):
        if line.startswith("Documentation="):
            links += re.findall(r"file:(\S+)", line)
missing = [path for path in links if not os.path.isfile(path)]
assert not missing, f"missing documentation: {missing}"
EOF
check "dialtone.socket listens on loopback only (the secure packaged default)" python3 - <<'EOF'
import re
lines = open("/lib/systemd/system/dialtone.socket").read().splitlines()
streams = [l.split("=", 1)[1].strip() for l in lines if re.match(r"\s*ListenStream\s*=", l)]
network = [s for s in streams if s and not s.startswith("/") and not s.startswith("@")]
assert network, f"no TCP ListenStream in {streams}"
for address in network:
    assert re.match(r"^(127\.\d+\.\d+\.\d+|\[::1\]|localhost):\d+$", address), f"{address} is not loopback"
EOF
check_eq "dialtoned --version from /usr/bin prints the package version" "dialtoned $upstream" \
    /usr/bin/dialtoned --version
check "dialtoned --check-config accepts the packaged config" \
    bash -c '/usr/bin/dialtoned --check-config --config /etc/dialtone/dialtone.json > '"$work"'/effective'
check "the effective listen address is the packaged loopback one" \
    grep -Eq '^listen = .*127\.0\.0\.1:8080' "$work/effective"
check "dialtone.json(5) shows the packaged file exactly" python3 - <<'EOF'
import gzip, json, re
page = gzip.open("/usr/share/man/man5/dialtone.json.5.gz", "rt").read()
example = re.search(r"The packaged file:\n\.PP\n\.RS\n\.nf\n(.*?)\n\.fi", page, re.S).group(1)
documented = json.loads(example.replace("\\-", "-"))
assert documented == json.load(open("/etc/dialtone/dialtone.json")), documented
EOF
check "the packaged config names every setting of dialtoned --check-config" python3 - "$work/effective" <<'EOF'
import json, sys
named = set(json.load(open("/etc/dialtone/dialtone.json")))
effective = {line.split(" = ", 1)[0] for line in open(sys.argv[1]) if " = " in line}
assert effective, "dialtoned --check-config printed no settings"
missing = effective - named - {"config"}
assert not missing, f"settings missing from the packaged config: {sorted(missing)}"
EOF
check "dialtone.json(5) documents every setting of dialtoned --check-config" python3 - "$work/effective" <<'EOF'
import gzip, re, sys
page = gzip.open("/usr/share/man/man5/dialtone.json.5.gz", "rt").read().replace("\\-", "-")
documented = set(re.findall(r"^\.BR ([a-z-]+) ", page, re.M))
effective = {line.split(" = ", 1)[0] for line in open(sys.argv[1]) if " = " in line}
missing = effective - documented - {"config"}
assert effective, "dialtoned --check-config printed no settings"
assert not missing, f"undocumented settings: {sorted(missing)}"
EOF

manpages=(dialtoned.8 dialtone.json.5 dialtone-protocol.7)
if [ "$has_dialtonectl" = yes ]; then
    manpages+=(dialtonectl.1)
    check "dialtonectl --help runs from /usr/bin" /usr/bin/dialtonectl --help
fi
for page in "${manpages[@]}"; do
    name=${page%.*} section=${page##*.}
    check "man $section $name renders without warnings" bash -c "
        file=\$(man -w $section $name) && [ \"\$file\" = /usr/share/man/man$section/$page.gz ] &&
        out=\$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 $section $name 2>&1 >/dev/null) &&
        [ -z \"\$out\" ] || { echo \"\$out\"; false; }"
done

# The daemon as the service runs it: user dialtone, state in /var/lib/dialtone.
check "the installed daemon runs as dialtone and saves its history in /var/lib/dialtone on SIGTERM" \
    "$here/run_installed.sh"

# --- upgrade --------------------------------------------------------------------
# A newer package made from this one: same files, higher version, so the maintainer
# scripts run their upgrade paths.
dpkg-deb -R "$deb" "$work/next"
sed -i "s/^Version: .*/Version: $version+upgradetest1/" "$work/next/DEBIAN/control"
dpkg-deb --root-owner-group -b "$work/next" "$work/next.deb" >/dev/null
python3 - <<'EOF'
import json
path = "/etc/dialtone/dialtone.json"
config = json.load(open(path))
config["ring-timeout"] = 45
json.dump(config, open(path, "w"), indent=4)
EOF
printf '{"marker": "kept across upgrade"}\n' >/var/lib/dialtone/history.json
chown dialtone:dialtone /var/lib/dialtone/history.json
if "${apt[@]}" install "$work/next.deb" >"$work/upgrade" 2>&1; then ok "upgrade to $version+upgradetest1"
else not_ok "upgrade to $version+upgradetest1"; sed 's/^/    /' "$work/upgrade"; fi
check "upgrade keeps the admin's config" \
    python3 -c 'import json; assert json.load(open("/etc/dialtone/dialtone.json"))["ring-timeout"] == 45'
check "upgrade keeps the history" grep -q "kept across upgrade" /var/lib/dialtone/history.json
check_eq "upgrade keeps the config's permissions" "root:dialtone 640" \
    stat -c '%U:%G %a' /etc/dialtone/dialtone.json

# --- remove, then purge -----------------------------------------------------------
if "${apt[@]}" remove dialtone >"$work/remove" 2>&1; then ok "apt-get remove dialtone"
else not_ok "apt-get remove dialtone"; sed 's/^/    /' "$work/remove"; fi
check "remove takes the daemon away" test ! -e /usr/bin/dialtoned
check "remove keeps the history" grep -q "kept across upgrade" /var/lib/dialtone/history.json
check "remove keeps the config" test -f /etc/dialtone/dialtone.json

if "${apt[@]}" purge dialtone >"$work/purge" 2>&1; then ok "apt-get purge dialtone"
else not_ok "apt-get purge dialtone"; sed 's/^/    /' "$work/purge"; fi
check "purge removes the state directory" test ! -e /var/lib/dialtone
check "purge removes the runtime directory" test ! -e /run/dialtone
check "purge removes /etc/dialtone" test ! -e /etc/dialtone
check "the dialtone user stays after purge (Debian practice; see docs/packaging.md)" getent passwd dialtone
find_leftovers >"$work/after"
check "purge leaves no file named dialtone behind" diff -u "$work/before" "$work/after"
installed_by_us=no

if [ "$failures" -gt 0 ]; then
    echo "# $failures check(s) failed"
    exit 1
fi
echo "# all checks passed"
