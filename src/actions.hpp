// Grammar actions: record views into the input as rules succeed. Internal.
#pragma once
#include <charconv>

#include "internal.hpp"
#include "smtpspec/grammar/lenient.hpp"

namespace smtpspec::detail {
namespace g = smtpspec::grammar::rfc5321;
namespace gl = smtpspec::grammar::lenient;

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

template <typename In>
inline std::string_view view(const In& in) noexcept {
  return {in.begin(), in.size()};
}

// --- domains and address literals ---------------------------------------------------------
template <>
struct action<g::Domain> {
  template <typename In>
  static void apply(const In& in, state& st) {
    st.dom = domain{view(in), domain_kind::name, {}, {}};
  }
};
template <>
struct action<gl::trailing_dot> {
  template <typename In>
  static void apply(const In& in, state& st) {
    st.diag(diagnostic_id::trailing_dot_domain, in.begin());
  }
};
template <>
struct action<gl::Domain_l> {
  template <typename In>
  static void apply(const In& in, state& st) {
    st.dom.text = view(in);  // as written, trailing dot included
  }
};
template <>
struct action<g::IPv4_address_literal> {
  template <typename In>
  static void apply(const In& in, state& st) {
    st.lit_kind = domain_kind::ipv4;
    st.lit_tag = {};
    st.lit_addr = view(in);
  }
};
template <>
struct action<g::IPv6_addr> {
  template <typename In>
  static void apply(const In& in, state& st) {
    st.lit_kind = domain_kind::ipv6;
    st.lit_tag = std::string_view(in.begin() - 5, 4);  // "IPv6" as written
    st.lit_addr = view(in);
  }
};
template <>
struct action<g::General_address_literal> {
  template <typename In>
  static void apply(const In& in, state& st) {
    const auto v = view(in);
    const auto colon = v.find(':');
    st.lit_kind = domain_kind::general;
    st.lit_tag = v.substr(0, colon);
    st.lit_addr = v.substr(colon + 1);
  }
};
template <>
struct action<g::address_literal> {
  template <typename In>
  static void apply(const In& in, state& st) {
    st.dom = domain{view(in), st.lit_kind, st.lit_tag, st.lit_addr};
  }
};
template <>
struct action<gl::helo_literal> {
  template <typename In>
  static void apply(const In& in, state& st) {
    st.dom = domain{view(in), st.lit_kind, st.lit_tag, st.lit_addr};
    st.diag(diagnostic_id::helo_address_literal, in.begin());
  }
};
template <>
struct action<gl::helo_text> {
  template <typename In>
  static void apply(const In& in, state& st) {
    st.dom = domain{view(in), domain_kind::name, {}, {}};
    st.diag(diagnostic_id::invalid_helo_domain, in.begin());
  }
};

// --- mailboxes and paths --------------------------------------------------------------------
template <>
struct action<g::Local_part> {
  template <typename In>
  static void apply(const In& in, state& st) {
    st.local = view(in);
  }
};
template <typename In>
inline void finish_mailbox(const In& in, state& st) {
  st.mbox.text = view(in);
  st.mbox.local_part = st.local;
  st.mbox.local_kind = (!st.local.empty() && st.local.front() == '"') ? local_part_kind::quoted_string
                                                                       : local_part_kind::dot_string;
  st.mbox.domain = st.dom;
}
template <>
struct action<g::Mailbox> {
  template <typename In>
  static void apply(const In& in, state& st) {
    finish_mailbox(in, st);
  }
};
template <>
struct action<gl::Mailbox_l> {
  template <typename In>
  static void apply(const In& in, state& st) {
    finish_mailbox(in, st);
  }
};
template <>
struct action<g::open_angle> {
  template <typename In>
  static void apply(const In&, state& st) {
    st.route.clear();
  }
};
template <typename In>
inline void push_route(const In&, state& st) {
  st.route.push_back(st.dom);
}
template <>
struct action<g::At_domain> {
  template <typename In>
  static void apply(const In& in, state& st) { push_route(in, st); }
};
template <>
struct action<gl::At_domain_l> {
  template <typename In>
  static void apply(const In& in, state& st) { push_route(in, st); }
};
template <>
struct action<g::null_path> {
  template <typename In>
  static void apply(const In& in, state& st) {
    st.path_out() = path{view(in), path_kind::null, {}, {}};
    st.path_seen = true;
  }
};
template <>
struct action<g::postmaster_path> {
  template <typename In>
  static void apply(const In& in, state& st) {
    st.path_out() = path{view(in), path_kind::postmaster, {}, {}};
    st.path_seen = true;
  }
};
template <typename In>
inline void finish_path(const In& in, state& st) {
  path& out = st.path_out();
  out.text = view(in);
  out.kind = path_kind::mailbox;
  out.source_route = std::move(st.route);
  st.route.clear();
  out.mailbox = st.mbox;
  st.path_seen = true;
}
template <>
struct action<g::Path> {
  template <typename In>
  static void apply(const In& in, state& st) { finish_path(in, st); }
};
template <>
struct action<gl::Path_l> {
  template <typename In>
  static void apply(const In& in, state& st) { finish_path(in, st); }
};
template <>
struct action<gl::bare_mailbox> {
  template <typename In>
  static void apply(const In& in, state& st) {
    finish_mailbox(in, st);
    st.route.clear();
    finish_path(in, st);
    st.diag(diagnostic_id::missing_angle_brackets, in.begin());
  }
};

// --- commands -------------------------------------------------------------------------------
template <typename In>
inline void set_domain(const In&, state& st) {
  st.cmd->domain = st.dom;
}
template <> struct action<g::ehlo_domain> { template <typename In> static void apply(const In& in, state& st) { set_domain(in, st); } };
template <>
struct action<g::helo_domain> {
  template <typename In>
  static void apply(const In& in, state& st) {
    st.cmd->domain = domain{view(in), domain_kind::name, {}, {}};
  }
};
template <> struct action<gl::ehlo_arg> { template <typename In> static void apply(const In& in, state& st) { set_domain(in, st); } };
template <> struct action<gl::helo_arg> { template <typename In> static void apply(const In& in, state& st) { set_domain(in, st); } };

template <typename In>
inline void mark_path_start(const In& in, state& st) {
  st.path_start = st.off(in.end());
}
template <> struct action<g::MAIL_FROM> { template <typename In> static void apply(const In& in, state& st) { mark_path_start(in, st); } };
template <> struct action<g::RCPT_TO> { template <typename In> static void apply(const In& in, state& st) { mark_path_start(in, st); } };
template <> struct action<gl::colon> { template <typename In> static void apply(const In& in, state& st) { mark_path_start(in, st); } };

template <typename In>
inline void set_path(const In&, state&) {
  // The path actions already wrote into the command (state::path_out).
}
template <> struct action<g::mail_path> { template <typename In> static void apply(const In& in, state& st) { set_path(in, st); } };
template <> struct action<g::rcpt_path> { template <typename In> static void apply(const In& in, state& st) { set_path(in, st); } };
template <> struct action<gl::mail_path_l> { template <typename In> static void apply(const In& in, state& st) { set_path(in, st); } };
template <> struct action<gl::rcpt_path_l> { template <typename In> static void apply(const In& in, state& st) { set_path(in, st); } };

template <>
struct action<g::esmtp_param> {
  template <typename In>
  static void apply(const In& in, state& st) {
    const auto v = view(in);
    const auto eq = v.find('=');
    if (eq == std::string_view::npos) {
      st.cmd->params.push_back({v, {}, false});
    } else {
      st.cmd->params.push_back({v.substr(0, eq), v.substr(eq + 1), true});
    }
  }
};
template <>
struct action<g::string_arg> {
  template <typename In>
  static void apply(const In& in, state& st) {
    st.cmd->argument = view(in);
    st.cmd->has_argument = true;
  }
};
template <>
struct action<grammar::rfc4954::sasl_mech> {
  template <typename In>
  static void apply(const In& in, state& st) { st.cmd->mechanism = view(in); }
};
template <>
struct action<gl::sasl_mech_l> {
  template <typename In>
  static void apply(const In& in, state& st) {
    st.cmd->mechanism = view(in);
    for (char c : st.cmd->mechanism) {
      if (c >= 'a' && c <= 'z') {
        st.diag(diagnostic_id::lowercase_mechanism, in.begin());
        break;
      }
    }
  }
};
template <>
struct action<grammar::rfc4954::initial_response> {
  template <typename In>
  static void apply(const In& in, state& st) {
    st.cmd->initial_response = view(in);
    st.cmd->has_initial_response = true;
  }
};
template <>
struct action<grammar::rfc3030::chunk_size> {
  template <typename In>
  static bool apply(const In& in, state& st) {
    // JSON numbers are exact up to 2^53-1; no real chunk comes near it.
    constexpr std::uint64_t max_exact = (std::uint64_t{1} << 53) - 1;
    std::uint64_t v = 0;
    const auto [p, ec] = std::from_chars(in.begin(), in.end(), v);
    if (ec != std::errc{} || p != in.end() || v > max_exact) {
      st.chunk_overflow = st.off(in.begin());  // parse_command turns it into an error
      return true;
    }
    st.cmd->chunk_size = v;
    return true;
  }
};
template <>
struct action<grammar::rfc3030::end_marker> {
  template <typename In>
  static void apply(const In&, state& st) { st.cmd->last = true; }
};

// --- lenient deviations -----------------------------------------------------------------------
template <>
struct action<gl::trailing_ws> {
  template <typename In>
  static void apply(const In& in, state& st) { st.diag(diagnostic_id::trailing_whitespace, in.begin()); }
};
template <>
struct action<gl::sep> {
  template <typename In>
  static void apply(const In& in, state& st) {
    if (in.size() != 1 || *in.begin() != ' ') st.diag(diagnostic_id::extra_whitespace, in.begin());
  }
};
template <>
struct action<gl::space_before_colon> {
  template <typename In>
  static void apply(const In& in, state& st) { st.diag(diagnostic_id::space_before_colon, in.begin()); }
};
template <>
struct action<gl::space_after_colon> {
  template <typename In>
  static void apply(const In& in, state& st) { st.diag(diagnostic_id::space_after_colon, in.begin()); }
};

}  // namespace smtpspec::detail
