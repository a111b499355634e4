#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clearcut/base/result.h"
#include "clearcut/clearance/actor.h"
#include "clearcut/clearance/clock.h"
#include "clearcut/clearance/policy_cache.h"
#include "clearcut/domain/account.h"
#include "clearcut/store/store.h"

namespace clearcut::clearance {

// Use cases by state, and the funnel they make: draft → in review (submitted, notified,
// escalated) → approved; rejected and withdrawn leave it.
struct Funnel {
  int64_t draft = 0;
  int64_t submitted = 0;
  int64_t notified = 0;
  int64_t escalated = 0;
  int64_t approved = 0;
  int64_t rejected = 0;
  int64_t withdrawn = 0;

  int64_t in_review() const { return submitted + notified + escalated; }
  int64_t total() const { return draft + in_review() + approved + rejected + withdrawn; }
};

// How long the use cases that wait on someone (waiting.h) have waited, in working days since
// they began to: under 2, 2 to 5, 5 to 10, 10 and more.
inline constexpr int kAgeingBuckets = 4;
inline constexpr int kAgeingBounds[kAgeingBuckets - 1] = {2, 5, 10};
struct AgeingBucket {
  int64_t contact = 0;  // waiting on a contact
  int64_t legal = 0;
  int64_t partner = 0;  // sent back to the partner with changes requested
  int64_t total() const { return contact + legal + partner; }
};
struct Ageing {
  AgeingBucket buckets[kAgeingBuckets];
  int64_t waiting = 0;
  // Waiting on the studio past the production's answer time (the inbox's due date).
  int64_t overdue = 0;
  std::string oldest_since;  // RFC 3339 UTC; empty when nothing waits
};

// Use cases that a kind of risk (policy::RiskCategory) applies to, by their stored decision:
// in review or approved where one of its rules fired; `unsettled` where its rules only came out
// unknown (the contact settles the facts or legal waives them).
struct RiskFigure {
  std::string name;
  std::string label;
  int64_t in_review = 0;
  int64_t approved = 0;
  int64_t unsettled = 0;
};

// One finished (or failed) delivery scan, as a dot on "scans over time".
struct ScanPoint {
  int64_t id = 0;
  std::string finished_at;
  bool error = false;  // nothing could be scanned: no verdict
  bool passes = false;
  int64_t files = 0;
  int64_t findings = 0;
};

// A deliverable (a file a scan named, by its path under the scan root) and its latest scan.
// Scans made before reports were summarised per file give their whole delivery's verdict to each
// path they were asked to scan (per_file false).
struct DeliverableStatus {
  std::string path;
  std::string episode;  // the path's first folder ("ep101" of "ep101/final.mov"); "" for none
  int64_t scan_id = 0;
  std::string scanned_at;
  bool passes = false;
  int64_t findings = 0;
  bool per_file = true;
};

struct OutputCounts {
  int64_t provisional = 0;
  int64_t cleared = 0;
  int64_t rejected = 0;
  int64_t total() const { return provisional + cleared + rejected; }
};

// What a production's dashboard shows (GET /productions/{p}/dashboard).
struct ProductionDashboard {
  domain::Production production;
  std::string as_of;  // the clock's now, RFC 3339 UTC
  Funnel funnel;
  Ageing ageing;
  std::string policy_name;  // the active pack, whose risk categories count
  std::string policy_version;
  std::vector<RiskFigure> risks;  // empty when the pack names no categories
  int64_t assessed = 0;           // in review or approved: what the risk figures count among
  OutputCounts outputs;
  std::vector<ScanPoint> scans;                 // oldest first, the latest kDashboardScans at most
  std::vector<DeliverableStatus> deliverables;  // by path
};

// One production's headline figures on the organization view (GET /dashboard).
struct ProductionHeadline {
  domain::Production production;
  int64_t use_cases = 0;
  int64_t in_review = 0;
  int64_t waiting = 0;
  int64_t overdue = 0;
  int64_t approved = 0;
  int64_t outputs_provisional = 0;
  int64_t failing_deliverables = 0;  // deliverables whose latest scan fails
  std::optional<ScanPoint> last_scan;
};

struct OrganizationDashboard {
  std::string as_of;
  std::vector<ProductionHeadline> productions;  // by title, then code
  ProductionHeadline totals;                    // sums; production and last_scan unset
};

// How many of a production's latest scans a dashboard reads.
inline constexpr int kDashboardScans = 30;

// Dashboards (issue #17): a production's figures for its members and the admins, and the
// organization view of every production the reader may see. Read-only; each figure comes from a
// few aggregate queries (counts grouped in SQL, the histories of waiting use cases a page at a
// time), never a query per use case. Thread-safe. Errors: kNotFound for a production the actor
// may not see; the store's errors.
class DashboardService {
 public:
  DashboardService(store::Store& store, PolicyCache& policy, const Clock& clock)
      : store_(store), policy_(policy), clock_(clock) {}

  base::Result<ProductionDashboard> production(const Actor& actor, int64_t production_id);
  // Admins see every production; others the productions they hold a role on.
  base::Result<OrganizationDashboard> organization(const Actor& actor);

 private:
  store::Store& store_;
  PolicyCache& policy_;
  const Clock& clock_;
};

}  // namespace clearcut::clearance
