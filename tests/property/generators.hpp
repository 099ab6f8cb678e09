// RapidCheck generators for valid RFC 5321 values. Each generator returns the text it produced
// together with what a correct parser must report for it.
#pragma once
#include <rapidcheck.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "smtpspec/smtpspec.hpp"

namespace gens {

inline const std::string alpha = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
inline const std::string digit = "0123456789";
inline const std::string let_dig = alpha + digit;
inline const std::string ldh = let_dig + "-";
inline const std::string atext = let_dig + "!#$%&'*+-/=?^_`{|}~";  // RFC 5322 §3.2.3
inline const std::string hexdig = "0123456789abcdefABCDEF";

inline rc::Gen<char> one_of(const std::string& chars) { return rc::gen::elementOf(chars); }

inline rc::Gen<std::string> chars(const std::string& set, int min, int max) {
  return rc::gen::exec([set, min, max] {
    const int n = *rc::gen::inRange(min, max + 1);
    return *rc::gen::container<std::string>(static_cast<std::size_t>(n), one_of(set));
  });
}

// sub-domain = Let-dig [Ldh-str]; Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig
inline rc::Gen<std::string> label(int max = 63) {
  return rc::gen::exec([max] {
    const int n = *rc::gen::weightedOneOf<int>(
        {{8, rc::gen::inRange(1, std::min(max, 10) + 1)}, {1, rc::gen::inRange(1, max + 1)}});
    std::string s(1, *one_of(let_dig));
    if (n >= 2) {
      s += *chars(ldh, n - 2, n - 2);
      s += *one_of(let_dig);
    }
    return s;
  });
}

// Domain = sub-domain *("." sub-domain), at most `max` octets (default the §4.5.3.1.2 limit).
inline rc::Gen<std::string> domain_name(std::size_t max = 255) {
  return rc::gen::exec([max] {
    const int labels = *rc::gen::inRange(1, 6);
    std::string d = *label(static_cast<int>(std::min<std::size_t>(63, max)));
    for (int i = 1; i < labels; ++i) {
      const std::string l = *label();
      if (d.size() + 1 + l.size() > max) break;
      d += "." + l;
    }
    if (*rc::gen::inRange(0, 20) == 0) {  // now and then, right at the limit
      while (d.size() + 2 <= max) d += (d.size() + 2 < max ? ".a" : ".b");
    }
    return d;
  });
}

inline rc::Gen<std::string> snum() {
  return rc::gen::exec([] {
    const int v = *rc::gen::inRange(0, 256);
    std::string s = std::to_string(v);
    if (*rc::gen::inRange(0, 8) == 0) {  // leading zeros: still 1*3DIGIT
      const int pad = *rc::gen::inRange(0, 4 - static_cast<int>(s.size()));
      s.insert(0, static_cast<std::size_t>(pad), '0');
    }
    return s;
  });
}

// IPv4-address-literal = Snum 3("." Snum)
inline rc::Gen<std::string> ipv4() {
  return rc::gen::exec([] { return *snum() + "." + *snum() + "." + *snum() + "." + *snum(); });
}

inline rc::Gen<std::string> hexgroup() { return chars(hexdig, 1, 4); }

inline std::string join_groups(const std::vector<std::string>& g) {
  std::string s;
  for (std::size_t i = 0; i < g.size(); ++i) s += (i ? ":" : "") + g[i];
  return s;
}

// IPv6-addr = IPv6-full / IPv6-comp / IPv6v4-full / IPv6v4-comp, within the §4.1.3 group counts.
inline rc::Gen<std::string> ipv6() {
  return rc::gen::exec([] {
    auto groups = [](int n) {
      std::vector<std::string> g;
      for (int i = 0; i < n; ++i) g.push_back(*hexgroup());
      return g;
    };
    switch (*rc::gen::inRange(0, 4)) {
      case 0:
        return join_groups(groups(8));
      case 1: {
        const int total = *rc::gen::inRange(0, 7);  // no more than 6 besides "::"
        const int before = *rc::gen::inRange(0, total + 1);
        return join_groups(groups(before)) + "::" + join_groups(groups(total - before));
      }
      case 2:
        return join_groups(groups(6)) + ":" + *ipv4();
      default: {
        const int total = *rc::gen::inRange(0, 5);  // no more than 4 besides "::" and IPv4
        const int before = *rc::gen::inRange(0, total + 1);
        const auto after = groups(total - before);
        return join_groups(groups(before)) + "::" + join_groups(after) + (after.empty() ? "" : ":") + *ipv4();
      }
    }
  });
}

struct domain_case {
  std::string text;
  smtpspec::domain_kind kind = smtpspec::domain_kind::name;
  std::string address;  // literal content after the tag
};

inline std::ostream& operator<<(std::ostream& os, const domain_case& d) { return os << d.text; }

inline rc::Gen<domain_case> domain(std::size_t max = 255) {
  return rc::gen::exec([max] {
    switch (*rc::gen::weightedElement<int>({{6, 0}, {1, 1}, {1, 2}})) {
      case 1: {
        const auto a = *ipv4();
        return domain_case{"[" + a + "]", smtpspec::domain_kind::ipv4, a};
      }
      case 2: {
        const auto a = *ipv6();
        return domain_case{"[IPv6:" + a + "]", smtpspec::domain_kind::ipv6, a};
      }
      default:
        return domain_case{*domain_name(max), smtpspec::domain_kind::name, {}};
    }
  });
}

struct local_case {
  std::string text;   // as written
  std::string value;  // quoting removed
  bool quoted = false;
};

inline std::ostream& operator<<(std::ostream& os, const local_case& l) { return os << l.text; }

// Dot-string = Atom *("." Atom), at most 64 octets.
inline rc::Gen<local_case> dot_string() {
  return rc::gen::exec([] {
    const int atoms = *rc::gen::inRange(1, 4);
    std::string s = *chars(atext, 1, 20);
    for (int i = 1; i < atoms; ++i) {
      const auto a = *chars(atext, 1, 20);
      if (s.size() + 1 + a.size() > 64) break;
      s += "." + a;
    }
    return local_case{s, s, false};
  });
}

// Quoted-string = DQUOTE *QcontentSMTP DQUOTE, at most 64 octets as written.
inline rc::Gen<local_case> quoted_string() {
  return rc::gen::exec([] {
    const int n = *rc::gen::inRange(0, 25);
    std::string text = "\"", value;
    for (int i = 0; i < n; ++i) {
      if (*rc::gen::inRange(0, 4) == 0) {  // quoted-pairSMTP = %d92 %d32-126
        const char c = static_cast<char>(*rc::gen::inRange(32, 127));
        text += '\\';
        text += c;
        value += c;
      } else {  // qtextSMTP = %d32-33 / %d35-91 / %d93-126
        char c = static_cast<char>(*rc::gen::inRange(32, 127));
        if (c == '"' || c == '\\') c = ' ';
        text += c;
        value += c;
      }
    }
    text += '"';
    return local_case{text, value, true};
  });
}

inline rc::Gen<local_case> local_part() {
  return rc::gen::weightedOneOf<local_case>({{4, dot_string()}, {1, quoted_string()}});
}

struct mailbox_case {
  local_case local;
  domain_case dom;
  [[nodiscard]] std::string text() const { return local.text + "@" + dom.text; }
};

inline std::ostream& operator<<(std::ostream& os, const mailbox_case& m) { return os << m.text(); }

inline rc::Gen<mailbox_case> mailbox(std::size_t max_domain = 255) {
  return rc::gen::exec([max_domain] { return mailbox_case{*local_part(), *domain(max_domain)}; });
}

struct path_case {
  std::string text;
  smtpspec::path_kind kind = smtpspec::path_kind::mailbox;
  std::vector<std::string> route;
  mailbox_case mbox;
};

inline std::ostream& operator<<(std::ostream& os, const path_case& p) { return os << p.text; }

// Path = "<" [ A-d-l ":" ] Mailbox ">" within 256 octets, plus "<>", "<Postmaster>".
inline rc::Gen<path_case> path(bool allow_null = true, bool allow_postmaster = true) {
  return rc::gen::exec([allow_null, allow_postmaster] {
    const int pick = *rc::gen::inRange(0, 12);
    if (pick == 0 && allow_null) return path_case{"<>", smtpspec::path_kind::null, {}, {}};
    if (pick == 1 && allow_postmaster) {
      const auto pm = *rc::gen::element<std::string>("Postmaster", "postmaster", "POSTMASTER");
      return path_case{"<" + pm + ">", smtpspec::path_kind::postmaster, {}, {}};
    }
    path_case p;
    std::string route;
    if (pick != 2 && *rc::gen::inRange(0, 5) == 0) {  // A-d-l; never before Postmaster@
      const int hops = *rc::gen::inRange(1, 4);
      for (int i = 0; i < hops; ++i) {
        const auto d = *domain_name(40);  // At-domain = "@" Domain: no address literals
        p.route.push_back(d);
        route += (i ? ",@" : "@") + d;
      }
      route += ":";
    }
    // Keep "<" route mailbox ">" within the 256-octet path limit (local parts are <= 64; the
    // longest address literal is 52 octets, which always fits what is left).
    const std::size_t used = 2 + route.size() + 1 + 64;
    const std::size_t max_domain = used < 256 ? std::min<std::size_t>(255, 256 - used) : 1;
    p.mbox = *mailbox(max_domain);
    if (pick == 2) {  // "<Postmaster@" Domain ">" (§4.1.1.3): a Domain, not an address literal
      const auto pm = *rc::gen::element<std::string>("Postmaster", "postmaster", "POSTMASTER");
      const domain_case name{*domain_name(max_domain), smtpspec::domain_kind::name, {}};
      p.mbox = mailbox_case{local_case{pm, pm, false}, name};
      p.kind = smtpspec::path_kind::postmaster_at_domain;
    }
    p.text = "<" + route + p.mbox.text() + ">";
    return p;
  });
}

// A verb in random letter case (verbs are case-insensitive, §2.4).
inline rc::Gen<std::string> spelled(smtpspec::verb v) {
  return rc::gen::exec([v] {
    std::string s(smtpspec::to_string(v));
    if (*rc::gen::inRange(0, 3) == 0)
      for (auto& c : s)
        if (*rc::gen::inRange(0, 2) == 0) c = static_cast<char>(c - 'A' + 'a');
    return s;
  });
}

// esmtp-param = esmtp-keyword ["=" esmtp-value], keywords distinct ignoring case. The keywords
// start with "X" (private extensions, RFC 5321 §2.2.2): any other unknown keyword is a 555 error
// in strict, and the known ones have typed values of their own (params_property_test.cpp).
inline rc::Gen<std::string> params() {
  return rc::gen::exec([] {
    const int n = *rc::gen::inRange(0, 5);
    std::vector<std::string> seen;
    std::string out;
    for (int i = 0; i < n; ++i) {
      std::string kw = "X" + *chars(let_dig + "-", 0, 9);
      std::string upper = kw;
      for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (std::find(seen.begin(), seen.end(), upper) != seen.end()) continue;
      seen.push_back(upper);
      out += " " + kw;
      if (*rc::gen::inRange(0, 4) != 0) {
        std::string value_chars;
        for (int c = 33; c <= 126; ++c)
          if (c != 61) value_chars += static_cast<char>(c);  // %d33-60 / %d62-126
        out += "=" + *chars(value_chars, 1, 20);
      }
    }
    return out;
  });
}

// String = Atom / Quoted-string
inline rc::Gen<std::string> string_arg() {
  return rc::gen::oneOf(chars(atext, 1, 20), rc::gen::map(quoted_string(), [](const local_case& l) { return l.text; }));
}

inline std::string base64(const std::string& bytes) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += {tbl[v >> 18], tbl[(v >> 12) & 63], tbl[(v >> 6) & 63], tbl[v & 63]};
  }
  if (bytes.size() - i == 1) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += {tbl[v >> 18], tbl[(v >> 12) & 63], '=', '='};
  } else if (bytes.size() - i == 2) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += {tbl[v >> 18], tbl[(v >> 12) & 63], tbl[(v >> 6) & 63], '='};
  }
  return out;
}

