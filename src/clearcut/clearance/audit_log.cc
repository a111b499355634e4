#include "clearcut/clearance/audit_log.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "clearcut/audit/checkpoint.h"
#include "clearcut/base/hex.h"
#include "clearcut/clearance/checkpoint_file.h"
#include "clearcut/clearance/notifications.h"

namespace clearcut::clearance {
namespace {

std::string key_id_hex(uint32_t key_id) {
  char text[9];
  std::snprintf(text, sizeof(text), "%08x", key_id);
  return text;
}

base::Error refuse(uint64_t entry, const std::string& why) {
  return base::Error(base::ErrorCode::kDataLoss,
                     "audit log entry " + std::to_string(entry) + ": " + why +
                         "; refusing to sign a checkpoint over it. Run `clearcut audit verify` "
                         "to see what changed, and restore the database from a backup");
}

}  // namespace

base::Result<uint64_t> AuditLog::append(store::Transaction& tx, audit::AuditEvent event) {
  uint64_t sequence = CC_TRY(append_audit_event(tx, std::move(event)));
  {
    base::MutexLock lock(appends_mu_);
    ++appends_;
  }
  appended_.notify_all();
  return sequence;
}

base::Result<uint64_t> append_audit_event(store::Transaction& tx, audit::AuditEvent event) {
  // The store assigns the sequence; the leaf covers it, so hash with the number it will get.
  event.sequence = CC_TRY(tx.audit().size());
  audit::Hash leaf = CC_TRY(audit::audit_event_leaf_hash(event));
  uint64_t sequence = CC_TRY(tx.audit().append(event, base::to_hex(leaf)));
  // In the event's transaction: committed together or not at all (the outbox pattern).
  CC_TRY(enqueue_notifications(tx, event, sequence));
  return sequence;
}

base::Status AuditLog::catch_up(store::Transaction& tx) {
  uint64_t size = CC_TRY(tx.audit().size());
  while (tree_.size() < size) {
    auto records = CC_TRY(tx.audit().list(tree_.size(), 10000));
    if (records.empty()) {
      return refuse(tree_.size(), "missing (the log is shorter than its size)");
    }
    for (const store::AuditRecord& record : records) {
      uint64_t expected = tree_.size();
      if (record.event.sequence != expected) {
        return refuse(expected, "missing or out of order (found sequence " +
                                    std::to_string(record.event.sequence) + " in its place)");
      }
      // Recompute rather than trust the stored hash, and compare the two: a checkpoint must
      // never sign an edit.
      auto leaf = audit::audit_event_leaf_hash(record.event);
      if (!leaf.has_value()) {
        return refuse(expected, "not a valid event (" + leaf.error().message() + ")");
      }
      if (base::to_hex(*leaf) != record.leaf_hash) {
        return refuse(expected,
                      "its content does not match the leaf hash stored when it was written");
      }
      tree_.append_leaf_hash(*leaf);
    }
  }
  return {};
}

base::Status AuditLog::check_against_tree(const std::string& note, const std::string& where) {
  auto opened = audit::open_checkpoint(note, signer_.verifier(), origin_);
  if (!opened.has_value()) {
    return {};  // signed by an earlier (rotated) key or another log: nothing to compare
  }
  if (opened->size > tree_.size()) {
    return refuse(tree_.size(), "missing: " + where + " covers " + std::to_string(opened->size) +
                                    " events but the log holds " + std::to_string(tree_.size()) +
                                    " (truncated)");
  }
  if (opened->size > 0 && CC_TRY(tree_.root_at(opened->size)) != opened->root_hash) {
    return refuse(opened->size - 1, "it or an earlier entry was edited: the root of the first " +
                                        std::to_string(opened->size) + " events differs from " +
                                        where);
  }
  return {};
}

base::Status AuditLog::open(store::Store& store) {
  auto tx = CC_TRY(store.begin());
  base::MutexLock lock(mu_);
  CC_TRY(catch_up(*tx));
  std::optional<store::CheckpointRecord> latest = CC_TRY(tx->audit().latest_checkpoint());
  if (latest) {
    CC_TRY(check_against_tree(latest->note, "the newest checkpoint in the database"));
  }
  if (!checkpoint_file_.empty() && std::filesystem::exists(checkpoint_file_)) {
    auto entries = CC_TRY(read_checkpoint_file(checkpoint_file_));
    file_read_ = true;
    for (const CheckpointFileEntry& entry : entries) {
      file_size_ = std::max(file_size_, entry.tree_size);
    }
    if (!entries.empty()) {
      CC_TRY(check_against_tree(entries.back().note, "the checkpoint on line " +
                                                         std::to_string(entries.back().line) +
                                                         " of " + checkpoint_file_));
    }
  }
  return {};
}

base::Status AuditLog::record_in_file(uint64_t size, const std::string& note,
                                      const std::string& now) {
  if (checkpoint_file_.empty()) {
    return {};
  }
  if (!file_read_) {
    if (std::filesystem::exists(checkpoint_file_)) {
      for (const CheckpointFileEntry& entry : CC_TRY(read_checkpoint_file(checkpoint_file_))) {
        file_size_ = std::max(file_size_, entry.tree_size);
      }
    }
    file_read_ = true;
  }
  if (file_size_ >= size && std::filesystem::exists(checkpoint_file_)) {
    return {};
  }
  CC_TRY(
      append_checkpoint_file(checkpoint_file_, {0, size, key_id_hex(signer_.key_id()), now, note}));
  file_size_ = size;
  return {};
}

base::Result<std::string> AuditLog::checkpoint(store::Store& store, const std::string& now) {
  {
    // What was appended before this point is committed by the time begin() returns (or
    // rolled back): this checkpoint covers it.
    base::MutexLock lock(appends_mu_);
    covered_appends_ = appends_;
  }
  auto tx = CC_TRY(store.begin());
  base::MutexLock lock(mu_);
  CC_TRY(catch_up(*tx));
  uint64_t size = tree_.size();
  audit::Hash root = CC_TRY(tree_.root_at(size));
  std::optional<store::CheckpointRecord> latest = CC_TRY(tx->audit().latest_checkpoint());
  if (latest && latest->tree_size >= size) {
    CC_TRY(check_against_tree(latest->note, "the newest checkpoint in the database"));
    // One signed by an earlier (rotated) key is not copied: the file gets a checkpoint under
    // the current key when the log grows.
    if (audit::open_checkpoint(latest->note, signer_.verifier(), origin_).has_value()) {
      CC_TRY(record_in_file(latest->tree_size, latest->note, latest->created_at));
    }
    return latest->note;
  }
  audit::Checkpoint checkpoint;
  checkpoint.origin = origin_;
  checkpoint.size = size;
  checkpoint.root_hash = root;
  std::string note = CC_TRY(audit::sign_checkpoint(checkpoint, signer_));
  CC_TRY(tx->audit().append_checkpoint({size, note, now}));
  CC_TRY(tx->commit());
  // After the commit: the file never holds a checkpoint the database lacks.
  CC_TRY(record_in_file(size, note, now));
  return note;
}

void AuditLog::wait_for_appends(uint64_t events, std::chrono::milliseconds timeout,
                                const std::stop_token& stop) {
  base::MutexLock lock(appends_mu_);
  lock.wait_for(appended_, stop, timeout,
                [&]() REQUIRES(appends_mu_) { return appends_ - covered_appends_ >= events; });
}

base::Result<std::vector<audit::Hash>> AuditLog::inclusion_proof(store::Store& store,
                                                                 uint64_t index,
                                                                 uint64_t tree_size) {
  auto tx = CC_TRY(store.begin());
  base::MutexLock lock(mu_);
  CC_TRY(catch_up(*tx));
  return tree_.inclusion_proof(index, tree_size);
}

base::Result<std::vector<audit::Hash>> AuditLog::consistency_proof(store::Store& store,
                                                                   uint64_t old_size,
                                                                   uint64_t new_size) {
  auto tx = CC_TRY(store.begin());
  base::MutexLock lock(mu_);
  CC_TRY(catch_up(*tx));
  return tree_.consistency_proof(old_size, new_size);
}

}  // namespace clearcut::clearance
