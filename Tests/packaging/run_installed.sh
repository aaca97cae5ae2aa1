#!/bin/bash
# Runs the installed /usr/bin/dialtoned as dialtone.service does (user and group
# dialtone, state in /var/lib/dialtone) on a free loopback port, checks it serves,
# and stops it with SIGTERM, on which it must save its history: the packaged user
# can use the state directory the package made. Called by test_deb.sh.
# (Socket activation itself is covered by the systemd integration tests; here the
# daemon binds its own sockets, so the control socket is put in a directory the
# dialtone user may write, unlike /run/dialtone, where systemd creates it.)
set -euo pipefail

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
scratch=$(mktemp -d /tmp/dialtoned-installed.XXXXXX)
chown dialtone:dialtone "$scratch"
if [ -e /var/lib/dialtone/history.json ]; then echo "history.json exists before the daemon ran"; exit 1; fi

env -i PATH=/usr/bin STATE_DIRECTORY=/var/lib/dialtone \
    setpriv --reuid=dialtone --regid=dialtone --init-groups \
    /usr/bin/dialtoned --listen "127.0.0.1:$port" --control-socket "$scratch/control.sock" --log-target stderr \
    >"$scratch/log" 2>&1 &
daemon=$!
stop() {
    if kill -0 "$daemon" 2>/dev/null; then kill -KILL "$daemon"; fi
    cat "$scratch/log"
    rm -rf "$scratch"
}
trap stop EXIT

for _ in $(seq 100); do
    if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
    kill -0 "$daemon" 2>/dev/null || { echo "dialtoned exited early"; exit 1; }
    sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/health" >/dev/null

kill -TERM "$daemon"
for _ in $(seq 100); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.2; done
if kill -0 "$daemon" 2>/dev/null; then echo "dialtoned still runs 20 s after SIGTERM"; exit 1; fi
status=0
wait "$daemon" || status=$?
test "$status" = 0 || { echo "dialtoned exited with $status after SIGTERM"; exit 1; }
saved=$(stat -c '%U:%G %a' /var/lib/dialtone/history.json)
test "$saved" = "dialtone:dialtone 640" || { echo "history.json after SIGTERM: $saved"; exit 1; }
rm -f /var/lib/dialtone/history.json
