"""A mail server in a few lines on smtpspec.server: accepts mail for one domain and prints each
message. `DOMAIN=example.com PORT=2525 python3 server.py` (PORT=0 picks a free port)."""

import asyncio
import os

from smtpspec import server

DOMAIN = os.environ.get("DOMAIN", "example.com").lower()


class Handler:
    async def hook_rcpt(self, event, conn):
        if event.argument.lower().endswith("@" + DOMAIN):
            return "OK"
        return {"verdict": "DENY", "code": 550, "status": "5.1.1", "message": "No such user here"}

    async def hook_queue(self, event, conn, message):
        t = conn.transaction
        print(f"From {t['mail_from'] or '<>'} to {', '.join(r['address'] for r in t['recipients'])}:")
        print(message.decode("utf-8", "replace"), flush=True)
        return "OK"


async def main():
    srv = await server.serve(Handler(), "127.0.0.1", int(os.environ.get("PORT", "2525")), hostname="mx." + DOMAIN)
    host, port = srv.sockets[0].getsockname()[:2]
    print(f"listening on {host}:{port}", flush=True)
    async with srv:
        await srv.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
