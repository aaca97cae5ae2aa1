#!/bin/bash
# Runs the installed /usr/sbin/dialtoned the way dialtone.service does (user and group
# dialtone, state in /var/lib/dialtone, control socket in /run/dialtone) on a free
# loopback port, asks it to save its history, and stops it with SIGTERM. Proves the
# packaged user can use the directories the package made. Called by test_deb.sh.
set -euo pipefail

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp /tmp/dialtoned-installed.XXXXXX)
control=/run/dialtone/control.sock

setpriv --reuid=dialtone --regid=dialtone --init-groups \
    env -i PATH=/usr/sbin:/usr/bin STATE_DIRECTORY=/var/lib/dialtone RUNTIME_DIRECTORY=/run/dialtone \
    /usr/sbin/dialtoned --listen "127.0.0.1:$port" --control-socket "$control" --log-target stderr \
    >"$log" 2>&1 &
daemon=$!
stop() {
    if kill -0 "$daemon" 2>/dev/null; then kill -KILL "$daemon"; fi
    cat "$log"
    rm -f "$log"
}
trap stop EXIT

for _ in $(seq 100); do
    if curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1; then break; fi
    kill -0 "$daemon" 2>/dev/null || { echo "dialtoned exited early"; exit 1; }
    sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/health" >/dev/null

test "$(stat -c '%U:%G %a' "$control")" = "dialtone:dialtone 660" \
    || { echo "control socket: $(stat -c '%U:%G %a' "$control")"; exit 1; }
python3 - "$control" <<'EOF'
import json, socket, sys
with socket.socket(socket.AF_UNIX) as s:
    s.settimeout(10)
    s.connect(sys.argv[1])
    s.sendall(b'{"jsonrpc": "2.0", "id": 1, "method": "history.save"}\n')
    answer = json.loads(s.makefile().readline())
assert "result" in answer, answer
EOF
test "$(stat -c '%U:%G' /var/lib/dialtone/history.json)" = dialtone:dialtone

kill -TERM "$daemon"
status=0
for _ in $(seq 100); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.2; done
kill -0 "$daemon" 2>/dev/null && { echo "dialtoned still runs 20 s after SIGTERM"; exit 1; }
wait "$daemon" || status=$?
test "$status" = 0 || { echo "dialtoned exited with $status after SIGTERM"; exit 1; }
rm -f /var/lib/dialtone/history.json
