// libFuzzer target for the approval certificate readers: the JSON file and the PDF that
// carries it. The input is read as either file, and also spliced into a valid certificate PDF
// (its first two bytes choose where) so that the fuzzer reaches the embedded file, the
// certificate inside and the re-rendering without first having to write a PDF. Beyond not
// crashing, checks that whatever reads back renders to the same bytes.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "clearcut/clearance/approval_certificate.h"
#include "clearcut/clearance/approval_certificate_pdf.h"

namespace clearcut::clearance {
namespace {

void require(bool condition) {
  if (!condition) {
    std::abort();
  }
}

const std::string& valid_pdf() {
  static const std::string pdf = [] {
    ApprovalCertificate certificate;
    certificate.event.sequence = 4;
    certificate.event.time = "2026-12-06T10:00:00Z";
    certificate.event.actor = "user:3";
    certificate.event.action = std::string(kApprovalGrantedAction);
    certificate.event.subject_type = "approval";
    certificate.event.subject_id = "7";
    certificate.event.payload_json =
        R"j({"signer_name":"Lee (Legal)","reason":"On file","declaration":"{}",)j"
        R"j("declaration_digest":"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",)j"
        R"j("decision":{"outcome":"written_approval","rules":[{"id":"TAL-1","outcome":"x"}]},)j"
        R"j("checklist":[{"name":"talent_consent","state":"met","evidence":{"text":"é"}}]})j";
    certificate.tree_size = 5;
    certificate.inclusion_proof.push_back({});
    certificate.checkpoint = "clearcut.local/audit\n5\nAAAA\n\n\xE2\x80\x94 x\n";
    std::string bytes = write_approval_certificate_pdf(certificate).value();
    require(read_approval_certificate_pdf(bytes).has_value());
    return bytes;
  }();
  return pdf;
}

void check(std::string_view bytes) {
  auto pdf = read_approval_certificate_pdf(bytes);
  if (pdf) {
    auto again = write_approval_certificate_pdf(*pdf);
    require(again.has_value() && *again == bytes);
  }
  auto json = read_approval_certificate(bytes);
  if (json) {
    auto again = write_approval_certificate(*json);
    require(again.has_value() && *again == bytes);
  }
}

void fuzz_one(std::string_view input) {
  check(input);
  if (input.size() >= 2) {
    std::string spliced = valid_pdf();
    size_t at =
        ((static_cast<uint8_t>(input[0]) << 8) | static_cast<uint8_t>(input[1])) % spliced.size();
    std::string_view patch = input.substr(2);
    spliced.replace(at, std::min(patch.size(), spliced.size() - at), patch);
    check(spliced);
  }
}

}  // namespace
}  // namespace clearcut::clearance

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  clearcut::clearance::fuzz_one(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
