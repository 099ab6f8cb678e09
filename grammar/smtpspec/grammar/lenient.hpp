// The lenient profile: what Postfix and Haraka accept by default beyond RFC 5321. Every rule
// here that is not in the RFC is a deviation; its action (src/) reports a diagnostic with the
// RFC section it departs from. Strict rules are reused wherever the profiles agree.
#pragma once
#include "smtpspec/grammar/rfc2033.hpp"
#include "smtpspec/grammar/rfc3030.hpp"
#include "smtpspec/grammar/rfc3207.hpp"
#include "smtpspec/grammar/rfc4954.hpp"
#include "smtpspec/grammar/rfc5321.hpp"

namespace smtpspec::grammar::lenient {
namespace pegtl = tao::pegtl;
using namespace rfc5321;

// Matches R; if R fails, diagnostics recorded inside it are withdrawn (PEGTL applies actions
// as soon as a rule succeeds, even inside an alternative that later fails).
template <class R>
struct txn {
  using rule_t = txn;
  using subs_t = pegtl::type_list<R>;
  template <pegtl::apply_mode A, pegtl::rewind_mode M, template <typename...> class Action,
            template <typename...> class Control, typename Input, typename State>
  static bool match(Input& in, State& st) {
    const auto mark = st.diag_mark();
    if (Control<R>::template match<A, M, Action, Control>(in, st)) return true;
    st.diag_rollback(mark);
    return false;
  }
};

// End of the command: optional trailing white space (diagnosed), then CRLF or end of input.
struct trailing_ws : pegtl::seq<pegtl::plus<WSP>, pegtl::at<line_end>> {};
struct end : pegtl::seq<pegtl::opt<trailing_ws>, line_end> { static constexpr const char* name = "CRLF"; };
// One or more SP/HTAB where the RFC has one SP (diagnosed when not exactly one SP).
struct sep : pegtl::seq<pegtl::plus<WSP>, pegtl::not_at<line_end>> { static constexpr const char* name = "SP"; };

// A domain may end with a dot (a fully-qualified DNS name as users write it).
struct trailing_dot : pegtl::one<'.'> {};
struct Domain_l : pegtl::seq<Domain, pegtl::opt<trailing_dot, pegtl::not_at<Let_dig>>> {
  static constexpr const char* name = "Domain";
};
struct Mailbox_domain_l : pegtl::sor<address_literal, Domain_l> {};
struct Mailbox_l : pegtl::seq<Local_part, at_sign, Mailbox_domain_l> { static constexpr const char* name = "Mailbox"; };
struct At_domain_l : pegtl::seq<at_sign, Domain_l> { static constexpr const char* name = "At-domain"; };
struct A_d_l_l : pegtl::seq<At_domain_l, pegtl::star<pegtl::one<','>, At_domain_l>> {};
struct Path_l : pegtl::seq<open_angle, pegtl::opt<A_d_l_l, adl_colon>, Mailbox_l, close_angle> {
  static constexpr const char* name = "Path";
};
// A path written without its angle brackets.
struct bare_mailbox : Mailbox_l {};
struct any_path_l : pegtl::sor<null_path, postmaster_path, Path_l, bare_mailbox> {
  static constexpr const char* name = "Path";
};

// HELO/EHLO: an address literal after HELO, or any run of printable non-space octets.
struct helo_text : pegtl::plus<pegtl::range<33, 126>> { static constexpr const char* name = "Domain"; };
struct helo_literal : address_literal {};
struct word_end : pegtl::at<pegtl::sor<WSP, line_end>> {};
struct ehlo_arg : pegtl::sor<txn<pegtl::seq<Domain_l, word_end>>, txn<pegtl::seq<address_literal, word_end>>, helo_text> {
  static constexpr const char* name = "Domain or address-literal";
};
struct helo_arg : pegtl::sor<txn<pegtl::seq<Domain_l, word_end>>, txn<pegtl::seq<helo_literal, word_end>>, helo_text> {
  static constexpr const char* name = "Domain";
};
struct ehlo : pegtl::seq<EHLO, sep, ehlo_arg, end> {};
struct helo : pegtl::seq<HELO, sep, helo_arg, end> {};
struct lhlo : pegtl::seq<rfc2033::LHLO, sep, ehlo_arg, end> {};

// MAIL / RCPT: any white space around "FROM"/"TO" and the colon, a bare mailbox.
struct space_before_colon : pegtl::plus<WSP> {};
struct space_after_colon : pegtl::plus<WSP> {};
struct FROM : pegtl::istring<'F', 'R', 'O', 'M'> { static constexpr const char* name = "\"FROM:\""; };
struct TO : pegtl::istring<'T', 'O'> { static constexpr const char* name = "\"TO:\""; };
struct colon : pegtl::one<':'> { static constexpr const char* name = "\":\""; };
struct params_l : pegtl::seq<esmtp_param, pegtl::star<sep, esmtp_param>> {};
struct mail_path_l : any_path_l { static constexpr const char* name = "Reverse-path"; };
struct rcpt_path_l : any_path_l { static constexpr const char* name = "Forward-path"; };
struct mail_params_l : params_l {};
struct rcpt_params_l : params_l {};
struct MAIL : pegtl::istring<'M', 'A', 'I', 'L'> {};
struct RCPT : pegtl::istring<'R', 'C', 'P', 'T'> {};
struct mail_cmd : pegtl::seq<MAIL, sep, FROM, pegtl::opt<space_before_colon>, colon, pegtl::opt<space_after_colon>,
                             mail_path_l, pegtl::opt<sep, mail_params_l>, end> {};
struct rcpt_cmd : pegtl::seq<RCPT, sep, TO, pegtl::opt<space_before_colon>, colon, pegtl::opt<space_after_colon>,
                             rcpt_path_l, pegtl::opt<sep, rcpt_params_l>, end> {};

struct data : pegtl::seq<DATA, end> {};
struct rset : pegtl::seq<RSET, end> {};
struct quit : pegtl::seq<QUIT, end> {};
struct vrfy : pegtl::seq<VRFY, sep, string_arg, end> {};
struct expn : pegtl::seq<EXPN, sep, string_arg, end> {};
struct help : pegtl::seq<HELP, pegtl::opt<sep, string_arg>, end> {};
struct noop : pegtl::seq<NOOP, pegtl::opt<sep, string_arg>, end> {};
struct starttls : pegtl::seq<rfc3207::STARTTLS, end> {};
// SASL mechanism names in any case.
struct sasl_mech_l : pegtl::rep_min_max<1, 20, pegtl::sor<rfc4954::mech_char, pegtl::range<'a', 'z'>>> {
  static constexpr const char* name = "sasl-mech";
};
struct auth : pegtl::seq<rfc4954::AUTH, sep, sasl_mech_l, pegtl::opt<sep, rfc4954::initial_response>, end> {};
struct bdat : pegtl::seq<rfc3030::BDAT, sep, rfc3030::chunk_size, pegtl::opt<sep, rfc3030::end_marker>, end> {};

}  // namespace smtpspec::grammar::lenient
