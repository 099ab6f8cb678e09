// smtpspec — JS handles for C++ objects that live in the WASM heap (sessions, readers, milter codecs):
// JS holds an int, the table owns the object until the JS side frees it.
#pragma once
#include <memory>
#include <unordered_map>
#include <utility>

namespace smtpspec_wasm {

template <class T>
struct table {
  std::unordered_map<int, std::unique_ptr<T>> items;
  int next = 1;
  int add(std::unique_ptr<T> t) {
    items.emplace(next, std::move(t));
    return next++;
  }
  T* get(int id) {
    auto it = items.find(id);
    return it == items.end() ? nullptr : it->second.get();
  }
};

}  // namespace smtpspec_wasm
