#include "clearcut/app/demo.h"

#include <fstream>

#include "clearcut/base/embedded.h"
#include "clearcut/clearance/checklist.h"

namespace clearcut::app {
namespace {

std::string example(std::string_view name) {
  std::optional<std::string_view> text = base::find_embedded("examples/" + std::string(name));
  return text ? std::string(*text) : std::string();
}

}  // namespace

base::Result<DemoInfo> seed_demo(Service& service) {
  DemoInfo info;
  {
    auto tx = CC_TRY(service.store().begin());
    if (!CC_TRY(tx->accounts().list_users()).empty()) {
      return info;
    }
  }
  clearance::AccountService& accounts = service.accounts();
  clearance::ClearanceService& clearance = service.clearance();
  std::string password(kDemoPassword);

  domain::Organization studio = CC_TRY(accounts.create_organization(nullptr, "Studio"));
  domain::Organization vendor = CC_TRY(accounts.create_organization(nullptr, "Vendor VFX"));
  domain::Organization other = CC_TRY(accounts.create_organization(nullptr, "Other Vendor"));
  auto user = [&](int64_t org, const std::string& email, const std::string& name,
                  bool admin) -> base::Result<domain::User> {
    return accounts.create_user(nullptr, {org, email, name, password, admin});
  };
  domain::User admin = CC_TRY(user(studio.id, "admin@studio.example", "Ada Admin", true));
  domain::User contact = CC_TRY(user(studio.id, "contact@studio.example", "Cory Contact", false));
  domain::User legal = CC_TRY(user(studio.id, "legal@studio.example", "Lee Legal", false));
  domain::User partner = CC_TRY(user(vendor.id, "partner@vendor.example", "Pat Partner", false));
  domain::User outsider =
      CC_TRY(user(other.id, "partner@other.example", "Olly Otherpartner", false));

  clearance::Actor admin_actor;
  {
    auto tx = CC_TRY(service.store().begin());
    admin_actor = CC_TRY(accounts.actor_for(*tx, admin.id));
  }
  domain::Production show = CC_TRY(clearance.create_production(
      admin_actor, {0, studio.id, "squid-game-s3", "Squid Game, season 3", ""}));
  domain::Production other_show = CC_TRY(clearance.create_production(
      admin_actor, {0, studio.id, "other-show", "Another production", ""}));
  CC_TRY(clearance.set_membership(admin_actor, {partner.id, show.id, domain::Role::kPartner}));
  CC_TRY(clearance.set_membership(admin_actor, {contact.id, show.id, domain::Role::kContact}));
  CC_TRY(clearance.set_membership(admin_actor, {legal.id, show.id, domain::Role::kLegal}));
  CC_TRY(
      clearance.set_membership(admin_actor, {outsider.id, other_show.id, domain::Role::kPartner}));

  auto actor = [&](int64_t id) -> base::Result<clearance::Actor> {
    auto tx = CC_TRY(service.store().begin());
    return accounts.actor_for(*tx, id);
  };
  clearance::Actor p = CC_TRY(actor(partner.id));
  clearance::Actor c = CC_TRY(actor(contact.id));
  clearance::Actor l = CC_TRY(actor(legal.id));

  // One use case in each state.
  CC_TRY(clearance.create_use_case(p, show.id, example("mood-board.yaml"), true));  // notified
  domain::UseCase doll =
      CC_TRY(clearance.create_use_case(p, show.id, example("second-doll.yaml"), true));
  CC_TRY(clearance.add_comment(c, doll.id,
                               "Key visual in a story scene: legal needs to see the final "
                               "design and the human pass on it."));
  domain::UseCase voice =
      CC_TRY(clearance.create_use_case(p, show.id, example("synthetic-voice.json"), true));
  // Its checklist met as the studio would: the performer's consent linked, statements for the
  // other actions, the questions the declaration leaves open waived by legal.
  domain::Consent consent;
  consent.production_id = show.id;
  consent.use_case_id = voice.id;
  consent.performer = "The front man's performer";
  consent.kind = domain::ConsentKind::kReplicaCreation;
  consent.scope = "Synthetic pick-up lines for S3E4, as scripted";
  consent.document_sha256 = std::string(64, '0');
  CC_TRY(clearance.record_consent(l, consent));
  for (const domain::ChecklistItem& item : CC_TRY(clearance.get_checklist(l, voice.id))) {
    if (item.state != domain::ChecklistItemState::kOpen) {
      continue;
    }
    if (item.kind == domain::ChecklistItemKind::kQuestion) {
      CC_TRY(clearance.waive_checklist_item(
          l, voice.id, item.id, "Not relevant to a voice-only pick-up; confirmed with the show"));
    } else if (clearance::checklist_evidence_kind(item.name) ==
               clearance::EvidenceKind::kDocument) {
      CC_TRY(clearance.record_evidence(c, voice.id, item.id, {"", std::string(64, '1')}));
    } else {
      CC_TRY(clearance.record_evidence(c, voice.id, item.id,
                                       {"Guild notice, tool agreement, QA and authorship "
                                        "statement filed with the episode's clearance pack",
                                        ""}));
    }
  }
  voice = CC_TRY(clearance.get_use_case(l, voice.id)).use_case;
  clearance::ApprovalRequest approval;
  approval.conditions = "Consent from the performer on file before use; guild notice sent.";
  approval.scope_json = R"({"final_use": true, "deliverables": ["S3E4"]})";
  approval.signer_name = "Lee Legal";
  approval.reason = "Consent and guild notice on file; the pick-ups are as scripted.";
  CC_TRY(clearance.approve(l, voice.id, voice.revision, approval));
  // The disclosure the approval asked for, made in the cut and confirmed by the contact.
  for (const domain::ChecklistItem& item : CC_TRY(clearance.get_checklist(c, voice.id))) {
    if (item.name == "audience_disclosure" && item.state == domain::ChecklistItemState::kMet) {
      CC_TRY(clearance.confirm_disclosure(
          c, voice.id, item.id, "End credits of S3E4: 'Additional dialogue voiced with AI'"));
    }
  }
  domain::UseCase draft = CC_TRY(clearance.create_use_case(
      p, show.id, "schema: clearcut/v1\nsummary: Previs of the bridge sequence\npurpose: previs\n",
      false));
  (void)draft;
  domain::UseCase news = CC_TRY(clearance.create_use_case(
      p, show.id,
      "schema: clearcut/v1\nsummary: Fake news segment with a real anchor in the background\n"
      "purpose: final_asset\noutput: {in_final: yes, could_be_mistaken_for_real: yes}\n",
      true));
  CC_TRY(clearance.transition(l, news.id, news.revision, clearance::UseCaseAction::kReject,
                              "A real journalist delivering fabricated lines: not acceptable."));
  domain::UseCase dropped = CC_TRY(clearance.create_use_case(
      p, show.id, "schema: clearcut/v1\nsummary: Temp score stems\npurpose: temp_media\n", true));
  CC_TRY(clearance.transition(p, dropped.id, dropped.revision, clearance::UseCaseAction::kWithdraw,
                              "Composer delivered early."));
  CC_TRY(service.audit_service().checkpoint());

  info.seeded = true;
  info.password = password;
  info.accounts = {{"admin@studio.example", "admin"},
                   {"partner@vendor.example", "partner on squid-game-s3"},
                   {"contact@studio.example", "studio contact on squid-game-s3"},
                   {"legal@studio.example", "legal on squid-game-s3"},
                   {"partner@other.example", "partner on other-show (sees none of the above)"}};
  return info;
}

}  // namespace clearcut::app
