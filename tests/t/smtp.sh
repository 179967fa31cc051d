# smtp.sh - a real SMTP server for scenario scripts; source it after lib.sh.
#
# aiosmtpd runs under the system interpreter (a python3 earlier on PATH may
# lack the module) on a free loopback port and stores every message it
# accepts in the Maildir $SMTP_MAILDIR.  The server is stopped when the
# script exits.  A script that needs the server calls smtp_require first,
# which skips it (exit 77) when aiosmtpd is missing.
SMTP_PY=/usr/bin/python3
SMTP_MAILDIR="$T_DIR/mail"
SMTP_PID=
SMTP_PORT=

smtp_require() {
  "$SMTP_PY" -c 'import aiosmtpd' 2>/dev/null && return 0
  echo "skip: $SMTP_PY has no aiosmtpd (scripts/setup.sh installs python3-aiosmtpd)"
  exit 77
}

# A loopback port nothing listens on.
smtp_free_port() {
  "$SMTP_PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

smtp_listening() {
  "$SMTP_PY" - "$SMTP_PORT" <<'PY'
import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1).close()
except OSError:
    sys.exit(1)
PY
}

# smtp_start: start the server on $SMTP_PORT (chosen when unset) and wait
# until it accepts connections.
smtp_start() {
  [ -n "$SMTP_PORT" ] || SMTP_PORT=$(smtp_free_port)
  "$SMTP_PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" -c aiosmtpd.handlers.Mailbox \
    "$SMTP_MAILDIR" >>"$T_DIR/smtp.log" 2>&1 &
  SMTP_PID=$!
  local i
  for i in $(seq 100); do
    smtp_listening && return 0
    kill -0 "$SMTP_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "SMTP server did not start on port $SMTP_PORT:" >&2
  cat "$T_DIR/smtp.log" >&2
  exit 1
}

smtp_stop() {
  [ -n "$SMTP_PID" ] || return 0
  kill "$SMTP_PID" 2>/dev/null
  wait "$SMTP_PID" 2>/dev/null
  SMTP_PID=
}

# The number of messages the server accepted.
smtp_count() {
  find "$SMTP_MAILDIR/new" "$SMTP_MAILDIR/cur" -type f 2>/dev/null | wc -l
}

trap 'smtp_stop; rm -rf "$T_DIR"' EXIT
