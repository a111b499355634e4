// The writer's output read back by clearcut's own validator (the reference validator checks
// the same kinds of files in tests/c2pa_wasm.cmake).
#include "clearcut/provenance/c2pa/c2pa_writer.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "clearcut/media/image_decoder.h"
#include "clearcut/media/image_encoder.h"
#include "clearcut/provenance/c2pa/actions_assertion.h"
#include "clearcut/provenance/c2pa/bmff.h"
#include "clearcut/provenance/c2pa/c2pa_reader.h"
#include "clearcut/provenance/c2pa/digest.h"
#include "clearcut/provenance/c2pa/hard_binding.h"
#include "clearcut/provenance/c2pa/id3.h"
#include "clearcut/provenance/c2pa/test_samples.h"

namespace clearcut::c2pa {
namespace {

using test_samples::TestSigner;

const TestSigner& test_signer() {
  static const TestSigner kSigner = test_samples::make_signer(CoseAlgorithm::kEs256);
  return kSigner;
}

const SigningKeys& keys() {
  static const SigningKeys kKeys = test_signer().keys();
  return kKeys;
}

media::Image gradient(int width = 48, int height = 32) {
  media::Image image;
  image.width = width;
  image.height = height;
  image.channels = 3;
  image.pixels.resize(image.row_bytes() * height);
  for (size_t i = 0; i < image.pixels.size(); ++i) {
    image.pixels[i] = static_cast<uint8_t>(i * 7 + i / 97);
  }
  return image;
}

void put_u32(std::vector<uint8_t>* out, uint64_t v) {
  for (int i = 3; i >= 0; --i) {
    out->push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
}

std::vector<uint8_t> box(std::string_view type, std::span<const uint8_t> payload) {
  std::vector<uint8_t> out;
  out.reserve(payload.size() + 8);  // GCC 12 -O3: no writes into an empty vector
  put_u32(&out, payload.size() + 8);
  out.insert(out.end(), type.begin(), type.end());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts) {
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

uint64_t read_be(std::span<const uint8_t> d, size_t at, size_t width) {
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) {
    v = (v << 8) | d[at + i];
  }
  return v;
}

// An MP4 skeleton: ftyp, moov with two tracks whose chunk offsets (one stco, one co64) point
// at marked samples inside mdat, then mdat. Enough for the hash and the offset rewriting.
std::vector<uint8_t> small_mp4() {
  std::vector<uint8_t> ftyp = box("ftyp", std::vector<uint8_t>{'i', 's', 'o', 'm', 0, 0, 2, 0, 'i',
                                                               's', 'o', 'm', 'm', 'p', '4', '1'});
  std::vector<uint8_t> samples = {'S', 'A', 'M', 'P', '1', 0, 0, 'S', 'A', 'M', 'P', '2'};
  // Sizes are fixed, so mdat's offset is known before the chunk offsets are written.
  auto moov_for = [&](uint64_t mdat_payload) {
    auto table = [&](std::string_view type, size_t width, std::vector<uint64_t> offsets) {
      std::vector<uint8_t> payload = {0, 0, 0, 0};
      put_u32(&payload, offsets.size());
      for (uint64_t o : offsets) {
        if (width == 8) {
          put_u32(&payload, o >> 32);
        }
        put_u32(&payload, o & 0xFFFFFFFFu);
      }
      return box(type, payload);
    };
    auto trak = [&](std::vector<uint8_t> offsets_box) {
      return box("trak", box("mdia", box("minf", box("stbl", offsets_box))));
    };
    return box("moov", concat({trak(table("stco", 4, {mdat_payload, mdat_payload + 7})),
                               trak(table("co64", 8, {mdat_payload + 7}))}));
  };
  size_t mdat_payload = ftyp.size() + moov_for(0).size() + 8;
  return concat({ftyp, moov_for(mdat_payload), box("mdat", samples)});
}

ManifestDefinition generated_by(std::string tool) {
  ManifestDefinition definition;
  definition.software_agent = {std::move(tool), "2.1"};
  definition.registration = Registration{"uc-42", "The Production", "asset-7"};
  return definition;
}

C2paReport read_back(std::span<const uint8_t> asset, bool with_root) {
  TrustAnchors anchors = test_signer().anchors();
  ReadOptions options;
  options.trust_anchors = with_root ? &anchors : nullptr;
  auto report = read_c2pa(asset, options);
  EXPECT_TRUE(report.has_value());
  return report.has_value() ? std::move(report).value() : C2paReport();
}

std::set<std::string> codes(const C2paReport& report) {
  auto list = report.failure_codes();
  return {list.begin(), list.end()};
}

const Assertion* find_assertion(const C2paReport& report, std::string_view label) {
  const Manifest* manifest = report.store->active_manifest();
  for (const Assertion& a : manifest->assertions) {
    if (a.label == label) {
      return &a;
    }
  }
  return nullptr;
}

// A WAV: "RIFF", "WAVE", "fmt " (PCM, mono, 8 kHz, 16-bit) and `samples` 16-bit samples of a
// ramp in "data", with `odd_tail` extra bytes of a chunk of odd size after it (and no pad byte,
// as some writers leave it).
std::vector<uint8_t> small_wav(size_t samples = 400, bool odd_tail = false) {
  std::vector<uint8_t> out;
  auto le32 = [&out](uint32_t v) {
    for (int i = 0; i < 4; ++i) {
      out.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
  };
  auto le16 = [&out](uint32_t v) {
    out.push_back(static_cast<uint8_t>(v));
    out.push_back(static_cast<uint8_t>(v >> 8));
  };
  out.insert(out.end(), {'R', 'I', 'F', 'F'});
  le32(0);  // set below
  out.insert(out.end(), {'W', 'A', 'V', 'E', 'f', 'm', 't', ' '});
  le32(16);
  le16(1);
  le16(1);
  le32(8000);
  le32(16000);
  le16(2);
  le16(16);
  out.insert(out.end(), {'d', 'a', 't', 'a'});
  le32(static_cast<uint32_t>(samples * 2));
  for (size_t i = 0; i < samples; ++i) {
    le16(static_cast<uint32_t>(i * 97));
  }
  if (odd_tail) {
    out.insert(out.end(), {'n', 'o', 't', 'e'});
    le32(3);
    out.insert(out.end(), {'a', 'b', 'c'});
  }
  const auto size = static_cast<uint32_t>(out.size() - 8);
  for (int i = 0; i < 4; ++i) {
    out[4 + static_cast<size_t>(i)] = static_cast<uint8_t>(size >> (8 * i));
  }
  return out;
}

// One MPEG-1 Layer III frame of silence at 128 kbit/s and 44.1 kHz, mono: a 4-byte header and
// zeros (side information of zero granules), 417 bytes.
std::vector<uint8_t> mpeg_frame() {
  std::vector<uint8_t> frame(417, 0);
  frame[0] = 0xFF;
  frame[1] = 0xFB;  // sync, MPEG-1, Layer III, no CRC
  frame[2] = 0x90;  // 128 kbit/s, 44.1 kHz, no padding
  frame[3] = 0xC4;  // mono, original
  return frame;
}

// A synchsafe integer (id3v2.4.0-structure §6.2).
void put_synchsafe(std::vector<uint8_t>* out, size_t at, size_t v) {
  for (size_t i = 0; i < 4; ++i) {
    (*out)[at + i] = static_cast<uint8_t>((v >> (7 * (3 - i))) & 0x7F);
  }
}

size_t get_synchsafe(std::span<const uint8_t> d, size_t at) {
  return (size_t{d[at]} << 21) | (size_t{d[at + 1]} << 14) | (size_t{d[at + 2]} << 7) | d[at + 3];
}

// An ID3v2 frame: id, size (synchsafe in v2.4, plain in v2.3), flags, data.
std::vector<uint8_t> id3_frame(int major, std::string_view id, std::string_view data,
                               uint16_t flags = 0) {
  std::vector<uint8_t> out(id.begin(), id.end());
  out.resize(10, 0);
  if (major == 4) {
    put_synchsafe(&out, 4, data.size());
  } else {
    for (size_t i = 0; i < 4; ++i) {
      out[4 + i] = static_cast<uint8_t>(data.size() >> (8 * (3 - i)));
    }
  }
  out[8] = static_cast<uint8_t>(flags >> 8);
  out[9] = static_cast<uint8_t>(flags);
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

// An ID3v2 tag of `frames`, `padding` zero bytes and `flags`; a v2.4 footer with flag 0x10.
std::vector<uint8_t> id3_tag(int major, const std::vector<std::vector<uint8_t>>& frames,
                             size_t padding = 0, uint8_t flags = 0) {
  std::vector<uint8_t> out = {'I', 'D', '3', static_cast<uint8_t>(major), 0, flags, 0, 0, 0, 0};
  for (const auto& f : frames) {
    out.insert(out.end(), f.begin(), f.end());
  }
  out.insert(out.end(), padding, 0);
  put_synchsafe(&out, 6, out.size() - 10);
  if ((flags & 0x10) != 0) {
    std::vector<uint8_t> footer(out.begin(), out.begin() + 10);
    std::copy_n("3DI", 3, footer.begin());
    out.insert(out.end(), footer.begin(), footer.end());
  }
  return out;
}

// An MP3: `tag` (none when empty), then `frames` MPEG frames of silence.
std::vector<uint8_t> small_mp3(std::vector<uint8_t> tag, size_t frames = 4) {
  std::vector<uint8_t> out = std::move(tag);
  for (size_t i = 0; i < frames; ++i) {
    std::vector<uint8_t> frame = mpeg_frame();
    frame[100 + i] = static_cast<uint8_t>(i + 1);  // frames that differ
    out.insert(out.end(), frame.begin(), frame.end());
  }
  return out;
}

// An MP3 as ffmpeg writes one: an ID3v2.4 tag with a TSSE frame and no padding.
std::vector<uint8_t> small_mp3() {
  return small_mp3(id3_tag(4, {id3_frame(4, "TSSE", std::string("\x03Lavf59.27.100", 14))}));
}

uint32_t read_le32(std::span<const uint8_t> d, size_t at) {
  return uint32_t{d[at]} | (uint32_t{d[at + 1]} << 8) | (uint32_t{d[at + 2]} << 16) |
         (uint32_t{d[at + 3]} << 24);
}

enum class Kind { kJpeg, kPng, kMp4, kWav, kMp3 };

std::vector<uint8_t> unsigned_asset(Kind kind) {
  switch (kind) {
    case Kind::kJpeg:
      return media::encode_jpeg(gradient()).value();
    case Kind::kPng:
      return media::encode_png(gradient()).value();
    case Kind::kMp4:
      return small_mp4();
    case Kind::kWav:
      return small_wav();
    case Kind::kMp3:
      return small_mp3();
  }
  return {};
}

class C2paWriterTest : public testing::TestWithParam<Kind> {};

TEST_P(C2paWriterTest, WrittenManifestIsTrustedWithTheRootAndValidWithout) {
  std::vector<uint8_t> input = unsigned_asset(GetParam());
  auto written = write_c2pa(input, keys(), generated_by("Imagine 3"));
  ASSERT_TRUE(written.has_value()) << written.error().to_string();
  // A WAV's carrier is its C2PA chunk less the pad byte an odd store gets; an MP3's the store
  // in its GEOB frame, after the frame's header (10 bytes) and fields (60).
  const size_t pad = GetParam() == Kind::kWav   ? written->carrier.length & 1
                     : GetParam() == Kind::kMp3 ? 70
                                                : 0;
  EXPECT_EQ(written->bytes.size(), input.size() + written->carrier.length + pad);
  EXPECT_EQ(written->manifest_label.rfind("urn:c2pa:", 0), 0u);
  EXPECT_EQ(written->instance_id.rfind("xmp:iid:", 0), 0u);

  C2paReport trusted = read_back(written->bytes, true);
  EXPECT_EQ(trusted.verdict, Verdict::kTrusted) << testing::PrintToString(trusted.failure_codes());
  EXPECT_EQ(trusted.active_manifest, written->manifest_label);
  ASSERT_EQ(trusted.carriers.size() == 1 ? trusted.carriers[0] : ByteRange{},
            (ByteRange{written->carrier.offset, written->carrier.length}));
  ASSERT_EQ(trusted.ai.findings.size(), 1u);
  const SourceTypeFinding& finding = trusted.ai.findings[0];
  EXPECT_EQ(finding.uri, "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia");
  EXPECT_EQ(finding.action, "c2pa.created");
  EXPECT_EQ(finding.assertion_label, "c2pa.actions.v2");
  EXPECT_EQ(finding.software_agent, "Imagine 3");
  EXPECT_TRUE(finding.verified);
  EXPECT_EQ(trusted.store->active_manifest()->claim.instance_id, written->instance_id);

  const Assertion* registration = find_assertion(trusted, kRegistrationLabel);
  ASSERT_NE(registration, nullptr);
  ASSERT_TRUE(registration->cbor.has_value());
  EXPECT_EQ(registration->cbor->find_text("use_case_id"), "uc-42");
  EXPECT_EQ(registration->cbor->find_text("production"), "The Production");
  EXPECT_EQ(registration->cbor->find_text("asset_id"), "asset-7");

  C2paReport untrusted = read_back(written->bytes, false);
  EXPECT_EQ(untrusted.verdict, Verdict::kValid);
  EXPECT_EQ(codes(untrusted), std::set<std::string>{"signingCredential.untrusted"});
}

TEST_P(C2paWriterTest, ChangedContentBreaksTheBinding) {
  std::vector<uint8_t> bytes =
      write_c2pa(unsigned_asset(GetParam()), keys(), generated_by("x")).value().bytes;
  // A byte the binding covers: a WAV's store is its last chunk, so one of its samples.
  bytes[GetParam() == Kind::kWav ? 60 : bytes.size() - 5] ^= 0x10;
  C2paReport report = read_back(bytes, true);
  EXPECT_EQ(report.verdict, Verdict::kInvalid);
  EXPECT_EQ(codes(report),
            std::set<std::string>{GetParam() == Kind::kMp4 ? "assertion.bmffHash.mismatch"
                                                           : "assertion.dataHash.mismatch"});
}

TEST_P(C2paWriterTest, AssetWithCredentialsIsNotSignedAgain) {
  std::vector<uint8_t> once =
      write_c2pa(unsigned_asset(GetParam()), keys(), generated_by("x")).value().bytes;
  auto twice = write_c2pa(once, keys(), generated_by("x"));
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code(), base::ErrorCode::kFailedPrecondition);
  // Not even with the original as the parent: the bytes signed must carry no store.
  ManifestDefinition edit = generated_by("x");
  edit.parent = ParentAsset{once, "once", "", "", {}};
  auto over = write_c2pa(once, keys(), edit);
  ASSERT_FALSE(over.has_value());
  EXPECT_EQ(over.error().code(), base::ErrorCode::kFailedPrecondition);
}

ManifestDefinition ai_edit_of(std::span<const uint8_t> parent, std::string title = "original") {
  ManifestDefinition definition = generated_by("Inpainter");
  definition.digital_source_type = DigitalSourceType::kCompositeWithTrainedAlgorithmicMedia;
  definition.parent = ParentAsset{parent, std::move(title), "", "", {}};
  return definition;
}

std::vector<uint8_t> payload_of(const ManifestStore& store, const Assertion& assertion) {
  std::span<const uint8_t> bytes = store.bytes(assertion.contents);
  return {bytes.begin(), bytes.end()};
}

// An AI edit of a file that already carries Content Credentials: the original becomes the
// parentOf ingredient, its manifest is copied in, and c2pa.opened names the ingredient.
TEST_P(C2paWriterTest, ParentWithCredentialsBecomesTheParentOfIngredient) {
  ManifestDefinition original = generated_by("Imagine 3");
  original.title = "plate_v1";
  original.instance_id = "xmp:iid:11111111-2222-4333-8444-555555555555";
  SignedAsset parent = write_c2pa(unsigned_asset(GetParam()), keys(), original).value();

  // What stamp signs is new bytes (a re-encoded picture): here the unsigned asset again.
  ManifestDefinition edit = ai_edit_of(parent.bytes, "plate_v1.orig");
  auto written = write_c2pa(unsigned_asset(GetParam()), keys(), edit);
  ASSERT_TRUE(written.has_value()) << written.error().to_string();
  EXPECT_EQ(written->parent_manifest, parent.manifest_label);
  EXPECT_EQ(written->parent_verdict, Verdict::kValid);  // validated without anchors

  C2paReport report = read_back(written->bytes, true);
  EXPECT_EQ(report.verdict, Verdict::kTrusted) << testing::PrintToString(report.failure_codes());
  EXPECT_TRUE(report.integrity.intact);
  EXPECT_EQ(report.active_manifest, written->manifest_label);
  ASSERT_EQ(report.store->manifests().size(), 2u);
  const Manifest& copied = report.store->manifests()[0];
  EXPECT_EQ(copied.label, parent.manifest_label);
  // Copied byte for byte: the parent's own store is the one it was signed in.
  C2paReport parent_report = read_back(parent.bytes, true);
  std::span<const uint8_t> before =
      parent_report.store->bytes(parent_report.store->active_manifest()->superbox);
  std::span<const uint8_t> after = report.store->bytes(copied.superbox);
  EXPECT_TRUE(std::equal(before.begin(), before.end(), after.begin(), after.end()));

  // The ingredient, as the reader lists it.
  ASSERT_EQ(report.ingredients.size(), 1u);
  const IngredientFinding& found = report.ingredients[0];
  EXPECT_EQ(found.manifest_label, written->manifest_label);
  EXPECT_EQ(found.assertion_uri,
            "self#jumbf=/c2pa/" + written->manifest_label + "/c2pa.assertions/c2pa.ingredient.v3");
  EXPECT_EQ(found.ingredient_manifest, parent.manifest_label);
  EXPECT_TRUE(found.manifest_present);
  const Ingredient& ingredient = found.ingredient;
  EXPECT_EQ(ingredient.version, 3);
  EXPECT_EQ(ingredient.relationship, "parentOf");
  EXPECT_EQ(ingredient.title, "plate_v1.orig");
  const std::map<Kind, std::string> formats = {{Kind::kJpeg, "image/jpeg"},
                                               {Kind::kPng, "image/png"},
                                               {Kind::kMp4, "video/mp4"},
                                               {Kind::kWav, "audio/wav"},
                                               {Kind::kMp3, "audio/mpeg"}};
  EXPECT_EQ(ingredient.format, formats.at(GetParam()));
  EXPECT_EQ(ingredient.instance_id, original.instance_id);  // the parent claim's
  ASSERT_TRUE(ingredient.manifest.has_value());
  EXPECT_EQ(ingredient.manifest->url, "self#jumbf=/c2pa/" + parent.manifest_label);
  EXPECT_EQ(ingredient.manifest->hash,
            digest(HashAlgorithm::kSha256, report.store->bytes(copied.contents)));
  ASSERT_TRUE(ingredient.claim_signature.has_value());
  EXPECT_EQ(ingredient.claim_signature->url,
            "self#jumbf=/c2pa/" + parent.manifest_label + "/c2pa.signature");
  EXPECT_EQ(ingredient.claim_signature->hash,
            digest(HashAlgorithm::kSha256, report.store->bytes(copied.signature_contents)));
  // validationResults: what the reader said of the parent, untrusted signer included.
  std::set<std::string> recorded;
  for (const RecordedStatus& r : ingredient.recorded_statuses) {
    recorded.insert(r.code);
  }
  for (const char* code : {"claimSignature.validated", "claimSignature.insideValidity",
                           "assertion.hashedURI.match", "signingCredential.untrusted"}) {
    EXPECT_TRUE(recorded.count(code)) << code;
  }
  EXPECT_TRUE(recorded.count(GetParam() == Kind::kMp4 ? "assertion.bmffHash.match"
                                                      : "assertion.dataHash.match"));

  // The actions: c2pa.opened names the ingredient, then c2pa.edited carries the source type.
  const Assertion* actions_box = find_assertion(report, "c2pa.actions.v2");
  ASSERT_NE(actions_box, nullptr);
  ActionsAssertion actions = ActionsAssertion::from_cbor(*actions_box->cbor, 2).value();
  ASSERT_EQ(actions.actions.size(), 2u);
  EXPECT_EQ(actions.actions[0].action, "c2pa.opened");
  EXPECT_FALSE(actions.actions[0].digital_source_type.has_value());
  ASSERT_EQ(actions.actions[0].ingredients.size(), 1u);
  const HashedUri& ref = actions.actions[0].ingredients[0];
  EXPECT_EQ(ref.url, "self#jumbf=c2pa.assertions/c2pa.ingredient.v3");
  const Assertion* ingredient_box = find_assertion(report, "c2pa.ingredient.v3");
  ASSERT_NE(ingredient_box, nullptr);
  EXPECT_EQ(ref.hash, digest(HashAlgorithm::kSha256, payload_of(*report.store, *ingredient_box)));
  EXPECT_EQ(actions.actions[1].action, "c2pa.edited");

  // AI disclosure: the edit in the active manifest, the generation in the ingredient's.
  ASSERT_EQ(report.ai.findings.size(), 2u);
  const SourceTypeFinding& edit_finding = report.ai.findings[0];
  EXPECT_EQ(edit_finding.type, DigitalSourceType::kCompositeWithTrainedAlgorithmicMedia);
  EXPECT_TRUE(edit_finding.active_manifest);
  EXPECT_EQ(edit_finding.scope(), "active manifest");
  EXPECT_EQ(edit_finding.action, "c2pa.edited");
  EXPECT_EQ(edit_finding.software_agent, "Inpainter");
  EXPECT_TRUE(edit_finding.verified);
  const SourceTypeFinding& parent_finding = report.ai.findings[1];
  EXPECT_EQ(parent_finding.type, DigitalSourceType::kTrainedAlgorithmicMedia);
  EXPECT_FALSE(parent_finding.active_manifest);
  EXPECT_EQ(parent_finding.scope(), "ingredient");
  EXPECT_EQ(parent_finding.manifest_label, parent.manifest_label);
  EXPECT_EQ(parent_finding.ingredient_uri, found.assertion_uri);
  EXPECT_EQ(parent_finding.relationship, "parentOf");
  EXPECT_EQ(parent_finding.action, "c2pa.created");
  EXPECT_EQ(parent_finding.software_agent, "Imagine 3");
  EXPECT_TRUE(parent_finding.verified);
  for (const SourceTypeFinding& f : report.ai.findings) {
    EXPECT_FALSE(f.active_manifest && f.action == "c2pa.created");
  }

  C2paReport untrusted = read_back(written->bytes, false);
  EXPECT_EQ(untrusted.verdict, Verdict::kValid);
  EXPECT_EQ(codes(untrusted), std::set<std::string>{"signingCredential.untrusted"});

  // The binding still covers the new asset.
  std::vector<uint8_t> tampered = written->bytes;
  tampered[tampered.size() - 5] ^= 0x10;
  EXPECT_EQ(read_back(tampered, true).verdict, Verdict::kInvalid);
}

INSTANTIATE_TEST_SUITE_P(Formats, C2paWriterTest,
                         testing::Values(Kind::kJpeg, Kind::kPng, Kind::kMp4, Kind::kWav,
                                         Kind::kMp3),
                         [](const testing::TestParamInfo<Kind>& param_info) {
                           switch (param_info.param) {
                             case Kind::kJpeg:
                               return "Jpeg";
                             case Kind::kPng:
                               return "Png";
                             case Kind::kMp4:
                               return "Mp4";
                             case Kind::kWav:
                               return "Wav";
                             case Kind::kMp3:
                               return "Mp3";
                           }
                           return "";
                         });

TEST(C2paWriterTest, AiEditIsCompositeWithTrainedAlgorithmicMedia) {
  ManifestDefinition definition = generated_by("Inpainter");
  definition.digital_source_type = DigitalSourceType::kCompositeWithTrainedAlgorithmicMedia;
  definition.title = "shot_010_v3.png";
  definition.instance_id = "xmp:iid:6b8f3a3e-1111-4222-8333-944455556666";
  auto written = write_c2pa(unsigned_asset(Kind::kPng), keys(), definition);
  ASSERT_TRUE(written.has_value());
  EXPECT_EQ(written->instance_id, definition.instance_id);
  C2paReport report = read_back(written->bytes, true);
  EXPECT_EQ(report.verdict, Verdict::kTrusted);
  EXPECT_EQ(report.ai.terms(), std::vector<std::string>{"compositeWithTrainedAlgorithmicMedia"});
  EXPECT_TRUE(report.ai.generative_ai());
  EXPECT_EQ(report.store->active_manifest()->claim.title, "shot_010_v3.png");
  EXPECT_EQ(report.store->active_manifest()->claim.instance_id, definition.instance_id);
}

TEST(C2paWriterTest, JpegStoreGoesAfterJfifAndExifAndKeepsThePicture) {
  std::vector<uint8_t> plain = media::encode_jpeg(gradient()).value();
  ASSERT_EQ(plain[3], 0xE0);  // libjpeg writes JFIF first
  // Add an Exif APP1 after JFIF: the store must follow both.
  size_t jfif_end = 4 + ((size_t{plain[4]} << 8) | plain[5]);
  std::vector<uint8_t> exif = {0xFF, 0xE1, 0x00, 0x08, 'E', 'x', 'i', 'f', 0, 0};
  std::vector<uint8_t> input(plain.begin(), plain.begin() + static_cast<std::ptrdiff_t>(jfif_end));
  input.insert(input.end(), exif.begin(), exif.end());
  input.insert(input.end(), plain.begin() + static_cast<std::ptrdiff_t>(jfif_end), plain.end());

  SignedAsset written = write_c2pa(input, keys(), generated_by("x")).value();
  EXPECT_EQ(written.carrier.offset, jfif_end + exif.size());
  EXPECT_EQ(written.bytes[written.carrier.offset + 1], 0xEB);
  EXPECT_EQ(media::decode_image(written.bytes).value().pixels,
            media::decode_image(input).value().pixels);
}

TEST(C2paWriterTest, LargeJpegStoreIsSplitOverApp11Segments) {
  ManifestDefinition definition = generated_by("x");
  // A 150 kB assertion: three segments of 64000 store bytes.
  definition.assertions.push_back(
      {"com.example.notes", CborValue::bytes(std::vector<uint8_t>(150000, 0x5A))});
  SignedAsset written = write_c2pa(unsigned_asset(Kind::kJpeg), keys(), definition).value();
  C2paReport report = read_back(written.bytes, true);
  EXPECT_EQ(report.verdict, Verdict::kTrusted) << testing::PrintToString(report.failure_codes());
  ASSERT_EQ(report.carriers.size(), 3u);
  // The data hash excludes the whole run of segments, markers and lengths included.
  EXPECT_EQ(report.carriers.front().offset, written.carrier.offset);
  EXPECT_EQ(report.carriers.back().end(), written.carrier.end());
  EXPECT_NE(find_assertion(report, "com.example.notes"), nullptr);

  WriteOptions small;
  small.jpeg_segment_payload = 500;
  SignedAsset many =
      write_c2pa(unsigned_asset(Kind::kJpeg), keys(), generated_by("x"), small).value();
  C2paReport split = read_back(many.bytes, true);
  EXPECT_EQ(split.verdict, Verdict::kTrusted);
  EXPECT_GT(split.carriers.size(), 2u);
}

uint32_t crc32(std::span<const uint8_t> bytes) {
  uint32_t crc = 0xFFFFFFFFu;
  for (uint8_t b : bytes) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) {
      crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
    }
  }
  return ~crc;
}

TEST(C2paWriterTest, PngChunkFollowsIhdrWithItsCrc) {
  std::vector<uint8_t> input = unsigned_asset(Kind::kPng);
  SignedAsset written = write_c2pa(input, keys(), generated_by("x")).value();
  EXPECT_EQ(written.carrier.offset, 33u);  // signature 8 + IHDR 25
  std::span<const uint8_t> chunk(written.bytes.data() + written.carrier.offset,
                                 written.carrier.length);
  EXPECT_EQ(std::string(chunk.begin() + 4, chunk.begin() + 8), "caBX");
  EXPECT_EQ(read_be(chunk, 0, 4), chunk.size() - 12);
  EXPECT_EQ(read_be(chunk, chunk.size() - 4, 4), crc32(chunk.subspan(4, chunk.size() - 8)));
  EXPECT_EQ(media::decode_image(written.bytes).value().pixels,
            media::decode_image(input).value().pixels);
}

TEST(C2paWriterTest, Mp4ChunkOffsetsFollowTheirSamples) {
  std::vector<uint8_t> input = small_mp4();
  SignedAsset written = write_c2pa(input, keys(), generated_by("x")).value();
  std::vector<BmffBox> boxes = parse_bmff(written.bytes).value();
  ASSERT_GE(boxes.size(), 4u);
  EXPECT_EQ(boxes[0].type_name(), "ftyp");
  EXPECT_EQ(boxes[1].type_name(), "uuid");  // C2PA §A.5: after ftyp, before moov and mdat
  EXPECT_EQ(boxes[1].box, written.carrier);

  std::vector<uint64_t> offsets;
  for (std::string_view type : {"stco", "co64"}) {
    size_t width = type == "stco" ? 4 : 8;
    for (const BmffBox* b :
         find_bmff_boxes(boxes, "/moov/trak/mdia/minf/stbl/" + std::string(type))) {
      size_t at = b->box.offset + b->header_size + 4;
      uint64_t count = read_be(written.bytes, at, 4);
      for (uint64_t i = 0; i < count; ++i) {
        offsets.push_back(read_be(written.bytes, at + 4 + i * width, width));
      }
    }
  }
  ASSERT_EQ(offsets.size(), 3u);
  auto text_at = [&](uint64_t offset) {
    return std::string(written.bytes.begin() + static_cast<std::ptrdiff_t>(offset),
                       written.bytes.begin() + static_cast<std::ptrdiff_t>(offset + 5));
  };
  EXPECT_EQ(text_at(offsets[0]), "SAMP1");
  EXPECT_EQ(text_at(offsets[1]), "SAMP2");
  EXPECT_EQ(text_at(offsets[2]), "SAMP2");
}

TEST(C2paWriterTest, Mp4XmpBoxStaysRightAfterFtyp) {
  std::vector<uint8_t> input = small_mp4();
  std::vector<uint8_t> xmp_payload = {0xBE, 0x7A, 0xCF, 0xCB, 0x97, 0xA9, 0x42, 0xE8, 0x9C, 0x71,
                                      0x99, 0x94, 0x91, 0xE3, 0xAF, 0xAC, '<',  'x',  '/',  '>'};
  std::vector<uint8_t> xmp = box("uuid", xmp_payload);
  size_t ftyp_size = read_be(input, 0, 4);
  // The chunk offsets go stale here; only where the store goes matters.
  std::vector<uint8_t> with_xmp(input.begin(),
                                input.begin() + static_cast<std::ptrdiff_t>(ftyp_size));
  with_xmp.insert(with_xmp.end(), xmp.begin(), xmp.end());
  with_xmp.insert(with_xmp.end(), input.begin() + static_cast<std::ptrdiff_t>(ftyp_size),
                  input.end());
  SignedAsset written = write_c2pa(with_xmp, keys(), generated_by("x")).value();
  EXPECT_EQ(written.carrier.offset, ftyp_size + xmp.size());
  EXPECT_EQ(read_back(written.bytes, true).verdict, Verdict::kTrusted);
}

// C2PA §A.4: the store is the WAV's last chunk, "C2PA", and the RIFF's size grows by it; the
// samples are untouched. A last chunk of odd size without its pad byte gets one first. The data
// hash excludes the chunk's header and data: a store of odd size is followed by a pad byte,
// which is hashed (as c2pa-rs locates the chunk). Stores of both parities are written: a custom
// assertion of one or two bytes changes the store's size by one.
TEST(C2paWriterTest, WavStoreIsTheLastChunkAndTheRiffGrowsByIt) {
  std::set<uint32_t> parities;
  for (bool odd : {false, true}) {
    for (size_t extra : {1, 2}) {
      std::vector<uint8_t> input = small_wav(400, odd);
      ManifestDefinition definition = generated_by("Voice");
      definition.assertions.push_back(
          {"com.example.size", CborValue::bytes(std::vector<uint8_t>(extra, 0x11))});
      SignedAsset written = write_c2pa(input, keys(), definition).value();
      const std::vector<uint8_t>& out = written.bytes;
      EXPECT_EQ(written.carrier.offset, input.size() + (odd ? 1 : 0));
      EXPECT_EQ(std::string(out.begin() + static_cast<std::ptrdiff_t>(written.carrier.offset),
                            out.begin() + static_cast<std::ptrdiff_t>(written.carrier.offset + 4)),
                "C2PA");
      const uint32_t store_size = read_le32(out, written.carrier.offset + 4);
      parities.insert(store_size & 1);
      EXPECT_EQ(written.carrier.length, 8 + store_size);
      EXPECT_EQ(out.size(), written.carrier.end() + (store_size & 1));
      EXPECT_EQ(read_le32(out, 4), out.size() - 8);
      EXPECT_TRUE(std::equal(input.begin() + 8, input.end(), out.begin() + 8));
      C2paReport report = read_back(out, true);
      EXPECT_EQ(report.verdict, Verdict::kTrusted)
          << testing::PrintToString(report.failure_codes());
      EXPECT_EQ(report.format, AssetFormat::kRiff);
      // Signing it again is refused, as for every format.
      EXPECT_FALSE(write_c2pa(out, keys(), generated_by("x")).has_value());
    }
  }
  EXPECT_EQ(parities.size(), 2u);
}

TEST(C2paWriterTest, DamagedWavIsAnErrorNamingTheByte) {
  auto refused = [](std::vector<uint8_t> wav) {
    auto written = write_c2pa(wav, keys(), generated_by("x"));
    EXPECT_FALSE(written.has_value());
    return written.has_value() ? std::string() : written.error().to_string();
  };
  std::vector<uint8_t> wav = small_wav();
  std::vector<uint8_t> trailing = wav;
  trailing.insert(trailing.end(), {0, 0, 0, 0});  // bytes after the RIFF's end
  EXPECT_NE(refused(trailing).find("4 bytes after the RIFF's end"), std::string::npos);
  std::vector<uint8_t> long_chunk = wav;
  long_chunk[40] = 0xFF;  // the data chunk's size runs past the RIFF
  EXPECT_NE(refused(long_chunk).find("chunk \"data\""), std::string::npos);
  std::vector<uint8_t> big_riff = wav;
  big_riff[7] = 0x7F;  // the RIFF's size runs past the file
  EXPECT_NE(refused(big_riff).find("runs past the file"), std::string::npos);
  std::vector<uint8_t> webp = wav;
  std::copy_n("WEBP", 4, webp.begin() + 8);
  auto written = write_c2pa(webp, keys(), generated_by("x"));
  ASSERT_FALSE(written.has_value());
  EXPECT_EQ(written.error().code(), base::ErrorCode::kUnsupported);
}

// C2PA §A.4 (MP3): the store is the object of a GEOB frame of MIME type
// application/x-c2pa-manifest-store, added behind the frames of the file's ID3v2 tag (v2.3 or
// v2.4, its other frames, padding and footer kept, its size grown by the frame) or in a new
// ID3v2.4 tag at the front; the MPEG frames are untouched. The data hash excludes the store
// only, as c2pa-rs locates it.
TEST(C2paWriterTest, Mp3StoreIsAGeobFrameInTheId3Tag) {
  const std::vector<uint8_t> title3 = id3_frame(3, "TIT2", std::string("\0line 12", 8));
  const std::vector<uint8_t> title4 = id3_frame(4, "TIT2", std::string("\0line 12", 8));
  struct Case {
    const char* name;
    std::vector<uint8_t> tag;
    size_t frames_end;  // where the GEOB goes: behind the tag's frames
  };
  const std::vector<uint8_t> padded = id3_tag(3, {title3}, 64);
  const std::vector<uint8_t> footer = id3_tag(4, {title4}, 0, 0x10);
  // Padding before a footer breaks id3v2.4.0-structure §3.4, but writers leave it.
  const std::vector<uint8_t> padded_footer = id3_tag(4, {title4}, 32, 0x10);
  for (const Case& c :
       {Case{"no tag", {}, 0}, Case{"v2.3 with padding", padded, 10 + title3.size()},
        Case{"v2.4 with a footer", footer, 10 + title4.size()},
        Case{"v2.4 with padding and a footer", padded_footer, 10 + title4.size()}}) {
    SCOPED_TRACE(c.name);
    const std::vector<uint8_t> input = small_mp3(c.tag);
    SignedAsset written = write_c2pa(input, keys(), generated_by("Voice")).value();
    const std::vector<uint8_t>& out = written.bytes;
    EXPECT_EQ(written.format, AssetFormat::kMp3);
    const size_t geob_at = c.tag.empty() ? 10 : c.frames_end;
    ASSERT_EQ(std::string(out.begin() + static_cast<std::ptrdiff_t>(geob_at),
                          out.begin() + static_cast<std::ptrdiff_t>(geob_at + 4)),
              "GEOB");
    EXPECT_EQ(written.carrier.offset, geob_at + 70);
    const std::string fields(out.begin() + static_cast<std::ptrdiff_t>(geob_at + 10),
                             out.begin() + static_cast<std::ptrdiff_t>(geob_at + 70));
    EXPECT_EQ(fields,
              std::string("\0application/x-c2pa-manifest-store\0c2pa\0c2pa manifest store\0", 60));
    // The tag: a new v2.4 one, or the input's grown by the frame, its size in its footer too.
    const size_t tag_size = get_synchsafe(out, 6);
    EXPECT_EQ(out[3], c.tag.empty() ? 4 : c.tag[3]);
    const size_t tag_end =
        10 + tag_size + (c.tag.empty() ? 0 : c.tag.size() - 10 - get_synchsafe(c.tag, 6));
    EXPECT_EQ(out.size(), input.size() + (tag_end - c.tag.size()));
    EXPECT_TRUE(std::equal(input.begin() + static_cast<std::ptrdiff_t>(c.tag.size()), input.end(),
                           out.begin() + static_cast<std::ptrdiff_t>(tag_end)));
    EXPECT_TRUE(is_mpeg_audio_frame(out, tag_end));
    if (!c.tag.empty()) {
      EXPECT_EQ(tag_size, get_synchsafe(c.tag, 6) + written.carrier.length + 70);
      EXPECT_TRUE(std::equal(c.tag.begin() + 10,
                             c.tag.begin() + static_cast<std::ptrdiff_t>(c.frames_end),
                             out.begin() + 10));  // the other frames as they were
    }
    if (!c.tag.empty() && (c.tag[5] & 0x10) != 0) {
      EXPECT_EQ(out[tag_end - 10], '3');
      EXPECT_EQ(get_synchsafe(out, tag_end - 4), tag_size);
    }
    const Id3Tag parsed = parse_id3(out).value();
    EXPECT_EQ(parsed.frames.size(), c.tag.empty() ? 1u : 2u);
    C2paReport report = read_back(out, true);
    EXPECT_EQ(report.verdict, Verdict::kTrusted) << testing::PrintToString(report.failure_codes());
    EXPECT_EQ(report.format, AssetFormat::kMp3);
    ASSERT_EQ(report.carriers.size(), 1u);
    EXPECT_EQ(report.carriers[0], written.carrier);
    // Signing it again is refused, as for every format.
    auto again = write_c2pa(out, keys(), generated_by("x"));
    ASSERT_FALSE(again.has_value());
    EXPECT_EQ(again.error().code(), base::ErrorCode::kFailedPrecondition);
    // A changed byte of the tag's header (outside the store) breaks the binding as well.
    std::vector<uint8_t> tampered = out;
    tampered[4] ^= 0x01;
    EXPECT_EQ(read_back(tampered, true).verdict, Verdict::kInvalid);
  }
}

// Tags the writer cannot add a frame to, or that do not parse: refused, naming why and where.
TEST(C2paWriterTest, Mp3TagsThatCannotTakeTheStoreAreRefused) {
  auto refused = [](const std::vector<uint8_t>& mp3, base::ErrorCode code) {
    auto written = write_c2pa(mp3, keys(), generated_by("x"));
    EXPECT_FALSE(written.has_value());
    if (written.has_value()) {
      return std::string();
    }
    EXPECT_EQ(written.error().code(), code) << written.error().to_string();
    return written.error().to_string();
  };
  const auto bad = base::ErrorCode::kInvalidArgument;
  const auto unsupported = base::ErrorCode::kUnsupported;
  const std::vector<uint8_t> title = id3_frame(4, "TIT2", std::string("\0x", 2));
  std::vector<uint8_t> long_tag = small_mp3(id3_tag(4, {title}));
  put_synchsafe(&long_tag, 6, 0x0FFFFFFF);
  EXPECT_NE(refused(long_tag, bad).find("the tag size (268435455) runs past the file"),
            std::string::npos);
  std::vector<uint8_t> not_synchsafe = small_mp3(id3_tag(4, {title}));
  not_synchsafe[8] = 0x80;
  EXPECT_NE(refused(not_synchsafe, bad).find("the tag size is not a synchsafe integer"),
            std::string::npos);
  std::vector<uint8_t> long_frame = small_mp3(id3_tag(4, {title}));
  long_frame[10 + 7] = 0x7F;
  EXPECT_NE(refused(long_frame, bad).find("frame \"TIT2\" of 127 bytes runs past the tag's end"),
            std::string::npos);
  std::vector<uint8_t> bad_id = small_mp3(id3_tag(4, {title}));
  bad_id[11] = 'i';
  EXPECT_NE(refused(bad_id, bad).find("expected 4 characters of A-Z 0-9 at byte 10"),
            std::string::npos);
  EXPECT_NE(refused(small_mp3(id3_tag(4, {title}, 0, 0x80)), unsupported).find("unsynchronised"),
            std::string::npos);
  std::vector<uint8_t> v22 = small_mp3(id3_tag(2, {}, 16));
  EXPECT_NE(refused(v22, unsupported).find("version 2.2"), std::string::npos);
  // A v2.3 extended header with a CRC of the frames, which a new frame would break.
  std::vector<uint8_t> ext = {0, 0, 0, 10, 0x80, 0, 0, 0, 0, 0, 1, 2, 3, 4};
  std::vector<uint8_t> crc_tag =
      id3_tag(3, {ext, id3_frame(3, "TIT2", std::string("\0x", 2))}, 0, 0x40);
  EXPECT_NE(refused(small_mp3(crc_tag), unsupported).find("CRC"), std::string::npos);
  // Not an MPEG stream behind the tag (a FLAC with an ID3 tag in front, say).
  std::vector<uint8_t> flac = id3_tag(4, {title});
  flac.insert(flac.end(), {'f', 'L', 'a', 'C', 0, 0, 0, 34});
  const std::string not_mp3 = refused(flac, unsupported);
  EXPECT_NE(not_mp3.find("not a JPEG, PNG, ISO BMFF, RIFF or MP3 asset"), std::string::npos)
      << not_mp3;
  EXPECT_EQ(detect_asset_format(flac), AssetFormat::kUnknown);
  // Too many frames.
  std::vector<std::vector<uint8_t>> many(kMaxId3Frames + 1, id3_frame(4, "TXXX", ""));
  EXPECT_NE(refused(small_mp3(id3_tag(4, many)), bad).find("more than 4096 frames"),
            std::string::npos);
}

// Reading: a v2.3 extended header is stepped over; two C2PA GEOB frames, a compressed GEOB and
// a GEOB with unterminated fields are errors; a store in an unsynchronised tag is refused; an
// unsynchronised v2.3 tag without one has none.
TEST(C2paWriterTest, Mp3StoresAreFoundOrRefusedClearly) {
  const std::vector<uint8_t> store =
      write_c2pa(small_mp3(), keys(), generated_by("x")).value().bytes;
  const Id3Tag tag = parse_id3(store).value();
  const Id3C2paObject object = find_c2pa_geob(store, tag).value().value();
  const std::vector<uint8_t> geob(store.begin() + static_cast<std::ptrdiff_t>(object.frame.offset),
                                  store.begin() + static_cast<std::ptrdiff_t>(object.frame.end()));
  auto found = [](const std::vector<uint8_t>& mp3) {
    return find_manifest_store(mp3);
  };

  std::vector<uint8_t> two = small_mp3(id3_tag(4, {geob, geob}));
  ASSERT_FALSE(found(two).has_value());
  EXPECT_NE(found(two).error().message().find("a second GEOB frame carrying a manifest store"),
            std::string::npos);

  std::vector<uint8_t> compressed_geob = geob;
  compressed_geob[9] = 0x08;  // v2.4 compression
  auto compressed = found(small_mp3(id3_tag(4, {compressed_geob})));
  ASSERT_FALSE(compressed.has_value());
  EXPECT_EQ(compressed.error().code(), base::ErrorCode::kUnsupported);

  std::vector<uint8_t> unterminated =
      small_mp3(id3_tag(4, {id3_frame(4, "GEOB", std::string("\0application/c2pa\0c2pa", 22))}));
  ASSERT_FALSE(found(unterminated).has_value());
  EXPECT_NE(found(unterminated).error().message().find("filename is not terminated"),
            std::string::npos);

  std::vector<uint8_t> unsynchronised_geob = geob;
  unsynchronised_geob[9] = 0x02;  // v2.4 frame unsynchronisation
  auto unsynchronised = found(small_mp3(id3_tag(4, {unsynchronised_geob})));
  ASSERT_FALSE(unsynchronised.has_value());
  EXPECT_NE(unsynchronised.error().message().find("unsynchronised"), std::string::npos);

  // An unsynchronised v2.3 tag: 0xFF 0x00 in the file stands for 0xFF.
  // The frame's size counts its data resynchronised (3 bytes); 4 are stored.
  std::vector<uint8_t> title = id3_frame(3, "TIT2", std::string("\0\xFF\xE0", 3));
  title.insert(title.begin() + 12, 0x00);
  std::vector<uint8_t> v23 = small_mp3(id3_tag(3, {title}, 0, 0x80));
  const Id3Tag resynced = parse_id3(v23).value();
  ASSERT_EQ(resynced.frames.size(), 1u);
  EXPECT_EQ(resynced.frames[0].data_size, 3u);
  auto none = found(v23);
  ASSERT_TRUE(none.has_value()) << none.error().to_string();
  EXPECT_FALSE(none->has_value());

  // A v2.3 extended header (6 bytes and its size) before the frames.
  std::vector<uint8_t> ext = {0, 0, 0, 6, 0, 0, 0, 0, 0, 0};
  std::vector<uint8_t> geob3 = geob;  // as a v2.3 frame: a plain 32-bit size
  const size_t size = geob.size() - 10;
  for (size_t i = 0; i < 4; ++i) {
    geob3[4 + i] = static_cast<uint8_t>(size >> (8 * (3 - i)));
  }
  std::vector<uint8_t> with_ext = small_mp3(id3_tag(3, {ext, geob3}, 0, 0x40));
  auto read = found(with_ext);
  ASSERT_TRUE(read.has_value()) << read.error().to_string();
  ASSERT_TRUE(read->has_value());
  EXPECT_EQ((*read)->carriers[0].offset, 10 + ext.size() + 70);

  // The MIME type newer c2pa-rs writes, and fields in UTF-16 with a BOM (text encoding 1, each
  // ending in two NULs on an even offset): the object after them is the store.
  const std::vector<uint8_t> jumbf = found(store).value()->jumbf;
  std::string fields("\001application/c2pa\0", 18);
  fields += std::string("\377\376c\0\0\0", 6);      // filename "c"
  fields += std::string("\377\376d\0\0\1\0\0", 8);  // description "d" and U+0100
  const std::string store_bytes(jumbf.begin(), jumbf.end());
  std::vector<uint8_t> utf16 = small_mp3(id3_tag(4, {id3_frame(4, "GEOB", fields + store_bytes)}));
  auto read16 = found(utf16);
  ASSERT_TRUE(read16.has_value()) << read16.error().to_string();
  ASSERT_TRUE(read16->has_value());
  EXPECT_EQ((*read16)->jumbf, jumbf);
  EXPECT_EQ((*read16)->carriers[0].offset, 10 + 10 + fields.size());

  // A v2.4 footer that the file is too short to hold.
  const std::vector<uint8_t> short_footer = {'I', 'D', '3', 4,    0,    0x10, 0,
                                             0,   0,   0,   0xFF, 0xFB, 0x90};
  ASSERT_FALSE(found(short_footer).has_value());
  EXPECT_NE(found(short_footer).error().message().find("runs past the file's 13 bytes"),
            std::string::npos);

  // No tag, or one without a GEOB: no store.
  EXPECT_FALSE(found(small_mp3({})).value().has_value());
  EXPECT_FALSE(found(small_mp3()).value().has_value());
}

TEST(C2paWriterTest, TruncatedChunkOffsetTableIsAnError) {
  std::vector<uint8_t> ftyp = box("ftyp", std::vector<uint8_t>{'i', 's', 'o', 'm', 0, 0, 0, 0});
  for (size_t payload_size : {0, 2, 6}) {
    std::vector<uint8_t> stco = box("stco", std::vector<uint8_t>(payload_size, 0));
    std::vector<uint8_t> moov =
        box("moov", box("trak", box("mdia", box("minf", box("stbl", stco)))));
    auto written = write_c2pa(concat({ftyp, moov, box("mdat", std::vector<uint8_t>(4, 1))}), keys(),
                              generated_by("x"));
    ASSERT_FALSE(written.has_value()) << payload_size;
    EXPECT_EQ(written.error().code(), base::ErrorCode::kInvalidArgument);
  }
}

TEST(C2paWriterTest, FragmentedMp4IsUnsupported) {
  std::vector<uint8_t> input = small_mp4();
  std::vector<uint8_t> moof = box("moof", box("mfhd", std::vector<uint8_t>(8, 0)));
  input.insert(input.end(), moof.begin(), moof.end());
  auto written = write_c2pa(input, keys(), generated_by("x"));
  ASSERT_FALSE(written.has_value());
  EXPECT_EQ(written.error().code(), base::ErrorCode::kUnsupported);
}

TEST(C2paWriterTest, RejectsWhatItCannotWrite) {
  std::vector<uint8_t> jpeg = unsigned_asset(Kind::kJpeg);
  auto code = [&](std::span<const uint8_t> asset, const ManifestDefinition& definition) {
    auto written = write_c2pa(asset, keys(), definition);
    return written.has_value() ? std::optional<base::ErrorCode>() : written.error().code();
  };
  std::vector<uint8_t> gif = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0};
  EXPECT_EQ(code(gif, generated_by("x")), base::ErrorCode::kUnsupported);

