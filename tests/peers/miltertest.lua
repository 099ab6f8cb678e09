-- miltertest (OpenDKIM's MTA simulator) drives an example filter through one transaction.
-- Run: miltertest -D SOCK=inet:PORT@127.0.0.1 [-D LABEL=Python] -s miltertest.lua
-- LABEL is the example's language as its header names it (default C++).
-- A Lua error() exits 1 without a message, so every check prints what failed first.

local function check(ok, what)
  if not ok then
    mt.echo("miltertest FAIL: " .. what)
    error(what)
  end
  mt.echo("miltertest ok: " .. what)
end

local function expect_reply(conn, want, what)
  local got = mt.getreply(conn)
  check(got == want, what .. " (reply '" .. string.char(math.floor(got)) .. "')")
end

local label = LABEL or "C++"
mt.set_timeout(10)
local conn = mt.connect(SOCK, 40, 0.25)
check(conn ~= nil, "connect to " .. SOCK)

-- Everything libmilter defines is offered (v6, actions 0x1FF, protocol 0x1FFFFF); the example asks
-- for ADDHDRS only and no protocol bit.
check(mt.negotiate(conn, nil, nil, nil) == nil, "negotiate")
check(mt.test_action(conn, SMFIF_ADDHDRS), "filter requested SMFIF_ADDHDRS")
check(not mt.test_action(conn, SMFIF_CHGBODY), "filter did not request SMFIF_CHGBODY")

check(mt.conninfo(conn, "client.example.org", "192.0.2.7") == nil, "conninfo")
expect_reply(conn, SMFIR_CONTINUE, "CONNECT answered CONTINUE")
check(mt.helo(conn, "client.example.org") == nil, "helo")
expect_reply(conn, SMFIR_CONTINUE, "HELO answered CONTINUE")
check(mt.mailfrom(conn, "<sender@example.org>", "BODY=8BITMIME") == nil, "mailfrom")
expect_reply(conn, SMFIR_CONTINUE, "MAIL answered CONTINUE")

check(mt.macro(conn, SMFIC_RCPT, "i", "MT0QUEUE1") == nil, "macro i at RCPT")
check(mt.rcptto(conn, "<user@example.test>") == nil, "rcptto user")
expect_reply(conn, SMFIR_CONTINUE, "RCPT user@ answered CONTINUE")
check(mt.rcptto(conn, "<blocked@example.test>") == nil, "rcptto blocked")
expect_reply(conn, SMFIR_REPLYCODE, "RCPT blocked@ answered REPLYCODE")
check(mt.rcptto(conn, "<BLOCKED@other.example>") == nil, "rcptto BLOCKED (other case, other domain)")
expect_reply(conn, SMFIR_REPLYCODE, "RCPT BLOCKED@ answered REPLYCODE")

check(mt.data(conn) == nil, "data")
expect_reply(conn, SMFIR_CONTINUE, "DATA answered CONTINUE")
check(mt.header(conn, "From", "Sender <sender@example.org>") == nil, "header From")
expect_reply(conn, SMFIR_CONTINUE, "HEADER answered CONTINUE")
check(mt.header(conn, "Subject", "miltertest") == nil, "header Subject")
expect_reply(conn, SMFIR_CONTINUE, "HEADER answered CONTINUE")
check(mt.eoh(conn) == nil, "eoh")
expect_reply(conn, SMFIR_CONTINUE, "EOH answered CONTINUE")
check(mt.bodystring(conn, "Hello from miltertest.\r\n") == nil, "bodystring")
expect_reply(conn, SMFIR_CONTINUE, "BODY answered CONTINUE")
check(mt.eom(conn) == nil, "eom")
expect_reply(conn, SMFIR_ACCEPT, "EOM answered ACCEPT")

check(mt.eom_check(conn, MT_HDRADD, "X-Smtpspec-Filter"), "EOM added X-Smtpspec-Filter")
check(mt.eom_check(conn, MT_HDRADD, "X-Smtpspec-Filter", "example (" .. label .. "); queue-id=MT0QUEUE1"),
      "X-Smtpspec-Filter carries the queue ID from macro i")
check(not mt.eom_check(conn, MT_BODYCHANGE), "EOM did not replace the body")
check(not mt.eom_check(conn, MT_RCPTDELETE, "<user@example.test>"), "EOM did not delete user@")

mt.disconnect(conn)
mt.echo("miltertest: all checks passed")
