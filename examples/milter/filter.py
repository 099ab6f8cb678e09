#!/usr/bin/env python3
"""An example milter filter on smtpspec's filter-side session (smtpspec.milter.FilterSession):

  * adds "X-Smtpspec-Filter: example (Python)[; queue-id=…]" to every message it accepts;
  * rejects the recipient blocked@<any domain> with "550 5.7.1 …".

Usage: filter.py [PORT]   (no PORT or 0: any free port). It listens on 127.0.0.1 only, prints
"listening on 127.0.0.1:PORT" when ready, serves each MTA connection on its own thread and runs until
killed. Postfix: smtpd_milters = inet:127.0.0.1:PORT.
"""
import socket
import sys
import threading

import smtpspec
from smtpspec import milter


def is_blocked(rcpt):
    """RCPT args[0] is the address as the client wrote it, angle brackets included ("<a@b>")."""
    path = smtpspec.parse_path(rcpt.args[0], role="forward") if rcpt.args else None
    return (path is not None and path.ok and path.value.kind == "mailbox"
            and path.value.mailbox.local_part_value.lower() == "blocked")


def on_event(session, event):
    """The filter's answer to one command. An error event is the session's word that the MTA broke
    the protocol; the session is closed then and the connection ends."""
    if event.kind == "error":
        print("filter: protocol error", event.error, file=sys.stderr, flush=True)
    if event.kind != "command" or not event.reply_expected:
        return
    command = event.packet.type
    if command == "SMFIC_RCPT" and is_blocked(event.packet):
        error = session.reply_code(550, "5.7.1", ["Recipient blocked by the smtpspec example filter"])
    elif command == "SMFIC_BODYEOB":
        value = "example (Python)"
        queue_id = session.macro("i")  # Postfix's queue ID, when sent
        if queue_id is not None:
            value += "; queue-id=" + queue_id
        error = session.add_header("X-Smtpspec-Filter", value) or session.reply("SMFIR_ACCEPT")
    else:
        error = session.reply("SMFIR_CONTINUE")
    if error:
        print("filter: cannot answer:", error, file=sys.stderr, flush=True)


def serve(conn):
    """One MTA connection: bytes in, events, replies out, until QUIT, EOF, a protocol error or five
    minutes of silence."""
    conn.settimeout(300)
    session = milter.FilterSession(actions=milter.SMFIF["ADDHDRS"])
    with conn:
        while not session.closed:
            try:
                data = conn.recv(65536)
            except OSError:  # timeout or reset: a reply still due becomes a session error
                data = b""
            for event in session.feed(data) if data else session.finish():
                on_event(session, event)
            try:
                conn.sendall(session.take_output())
            except OSError:
                return


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    server = socket.create_server(("127.0.0.1", port))
    print("listening on 127.0.0.1:%d" % server.getsockname()[1], flush=True)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    main()
