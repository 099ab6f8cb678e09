"""aiosmtpd (Debian python3-aiosmtpd) for bench/serve/run.sh: accepts every recipient, discards the
message. Run with /usr/bin/python3."""
import asyncio
import sys

from aiosmtpd.smtp import SMTP


class Discard:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


def main():
    port = int(sys.argv[1])
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(loop.create_server(lambda: SMTP(Discard()), "127.0.0.1", port))
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    main()
