#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "clearcut/base/mutex.h"
#include "clearcut/clearance/actor.h"

namespace clearcut::clearance {

// Who an API token's bearer is, kept for a short time so that a request need not read the
// token, the user and the memberships from the database each time. An entry answers only while
// the store's account_changes() count is what it was before the entry was read from the
// database (any user, membership or revocation committed by this process moves it) and for at
// most `ttl` after that read, which bounds how late a change made by another process on the same
// database is seen. Only tokens that authenticated are kept; at most `max_entries` of them
// (when full, the expired ones go, else all). Keyed by the token's hash, never its secret.
// Thread-safe.
class TokenCache {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  static constexpr std::chrono::milliseconds kDefaultTtl{1000};
  static constexpr std::size_t kDefaultMaxEntries = 4096;

  explicit TokenCache(std::chrono::milliseconds ttl = kDefaultTtl,
                      std::size_t max_entries = kDefaultMaxEntries)
      : ttl_(ttl), max_entries_(max_entries) {}

  // The actor cached for `token_hash` when it was read under `changes` less than ttl before
  // `now`; nullopt otherwise.
  std::optional<Actor> find(const std::string& token_hash, uint64_t changes, TimePoint now) const;
  // Keeps `actor` for `token_hash`, read from the database at `read_at` (taken, like `changes`,
  // before the read began).
  void insert(const std::string& token_hash, Actor actor, uint64_t changes, TimePoint read_at);

  std::size_t size() const;

 private:
  struct Entry {
    Actor actor;
    uint64_t changes = 0;
    TimePoint read_at;
  };

  const std::chrono::milliseconds ttl_;
  const std::size_t max_entries_;
  mutable base::Mutex mu_;
  std::unordered_map<std::string, Entry> entries_ GUARDED_BY(mu_);
};

}  // namespace clearcut::clearance
