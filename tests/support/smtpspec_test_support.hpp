// Helpers shared by the unit, property and conformance tests and the fuzz targets. Header-only and
// free of GoogleTest so the fuzz targets can use it too.
#pragma once
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "smtpspec/smtpspec.hpp"

namespace smtpspec_test {

// An exact-size heap copy of the input, so that an over-read is caught by ASan (as ada does).
class heap_input {
 public:
  explicit heap_input(std::string_view s) : size_(s.size()), data_(new char[s.size()]) {
    if (size_ != 0) std::memcpy(data_.get(), s.data(), size_);
  }
  [[nodiscard]] std::string_view view() const noexcept { return {data_.get(), size_}; }

 private:
  std::size_t size_;
  std::unique_ptr<char[]> data_;
};

// Checks that every non-empty view of a value lies inside the input buffer. Empty views may point
// anywhere (absent fields are default-constructed).
class view_checker {
 public:
  explicit view_checker(std::string_view input) : begin_(input.data()), end_(input.data() + input.size()) {}

  [[nodiscard]] bool ok() const noexcept { return ok_; }

  void check(std::string_view v) noexcept {
    if (v.empty()) return;
    const std::less_equal<const char*> le;
    if (!(le(begin_, v.data()) && le(v.data() + v.size(), end_))) ok_ = false;
  }
  void check(const smtpspec::domain& d) noexcept {
    check(d.text);
    check(d.tag);
    check(d.address);
  }
  void check(const smtpspec::mailbox& m) noexcept {
    check(m.text);
    check(m.local_part);
    check(m.domain);
  }
  void check(const smtpspec::path& p) noexcept {
    check(p.text);
    for (const auto& d : p.source_route) check(d);
    check(p.mailbox);
  }
  void check(const smtpspec::esmtp_param& prm) noexcept {
    check(prm.keyword);
    check(prm.value);
    check(prm.text);
    check(prm.addr_type);
  }
  void check(const std::vector<smtpspec::esmtp_param>& ps) noexcept {
    for (const auto& prm : ps) check(prm);
  }
  void check(const smtpspec::command& c) noexcept {
    check(c.verb_text);
    check(c.domain);
    check(c.path);
    check(c.params);
    check(c.argument);
    check(c.mechanism);
    check(c.initial_response);
  }

 private:
  const char* begin_;
  const char* end_;
  bool ok_ = true;
};

template <class T>
[[nodiscard]] bool views_inside(const smtpspec::result<T>& r, std::string_view input) {
  if (!r.ok()) return true;
  view_checker c(input);
  c.check(r.value());
  return c.ok();
}

// The invariants every result must satisfy, whatever the input: the error offset and every
// diagnostic offset lie inside the input, error texts come from the catalogue, views point into
// the input. Returns an empty string when they hold, else what failed.
template <class T>
[[nodiscard]] std::string invariant_failure(const smtpspec::result<T>& r, std::string_view input) {
  if (r.ok()) {
    if (!views_inside(r, input)) return "a value view points outside the input";
  } else {
    const auto& e = r.error();
    if (e.offset > input.size()) return "error offset beyond the input";
    if (e.rfc.empty()) return "error without rfc";
    if (e.reply.empty()) return "error without reply";
    if (smtpspec::to_string(e.code).empty()) return "error code without a name";
  }
  for (const auto& d : r.diags()) {
    if (d.offset > input.size()) return "diagnostic offset beyond the input";
    if (smtpspec::to_string(d.id).empty()) return "diagnostic without a name";
  }
  return {};
}

}  // namespace smtpspec_test
