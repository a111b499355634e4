#include "clearcut/clearance/dashboard_service.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include <nlohmann/json.hpp>

#include "clearcut/clearance/waiting.h"
#include "clearcut/clearance/working_days.h"
#include "clearcut/domain/validation.h"

namespace clearcut::clearance {
namespace {

using domain::UseCaseState;
using std::chrono::system_clock;

void add_count(Funnel& funnel, UseCaseState state, int64_t count) {
  switch (state) {
    case UseCaseState::kDraft:
      funnel.draft += count;
      return;
    case UseCaseState::kSubmitted:
      funnel.submitted += count;
      return;
    case UseCaseState::kNotified:
      funnel.notified += count;
      return;
    case UseCaseState::kEscalated:
      funnel.escalated += count;
      return;
    case UseCaseState::kApproved:
      funnel.approved += count;
      return;
    case UseCaseState::kRejected:
      funnel.rejected += count;
      return;
    case UseCaseState::kWithdrawn:
      funnel.withdrawn += count;
      return;
  }
}

void add_count(OutputCounts& outputs, domain::AssetStatus status, int64_t count) {
  switch (status) {
    case domain::AssetStatus::kProvisional:
      outputs.provisional += count;
      return;
    case domain::AssetStatus::kCleared:
      outputs.cleared += count;
      return;
    case domain::AssetStatus::kRejected:
      outputs.rejected += count;
      return;
  }
}

// The ageing of every waiting use case of the productions, by production, in one pass.
base::Result<std::map<int64_t, Ageing>> ageing_of(
    store::Transaction& tx, const std::vector<domain::Production>& productions,
    system_clock::time_point now) {
  std::map<int64_t, int> answer_days;
  std::vector<int64_t> ids;
  for (const domain::Production& p : productions) {
    answer_days[p.id] = p.answer_within_days;
    ids.push_back(p.id);
  }
  std::map<int64_t, Ageing> out;
  if (ids.empty()) {
    return out;
  }
  CC_TRY(for_each_waiting(
      tx, ids, {UseCaseState::kNotified, UseCaseState::kEscalated, UseCaseState::kDraft},
      [&](const domain::UseCase& use_case, const Waiting& waiting) -> base::Status {
        std::optional<system_clock::time_point> since = domain::parse_rfc3339_utc(waiting.since);
        if (!since) {
          return {};
        }
        Ageing& ageing = out[use_case.production_id];
        int bucket = 0;
        while (bucket < kAgeingBuckets - 1 &&
               now >= add_working_days(*since, kAgeingBounds[bucket])) {
          ++bucket;
        }
        AgeingBucket& b = ageing.buckets[bucket];
        switch (waiting.who) {
          case WaitingOn::kContact:
            ++b.contact;
            break;
          case WaitingOn::kLegal:
            ++b.legal;
            break;
          case WaitingOn::kPartner:
            ++b.partner;
            break;
        }
        ++ageing.waiting;
        std::optional<system_clock::time_point> due =
            due_of(waiting, answer_days[use_case.production_id]);
        if (due && now > *due) {
          ++ageing.overdue;
        }
        if (ageing.oldest_since.empty() || waiting.since < ageing.oldest_since) {
          ageing.oldest_since = waiting.since;  // RFC 3339 UTC in one format orders as text
        }
        return {};
      }));
  return out;
}

int64_t integer_in(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

// The episode a deliverable belongs to, by its path's first folder.
std::string episode_of(const std::string& path) {
  size_t slash = path.find('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

struct Scans {
  std::vector<ScanPoint> points;                // oldest first
  std::vector<DeliverableStatus> deliverables;  // by path
};

// The production's latest scans that ended, and each deliverable's latest verdict among them.
base::Result<Scans> scans_of(store::Transaction& tx, int64_t production_id) {
  std::vector<domain::ScanJob> jobs =
      CC_TRY(tx.scan_jobs().list(production_id, 0, kDashboardScans));  // newest first
  Scans out;
  std::map<std::string, DeliverableStatus> latest;
  for (const domain::ScanJob& job : jobs) {
    if (job.state != domain::ScanJobState::kFinished && job.state != domain::ScanJobState::kError) {
      continue;
    }
    ScanPoint point;
    point.id = job.id;
    point.finished_at = job.finished_at;
    point.error = job.state == domain::ScanJobState::kError;
    point.passes = !point.error && job.passes;
    nlohmann::json summary = nlohmann::json::parse(job.summary_json, nullptr, false);
    if (!summary.is_object()) {
      summary = nlohmann::json::object();
    }
    point.files = integer_in(summary, "files");
    point.findings = integer_in(summary, "findings");
    out.points.push_back(point);
    if (point.error) {
      continue;
    }
    auto deliverables = summary.find("deliverables");
    if (deliverables != summary.end() && deliverables->is_array()) {
      for (const nlohmann::json& d : *deliverables) {
        auto path = d.find("path");
        if (!d.is_object() || path == d.end() || !path->is_string() ||
            latest.contains(path->get<std::string>())) {
          continue;
        }
        auto passes = d.find("passes");
        DeliverableStatus status{path->get<std::string>(),
                                 episode_of(path->get<std::string>()),
                                 job.id,
                                 job.finished_at,
                                 passes != d.end() && passes->is_boolean() && passes->get<bool>(),
                                 integer_in(d, "findings"),
                                 true};
        latest.emplace(status.path, std::move(status));
      }
      continue;
    }
    // An older summary without files: the delivery's verdict stands for each path asked for.
    for (const std::string& path : job.paths) {
      if (!latest.contains(path)) {
        latest.emplace(path, DeliverableStatus{path, episode_of(path), job.id, job.finished_at,
                                               job.passes, point.findings, false});
      }
    }
  }
  std::reverse(out.points.begin(), out.points.end());
  for (auto& [path, status] : latest) {
    out.deliverables.push_back(std::move(status));
  }
  return out;
}

}  // namespace

base::Result<ProductionDashboard> DashboardService::production(const Actor& actor,
                                                               int64_t production_id) {
  // Before the transaction: a refresh reads the database through a connection of its own, and
  // SQLite has only one.
  PolicyCache::Snapshot policy = CC_TRY(policy_.get());
  auto tx = CC_TRY(store_.begin());
  auto production = tx->accounts().get_production(production_id);
  if (!production.has_value() || (!actor.admin() && !actor.member_of(production_id))) {
    return base::not_found("no production " + std::to_string(production_id));
  }
  ProductionDashboard out;
  out.production = *production;
  const system_clock::time_point now = clock_.now();
  out.as_of = format_rfc3339(now);
  for (const store::StateCount& c : CC_TRY(tx->use_cases().count_by_state({production_id}))) {
    add_count(out.funnel, c.state, c.count);
  }
  std::map<int64_t, Ageing> ageing = CC_TRY(ageing_of(*tx, {*production}, now));
  if (auto it = ageing.find(production_id); it != ageing.end()) {
    out.ageing = it->second;
  }

  const policy::PolicyPack& pack = policy.engine->pack();
  out.policy_name = pack.name();
  out.policy_version = pack.version();
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const policy::RiskCategory& category : pack.risk_categories()) {
    out.risks.push_back({category.name, category.label, 0, 0, 0});
    for (const std::string& rule : category.rules) {
      pairs.emplace_back(category.name, rule);
    }
  }
  for (const store::CategoryCount& c :
       CC_TRY(tx->use_cases().count_by_rule_category(production_id, pairs))) {
    auto figure = std::find_if(out.risks.begin(), out.risks.end(),
                               [&](const RiskFigure& r) { return r.name == c.category; });
    if (figure == out.risks.end()) {
      continue;
    }
    if (c.unsettled) {
      figure->unsettled += c.count;
    } else if (c.state == UseCaseState::kApproved) {
      figure->approved += c.count;
    } else {
      figure->in_review += c.count;
    }
  }
  out.assessed = out.funnel.notified + out.funnel.escalated + out.funnel.approved;

  for (const store::AssetStatusCount& c : CC_TRY(tx->assets().count_by_status({production_id}))) {
    add_count(out.outputs, c.status, c.count);
  }
  Scans scans = CC_TRY(scans_of(*tx, production_id));
  out.scans = std::move(scans.points);
  out.deliverables = std::move(scans.deliverables);
  return out;
}

base::Result<OrganizationDashboard> DashboardService::organization(const Actor& actor) {
  auto tx = CC_TRY(store_.begin());
  OrganizationDashboard out;
  const system_clock::time_point now = clock_.now();
  out.as_of = format_rfc3339(now);
  std::vector<domain::Production> visible;
  for (domain::Production& p : CC_TRY(tx->accounts().list_productions())) {
    if (actor.admin() || actor.member_of(p.id)) {
      visible.push_back(std::move(p));
    }
  }
  std::sort(visible.begin(), visible.end(), [](const auto& a, const auto& b) {
    return std::tie(a.title, a.code) < std::tie(b.title, b.code);
  });
  if (visible.empty()) {
    return out;
  }
  std::vector<int64_t> ids;
  for (const domain::Production& p : visible) {
    ids.push_back(p.id);
  }
  std::map<int64_t, Funnel> funnels;
  for (const store::StateCount& c : CC_TRY(tx->use_cases().count_by_state(ids))) {
    add_count(funnels[c.production_id], c.state, c.count);
  }
  std::map<int64_t, OutputCounts> outputs;
  for (const store::AssetStatusCount& c : CC_TRY(tx->assets().count_by_status(ids))) {
    add_count(outputs[c.production_id], c.status, c.count);
  }
  std::map<int64_t, Ageing> ageing = CC_TRY(ageing_of(*tx, visible, now));
  for (const domain::Production& p : visible) {
    ProductionHeadline row;
    row.production = p;
    const Funnel& funnel = funnels[p.id];
    row.use_cases = funnel.total();
    row.in_review = funnel.in_review();
    row.approved = funnel.approved;
    row.waiting = ageing[p.id].waiting;
    row.overdue = ageing[p.id].overdue;
    row.outputs_provisional = outputs[p.id].provisional;
    Scans scans = CC_TRY(scans_of(*tx, p.id));
    if (!scans.points.empty()) {
      row.last_scan = scans.points.back();
    }
    row.failing_deliverables = std::count_if(scans.deliverables.begin(), scans.deliverables.end(),
                                             [](const DeliverableStatus& d) { return !d.passes; });
    out.totals.use_cases += row.use_cases;
    out.totals.in_review += row.in_review;
    out.totals.waiting += row.waiting;
    out.totals.overdue += row.overdue;
    out.totals.approved += row.approved;
    out.totals.outputs_provisional += row.outputs_provisional;
    out.totals.failing_deliverables += row.failing_deliverables;
    out.productions.push_back(std::move(row));
  }
  return out;
}

}  // namespace clearcut::clearance