struct command_case {
  std::string text;  // without CRLF
  smtpspec::verb verb = smtpspec::verb::noop;
};

inline std::ostream& operator<<(std::ostream& os, const command_case& c) { return os << c.text; }

// A valid command line in its canonical spelling (single SP, "FROM:"/"TO:" upper case).
inline rc::Gen<command_case> command() {
  return rc::gen::exec([] {
    const auto verbs = smtpspec::all_verbs();
    const smtpspec::verb v = *rc::gen::elementOf(std::vector<smtpspec::verb>(verbs.begin(), verbs.end()));
    std::string s = *spelled(v);
    using smtpspec::verb;
    switch (v) {
      case verb::ehlo: case verb::lhlo: s += " " + (*domain()).text; break;
      case verb::helo: s += " " + *domain_name(); break;
      case verb::mail: s += " FROM:" + (*path(true, false)).text + *params(); break;
      case verb::rcpt: s += " TO:" + (*path(false, true)).text + *params(); break;
      case verb::vrfy: case verb::expn: s += " " + *string_arg(); break;
      case verb::help: case verb::noop:
        if (*rc::gen::inRange(0, 2) == 0) s += " " + *string_arg();
        break;
      case verb::auth: {
        s += " " + *chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_", 1, 20);
        const int ir = *rc::gen::inRange(0, 3);
        if (ir == 1) s += " =";
        if (ir == 2) {
          const int n = *rc::gen::inRange(1, 31);
          s += " " + base64(*rc::gen::container<std::string>(static_cast<std::size_t>(n), rc::gen::arbitrary<char>()));
        }
        break;
      }
      case verb::bdat: {
        const auto size = *rc::gen::oneOf(rc::gen::inRange<std::uint64_t>(0, 100000),
                                          rc::gen::inRange<std::uint64_t>(0, (std::uint64_t{1} << 53)));
        s += " " + std::to_string(size);
        if (*rc::gen::inRange(0, 2) == 0) s += " LAST";
        break;
      }
      default: break;  // DATA RSET QUIT STARTTLS
    }
    return command_case{s, v};
  });
}

}  // namespace gens
