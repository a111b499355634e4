#include "clearcut/clearance/token_cache.h"

namespace clearcut::clearance {

std::optional<Actor> TokenCache::find(const std::string& token_hash, uint64_t changes,
                                      TimePoint now) const {
  base::MutexLock lock(mu_);
  auto it = entries_.find(token_hash);
  if (it == entries_.end() || it->second.changes != changes || now - it->second.read_at >= ttl_ ||
      now < it->second.read_at) {
    return std::nullopt;
  }
  return it->second.actor;
}

void TokenCache::insert(const std::string& token_hash, Actor actor, uint64_t changes,
                        TimePoint read_at) {
  if (max_entries_ == 0) {
    return;
  }
  base::MutexLock lock(mu_);
  if (entries_.size() >= max_entries_ && !entries_.contains(token_hash)) {
    std::erase_if(entries_, [&](const auto& entry) {
      return entry.second.changes != changes || read_at - entry.second.read_at >= ttl_;
    });
    if (entries_.size() >= max_entries_) {
      entries_.clear();
    }
  }
  Entry& entry = entries_[token_hash];
  // A slower reader must not replace what a later read found.
  if (changes > entry.changes || (changes == entry.changes && read_at >= entry.read_at)) {
    entry = Entry{std::move(actor), changes, read_at};
  }
}

std::size_t TokenCache::size() const {
  base::MutexLock lock(mu_);
  return entries_.size();
}

}  // namespace clearcut::clearance
