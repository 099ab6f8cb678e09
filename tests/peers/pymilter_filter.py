#!/usr/bin/python3
"""A pymilter (libmilter) filter for the peers tests: at end of message it makes one edit of every
kind our MTA-side session must report as a typed value. Usage: pymilter_filter.py PORT
(Debian's /usr/bin/python3: the `milter` module is not on other interpreters' paths)."""
import sys

import Milter

# What run_peers.py expects to receive, one packet each (the body: two REPLBODY packets, since
# libmilter splits a replacement body at 65535 octets).
NEW_BODY = b"replaced by pymilter\r\n" + b"x" * 70000 + b"\r\n"


class EditAll(Milter.Base):
    def envfrom(self, mailfrom, *params):
        self.rcpts, self.subject, self.body_octets = [], None, 0
        return Milter.CONTINUE

    def envrcpt(self, to, *params):
        self.rcpts.append(to)
        return Milter.CONTINUE

    def header(self, name, value):
        if name.lower() == "subject":
            self.subject = value
        return Milter.CONTINUE

    def body(self, chunk):
        self.body_octets += len(chunk)
        return Milter.CONTINUE

    def eom(self):
        # What it saw of the MTA side's HEADER and BODY packets, for run_peers.py to compare.
        seen = "subject=%r body=%d" % (self.subject, self.body_octets)
        self.addheader("X-Pymilter", seen)                           # SMFIR_ADDHEADER
        self.addheader("X-Pymilter-First", "inserted at 0", 0)       # SMFIR_INSHEADER, index 0
        self.chgheader("Subject", 1, "changed by pymilter")          # SMFIR_CHGHEADER, index 1
        self.chgfrom("<changed@example.org>", "BODY=8BITMIME")       # SMFIR_CHGFROM with ESMTP args
        self.addrcpt("<added@example.test>")                         # SMFIR_ADDRCPT
        self.addrcpt("<added-par@example.test>", "NOTIFY=NEVER")     # SMFIR_ADDRCPT_PAR
        self.delrcpt(self.rcpts[-1])                                 # SMFIR_DELRCPT
        self.replacebody(NEW_BODY)                                   # SMFIR_REPLBODY ×2
        self.quarantine("held by pymilter")                          # SMFIR_QUARANTINE
        return Milter.ACCEPT


def main():
    port = int(sys.argv[1])
    Milter.factory = EditAll
    Milter.set_flags(Milter.ADDHDRS | Milter.CHGHDRS | Milter.CHGFROM | Milter.ADDRCPT | Milter.ADDRCPT_PAR
                     | Milter.DELRCPT | Milter.MODBODY | Milter.QUARANTINE)
    print("listening on 127.0.0.1:%d" % port, flush=True)
    Milter.runmilter("smtpspec-peers", "inet:%d@127.0.0.1" % port, 60)


if __name__ == "__main__":
    main()