  ManifestDefinition no_agent = generated_by("");
  EXPECT_EQ(code(jpeg, no_agent), base::ErrorCode::kInvalidArgument);

  ManifestDefinition unknown = generated_by("x");
  unknown.digital_source_type = DigitalSourceType::kUnknown;
  EXPECT_EQ(code(jpeg, unknown), base::ErrorCode::kInvalidArgument);

  ManifestDefinition twice = generated_by("x");
  twice.assertions.push_back({"com.example.a", CborValue::map()});
  twice.assertions.push_back({"com.example.a", CborValue::map()});
  EXPECT_EQ(code(jpeg, twice), base::ErrorCode::kInvalidArgument);

  ManifestDefinition clash = generated_by("x");
  clash.assertions.push_back({std::string(kRegistrationLabel), CborValue::map()});
  EXPECT_EQ(code(jpeg, clash), base::ErrorCode::kInvalidArgument);

  ManifestDefinition slash = generated_by("x");
  slash.assertions.push_back({"com.example/a", CborValue::map()});
  EXPECT_EQ(code(jpeg, slash), base::ErrorCode::kInvalidArgument);

  std::vector<uint8_t> truncated(jpeg.begin(), jpeg.begin() + 5);
  EXPECT_EQ(code(truncated, generated_by("x")), base::ErrorCode::kInvalidArgument);
}

// Damaged input gives an error or a labelled asset, never a crash (ASan builds run this too).
TEST(C2paWriterTest, SurvivesTruncationAndCorruption) {
  for (Kind kind : {Kind::kJpeg, Kind::kPng, Kind::kMp4, Kind::kWav, Kind::kMp3}) {
    std::vector<uint8_t> asset = unsigned_asset(kind);
    ManifestDefinition definition = generated_by("x");
    WriteOptions options;
    options.salt_assertions = false;
    for (size_t cut = 0; cut < asset.size(); cut += std::max<size_t>(1, asset.size() / 61)) {
      std::vector<uint8_t> truncated(asset.begin(),
                                     asset.begin() + static_cast<std::ptrdiff_t>(cut));
      auto written = write_c2pa(truncated, keys(), definition, options);
      if (written.has_value()) {
        EXPECT_TRUE(read_c2pa(written->bytes).has_value());
      }
    }
    uint32_t state = 2024;
    for (int i = 0; i < 160; ++i) {
      state = state * 1664525u + 1013904223u;
      std::vector<uint8_t> corrupt = asset;
      // Mostly the container structure at the front, where the writer looks.
      size_t at =
          (state >> 4) % std::min<size_t>(corrupt.size(), i % 2 == 0 ? 200 : corrupt.size());
      corrupt[at] ^= static_cast<uint8_t>(1u << ((state >> 24) % 8));
      auto written = write_c2pa(corrupt, keys(), definition, options);
      if (written.has_value()) {
        EXPECT_TRUE(read_c2pa(written->bytes).has_value());
      }
    }
  }
}

// A signer that breaks its promise about the signature's size.
class ShortSigner final : public ClaimSigner {
 public:
  CoseAlgorithm algorithm() const override { return keys().algorithm(); }
  const std::vector<std::vector<uint8_t>>& certificate_chain() const override {
    return keys().certificate_chain();
  }
  size_t signature_size() const override { return 64; }
  base::Result<std::vector<uint8_t>> sign(std::span<const uint8_t>) const override {
    return std::vector<uint8_t>(10, 0);
  }
};

TEST(C2paWriterTest, SignatureOfTheWrongSizeIsAnError) {
  auto written = write_c2pa(unsigned_asset(Kind::kJpeg), ShortSigner(), generated_by("x"));
  ASSERT_FALSE(written.has_value());
  EXPECT_EQ(written.error().code(), base::ErrorCode::kInternal);
}

// A chain of edits: each parent's store, ingredients included, is carried into the next.
TEST(C2paWriterTest, EditOfAnEditKeepsTheWholeChain) {
  SignedAsset first = write_c2pa(unsigned_asset(Kind::kJpeg), keys(), generated_by("Gen")).value();
  SignedAsset second =
      write_c2pa(unsigned_asset(Kind::kJpeg), keys(), ai_edit_of(first.bytes)).value();
  SignedAsset third =
      write_c2pa(unsigned_asset(Kind::kPng), keys(), ai_edit_of(second.bytes)).value();
  C2paReport report = read_back(third.bytes, true);
  EXPECT_EQ(report.verdict, Verdict::kTrusted) << testing::PrintToString(report.failure_codes());
  ASSERT_EQ(report.store->manifests().size(), 3u);
  EXPECT_EQ(report.store->manifests()[0].label, first.manifest_label);
  EXPECT_EQ(report.store->manifests()[1].label, second.manifest_label);
  ASSERT_EQ(report.ingredients.size(), 2u);
  EXPECT_EQ(report.ingredients[0].ingredient_manifest, second.manifest_label);
  EXPECT_EQ(report.ingredients[1].manifest_label, second.manifest_label);
  EXPECT_EQ(report.ingredients[1].ingredient_manifest, first.manifest_label);
  EXPECT_EQ(report.ai.terms(), (std::vector<std::string>{"compositeWithTrainedAlgorithmicMedia",
                                                         "trainedAlgorithmicMedia"}));
  EXPECT_EQ(third.parent_manifest, second.manifest_label);
}

// A parent that reads Invalid is still recorded, failures and all (as c2pa-rs records it):
// the failures are no news to a validator of the edit.
TEST(C2paWriterTest, InvalidParentIsRecordedWithItsFailures) {
  std::vector<uint8_t> parent =
      write_c2pa(unsigned_asset(Kind::kJpeg), keys(), generated_by("Gen")).value().bytes;
  parent[parent.size() - 5] ^= 0x10;  // the parent's data hash no longer matches
  SignedAsset written = write_c2pa(unsigned_asset(Kind::kJpeg), keys(), ai_edit_of(parent)).value();
  EXPECT_EQ(written.parent_verdict, Verdict::kInvalid);
  C2paReport report = read_back(written.bytes, true);
  EXPECT_EQ(report.verdict, Verdict::kTrusted) << testing::PrintToString(report.failure_codes());
  ASSERT_EQ(report.ingredients.size(), 1u);
  bool mismatch_recorded = false;
  for (const RecordedStatus& r : report.ingredients[0].ingredient.recorded_statuses) {
    mismatch_recorded |= r.code == "assertion.dataHash.mismatch" &&
                         r.url.find(written.parent_manifest) != std::string::npos;
  }
  EXPECT_TRUE(mismatch_recorded);
}

// A parent without Content Credentials is a parentOf ingredient without provenance.
TEST(C2paWriterTest, ParentWithoutCredentialsHasNoProvenance) {
  std::vector<uint8_t> parent = unsigned_asset(Kind::kPng);
  ManifestDefinition edit = ai_edit_of(parent, "");
  edit.parent->instance_id = "xmp:iid:aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";
  SignedAsset written = write_c2pa(unsigned_asset(Kind::kJpeg), keys(), edit).value();
  EXPECT_EQ(written.parent_manifest, "");
  EXPECT_EQ(written.parent_verdict, Verdict::kNoManifest);
  C2paReport report = read_back(written.bytes, true);
  EXPECT_EQ(report.verdict, Verdict::kTrusted) << testing::PrintToString(report.failure_codes());
  ASSERT_EQ(report.store->manifests().size(), 1u);
  ASSERT_EQ(report.ingredients.size(), 1u);
  const Ingredient& ingredient = report.ingredients[0].ingredient;
  EXPECT_EQ(ingredient.relationship, "parentOf");
  EXPECT_FALSE(ingredient.title.has_value());
  EXPECT_EQ(ingredient.format, "image/png");
  EXPECT_EQ(ingredient.instance_id, "xmp:iid:aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
  EXPECT_FALSE(ingredient.manifest.has_value());
  EXPECT_TRUE(std::any_of(
      report.statuses.begin(), report.statuses.end(),
      [](const ValidationStatus& s) { return s.code == "ingredient.unknownProvenance"; }));
  EXPECT_EQ(report.ai.terms(), std::vector<std::string>{"compositeWithTrainedAlgorithmicMedia"});
}

// Bad parent bytes are refused, so that nothing is written that silently drops the
// original's credentials.
TEST(C2paWriterTest, UnreadableParentIsAnError) {
  auto refused = [](std::span<const uint8_t> parent) {
    auto written = write_c2pa(unsigned_asset(Kind::kJpeg), keys(), ai_edit_of(parent));
    EXPECT_FALSE(written.has_value());
    return written.has_value() ? std::string() : written.error().to_string();
  };
  std::vector<uint8_t> gif = {'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0};
  EXPECT_NE(refused({}).find("parent asset is empty"), std::string::npos);
  EXPECT_NE(refused(gif).find("not a JPEG, PNG, MP4, WAV or MP3"), std::string::npos);

  // A store whose first manifest has no claim: found, but it cannot be parsed.
  SignedAsset parent = write_c2pa(unsigned_asset(Kind::kJpeg), keys(), generated_by("Gen")).value();
  std::vector<uint8_t> damaged = parent.bytes;
  std::string needle = "c2pa.claim.v2";
  auto at = std::search(damaged.begin(), damaged.end(), needle.begin(), needle.end());
  ASSERT_NE(at, damaged.end());
  at[5] = 'X';  // "c2pa.Xlaim.v2"
  std::string message = refused(damaged);
  EXPECT_NE(message.find("cannot be read (Malformed)"), std::string::npos) << message;
  auto written = write_c2pa(unsigned_asset(Kind::kJpeg), keys(), ai_edit_of(damaged));
  ASSERT_FALSE(written.has_value());
  EXPECT_EQ(written.error().code(), base::ErrorCode::kInvalidArgument);
}

TEST(C2paWriterTest, IngredientLabelsAreTheWritersOwn) {
  ManifestDefinition clash = generated_by("x");
  clash.assertions.push_back({"c2pa.ingredient.v3", CborValue::map()});
  auto written = write_c2pa(unsigned_asset(Kind::kJpeg), keys(), clash);
  ASSERT_FALSE(written.has_value());
  EXPECT_EQ(written.error().code(), base::ErrorCode::kInvalidArgument);
}

TEST(C2paWriterTest, ClaimIsDeterministicCbor) {
  SignedAsset written = write_c2pa(unsigned_asset(Kind::kJpeg), keys(), generated_by("x")).value();
  C2paReport report = read_back(written.bytes, true);
  const Manifest* manifest = report.store->active_manifest();
  CborValue claim = decode_cbor(report.store->bytes(manifest->claim_cbor)).value();
  // RFC 8949 §4.2.1: keys sorted by their encodings (shorter first, then bytewise).
  std::vector<std::vector<uint8_t>> keys_in_order;
  for (size_t i = 0; i < claim.size(); ++i) {
    keys_in_order.push_back(encode_cbor(claim.key_at(i)));
  }
  EXPECT_TRUE(std::is_sorted(keys_in_order.begin(), keys_in_order.end()));
  EXPECT_EQ(claim.size(), 5u);  // instanceID, claim_generator_info, signature, created, alg
  EXPECT_EQ(claim.find("created_assertions")->size(), 3u);
}

}  // namespace
}  // namespace clearcut::c2pa
