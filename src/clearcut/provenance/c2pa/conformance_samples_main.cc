// c2pa_conformance_samples OUT_DIR [--fixtures DIR]
//
// Writes labelled assets for the reference validator (tests/node/check_conformance.mjs):
// XMP first (IPTC digital source type, instance id), then Content Credentials signed with
// throw-away keys whose roots go to OUT_DIR/roots.pem, and OUT_DIR/samples.json saying what
// each file must declare. AI edits of files that already carry Content Credentials name the
// original as their parentOf ingredient: one of our own signed JPEGs and, with --fixtures, a
// real-world file c2pa-rs reads as Valid (C.jpg). With --fixtures, unlabelled real-world files
// from that folder (earth_apollo17.jpg, sample1.png, video1_no_manifest.mp4) are labelled too.
// MP3s are made here by the ffmpeg command (libmp3lame), with and without an ID3v2 tag.
// Test tooling, not part of the product.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "clearcut/media/image_decoder.h"
#include "clearcut/media/image_encoder.h"
#include "clearcut/provenance/c2pa/c2pa_writer.h"
#include "clearcut/provenance/c2pa/signing_keys.h"
#include "clearcut/provenance/xmp/xmp_label.h"

namespace {

namespace fs = std::filesystem;
using namespace clearcut;

struct Signer {
  c2pa::PemCredentials root;
  c2pa::SigningKeys keys;
};

c2pa::CertificateOptions certificate(const char* cn, c2pa::CoseAlgorithm algorithm) {
  c2pa::CertificateOptions options;
  options.subject = {cn, "clearcut conformance tests", "US"};
  options.validity_days = 30;
  options.algorithm = algorithm;
  return options;
}

template <typename T>
T must(base::Result<T> result, const char* what) {
  if (!result.has_value()) {
    std::fprintf(stderr, "c2pa_conformance_samples: %s: %s\n", what,
                 result.error().to_string().c_str());
    std::exit(1);
  }
  return std::move(result).value();
}

// A root and a signer it issues directly, or through an intermediate CA.
Signer make_signer(c2pa::CoseAlgorithm algorithm, bool intermediate) {
  c2pa::PemCredentials root =
      must(c2pa::generate_root_ca(certificate("clearcut conformance root", algorithm)), "root");
  c2pa::PemCredentials issuer = root;
  if (intermediate) {
    issuer = must(c2pa::issue_intermediate_ca(certificate("clearcut issuing CA", algorithm),
                                              root.certificate_chain_pem, root.private_key_pem),
                  "intermediate");
  }
  c2pa::PemCredentials leaf =
      must(c2pa::issue_signer_certificate(certificate("clearcut conformance signer", algorithm),
                                          issuer.certificate_chain_pem, issuer.private_key_pem),
           "signer");
  return {root, must(c2pa::SigningKeys::from_pem(leaf.private_key_pem, leaf.certificate_chain_pem,
                                                 algorithm),
                     "keys")};
}

media::Image picture(int width, int height) {
  media::Image image;
  image.width = width;
  image.height = height;
  image.channels = 3;
  image.pixels.resize(image.row_bytes() * static_cast<size_t>(height));
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = &image.pixels[(static_cast<size_t>(y) * width + x) * 3];
      p[0] = static_cast<uint8_t>(x * 255 / width);
      p[1] = static_cast<uint8_t>(y * 255 / height);
      p[2] = static_cast<uint8_t>(((x / 16 + y / 16) % 2) * 200);
    }
  }
  return image;
}

void put_u32(std::vector<uint8_t>* out, uint64_t v) {
  for (int i = 3; i >= 0; --i) {
    out->push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
}

std::vector<uint8_t> box(std::string_view type, std::vector<uint8_t> payload) {
  std::vector<uint8_t> out;
  out.reserve(payload.size() + 8);  // GCC 12 -O3: no writes into an empty vector
  put_u32(&out, payload.size() + 8);
  out.insert(out.end(), type.begin(), type.end());
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

std::vector<uint8_t> full_box(std::string_view type, std::vector<uint8_t> payload) {
  payload.insert(payload.begin(), 4, 0);  // version 0, flags 0
  return box(type, std::move(payload));
}

// A WAV of a second of a 440 Hz tone: 8 kHz, mono, 16-bit PCM ("RIFF", "fmt ", "data").
std::vector<uint8_t> tone_wav() {
  constexpr uint32_t kRate = 8000;
  std::vector<uint8_t> out;
  auto u32 = [&out](uint32_t v) {
    for (int i = 0; i < 4; ++i) {
      out.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }
  };
  auto u16 = [&out](uint32_t v) {
    out.push_back(static_cast<uint8_t>(v));
    out.push_back(static_cast<uint8_t>(v >> 8));
  };
  auto id = [&out](const char* four) {
    out.insert(out.end(), four, four + 4);
  };
  id("RIFF");
  u32(4 + 8 + 16 + 8 + kRate * 2);
  id("WAVE");
  id("fmt ");
  u32(16);
  u16(1);  // PCM
  u16(1);  // mono
  u32(kRate);
  u32(kRate * 2);
  u16(2);
  u16(16);
  id("data");
  u32(kRate * 2);
  for (uint32_t i = 0; i < kRate; ++i) {
    const double s = 0.3 * std::sin(2 * 3.14159265358979 * 440.0 * i / kRate);
    u16(static_cast<uint16_t>(static_cast<int16_t>(std::lround(s * 32767))));
  }
  return out;
}

// An MP4 skeleton without playable media: ftyp, moov (mvhd and one track whose stco points
// into mdat), mdat. Enough for BMFF hashing and the chunk-offset rewrite.
std::vector<uint8_t> skeleton_mp4() {
  std::vector<uint8_t> ftyp =
      box("ftyp", {'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p', '4', '1'});
  std::vector<uint8_t> samples(4096);
  for (size_t i = 0; i < samples.size(); ++i) {
    samples[i] = static_cast<uint8_t>(i * 31);
  }
  auto moov = [&](uint64_t chunk) {
    std::vector<uint8_t> mvhd(96, 0);
    std::vector<uint8_t> stco;
    put_u32(&stco, 1);
    put_u32(&stco, chunk);
    std::vector<uint8_t> stbl = full_box("stco", stco);
    return box("moov", [&] {
      std::vector<uint8_t> b = full_box("mvhd", mvhd);
      std::vector<uint8_t> trak = box("trak", box("mdia", box("minf", box("stbl", stbl))));
      b.insert(b.end(), trak.begin(), trak.end());
      return b;
    }());
  };
  uint64_t chunk = ftyp.size() + moov(0).size() + 8;
  std::vector<uint8_t> out = ftyp;
  for (const auto& part : {moov(chunk), box("mdat", samples)}) {
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

std::vector<uint8_t> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// A second of a 440 Hz tone as MP3 (22.05 kHz mono, 32 kbit/s, libmp3lame), made by the ffmpeg
// command in `dir`: `id3v2` 0 writes no ID3v2 tag, 3 or 4 ffmpeg's tag of that version (an
// encoder frame, TSSE) with a title frame too.
std::vector<uint8_t> tone_mp3(const fs::path& dir, int id3v2) {
  const fs::path path = dir / ("tone-id3v2-" + std::to_string(id3v2) + ".mp3");
  const std::string command =
      "ffmpeg -nostdin -loglevel error -y -f lavfi -i sine=frequency=440:duration=1 -ac 1 "
      "-ar 22050 -c:a libmp3lame -b:a 32k -id3v2_version " +
      std::to_string(id3v2) + (id3v2 > 0 ? " -metadata title=tone" : "") + " '" + path.string() +
      "'";
  if (std::system(command.c_str()) != 0) {
    std::fprintf(stderr, "c2pa_conformance_samples: ffmpeg could not make an MP3: %s\n",
                 command.c_str());
    std::exit(1);
  }
  std::vector<uint8_t> bytes = read_file(path);
  fs::remove(path);
  return bytes;
}

void write_file(const fs::path& path, std::span<const uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out) {
    std::fprintf(stderr, "c2pa_conformance_samples: cannot write %s\n", path.c_str());
    std::exit(1);
  }
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

struct Sample {
  std::string file;
  std::string mime;
  std::vector<std::string> source_types;  // the active manifest's, then the parent's
  bool xmp = false;
  std::string parent_manifest;  // the parent's active manifest, which the ingredient names
};

class SampleWriter {
 public:
  explicit SampleWriter(fs::path dir) : dir_(std::move(dir)) {}

  // XMP (JPEG, PNG) then C2PA, as `clearcut stamp` does: the binding covers the XMP.
  void write(const std::string& name, const std::string& mime, std::vector<uint8_t> asset,
             const Signer& signer, c2pa::DigitalSourceType type,
             c2pa::ManifestDefinition definition = {}) {
    std::string uri = c2pa::digital_source_type_uri(type);
    definition.digital_source_type = type;
    if (definition.software_agent.name.empty()) {
      definition.software_agent = {"clearcut conformance generator", "1.0"};
    }
    definition.registration = c2pa::Registration{"uc-conformance", "Conformance", name};
    definition.title = name;
    bool xmp = mime.starts_with("image/");
    if (xmp) {
      xmp::XmpLabel label;
      label.digital_source_type = uri;
      label.instance_id =
          "xmp:iid:" + std::to_string(samples_.size()) + "1b2c3d4-0000-4000-8000-00000000c2pa";
      asset = must(xmp::write_xmp_label(asset, label), "XMP");
      definition.instance_id = *label.instance_id;
    }
    c2pa::SignedAsset signed_asset =
        must(c2pa::write_c2pa(asset, signer.keys, definition), name.c_str());
    write_file(dir_ / name, signed_asset.bytes);
    samples_.push_back({name, mime, {uri}, xmp, signed_asset.parent_manifest});
    written_[name] = std::move(signed_asset.bytes);
  }

  // An AI edit `asset` (without a manifest store) of `parent`, a file with Content Credentials
  // that declare `parent_types`, labelled with the original as its parentOf ingredient.
  void write_edit(const std::string& name, const std::string& mime, std::vector<uint8_t> asset,
                  std::span<const uint8_t> parent, const std::string& parent_title,
                  const std::vector<c2pa::DigitalSourceType>& parent_types, const Signer& signer) {
    c2pa::ManifestDefinition definition;
    definition.software_agent = {"clearcut conformance inpainter", "1.0"};
    definition.parent = c2pa::ParentAsset{parent, parent_title, "", "", {}};
    write(name, mime, std::move(asset), signer,
          c2pa::DigitalSourceType::kCompositeWithTrainedAlgorithmicMedia, definition);
    if (samples_.back().parent_manifest.empty()) {
      std::fprintf(stderr, "c2pa_conformance_samples: %s: the parent has no manifest\n",
                   name.c_str());
      std::exit(1);
    }
    for (c2pa::DigitalSourceType type : parent_types) {
      samples_.back().source_types.push_back(c2pa::digital_source_type_uri(type));
    }
  }

  // A still edit of `parent`: the picture decoded and encoded again, as `clearcut stamp` does.
  void write_still_edit(const std::string& name, std::span<const uint8_t> parent,
                        const std::string& parent_title,
                        const std::vector<c2pa::DigitalSourceType>& parent_types,
                        const Signer& signer) {
    std::vector<uint8_t> picture =
        must(media::encode_jpeg(must(media::decode_image(parent), "decode parent")), "JPEG");
    write_edit(name, "image/jpeg", std::move(picture), parent, parent_title, parent_types, signer);
  }

  const std::vector<uint8_t>& written(const std::string& name) const { return written_.at(name); }

  void finish(const std::vector<const Signer*>& signers) {
    std::string roots;
    for (const Signer* s : signers) {
      roots += s->root.certificate_chain_pem;
    }
    write_file(dir_ / "roots.pem",
               std::span(reinterpret_cast<const uint8_t*>(roots.data()), roots.size()));
    std::string json = "[\n";
    for (size_t i = 0; i < samples_.size(); ++i) {
      const Sample& s = samples_[i];
      std::string types;
      for (const std::string& t : s.source_types) {
        types += (types.empty() ? "" : ", ") + json_string(t);
      }
      json += "  {\"file\": " + json_string(s.file) + ", \"mime\": " + json_string(s.mime) +
              ", \"digital_source_types\": [" + types + "]" +
              ", \"xmp\": " + (s.xmp ? "true" : "false") + ", \"parent_manifest\": " +
              (s.parent_manifest.empty() ? "null" : json_string(s.parent_manifest)) + "}" +
              (i + 1 < samples_.size() ? ",\n" : "\n");
    }
    json += "]\n";
    write_file(dir_ / "samples.json",
               std::span(reinterpret_cast<const uint8_t*>(json.data()), json.size()));
  }

 private:
  fs::path dir_;
  std::vector<Sample> samples_;
  std::map<std::string, std::vector<uint8_t>> written_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && !(argc == 4 && std::string(argv[2]) == "--fixtures")) {
    std::fprintf(stderr, "usage: c2pa_conformance_samples OUT_DIR [--fixtures DIR]\n");
    return 2;
  }
  fs::path dir = argv[1];
  fs::create_directories(dir);
  using c2pa::CoseAlgorithm;
  using c2pa::DigitalSourceType;

  const Signer es256 = make_signer(CoseAlgorithm::kEs256, false);
  const Signer chained = make_signer(CoseAlgorithm::kEs256, true);
  const Signer ps256 = make_signer(CoseAlgorithm::kPs256, false);
  const Signer ed25519 = make_signer(CoseAlgorithm::kEd25519, false);

  SampleWriter writer(dir);
  std::vector<uint8_t> jpeg = must(media::encode_jpeg(picture(320, 200)), "JPEG");
  std::vector<uint8_t> png = must(media::encode_png(picture(320, 200)), "PNG");
  constexpr auto kTrained = DigitalSourceType::kTrainedAlgorithmicMedia;
  constexpr auto kComposite = DigitalSourceType::kCompositeWithTrainedAlgorithmicMedia;

  writer.write("generated.jpg", "image/jpeg", jpeg, es256, kTrained);
  writer.write("generated.png", "image/png", png, es256, kTrained);
  writer.write("generated.mp4", "video/mp4", skeleton_mp4(), es256, kTrained);
  writer.write("generated.wav", "audio/wav", tone_wav(), es256, kTrained);
  writer.write("generated.mp3", "audio/mpeg", tone_mp3(dir, 4), es256, kTrained);
  writer.write("id3v23.mp3", "audio/mpeg", tone_mp3(dir, 3), ps256, kTrained);
  writer.write("ed25519-untagged.mp3", "audio/mpeg", tone_mp3(dir, 0), ed25519, kTrained);
  writer.write("ai-edit.jpg", "image/jpeg", jpeg, es256, kComposite);
  writer.write("ai-edit.png", "image/png", png, es256, kComposite);

  c2pa::ManifestDefinition large;
  large.assertions.push_back(
      {"com.clearcut.test.padding", c2pa::CborValue::bytes(std::vector<uint8_t>(150000, 0x42))});
  writer.write("large-store.jpg", "image/jpeg", jpeg, es256, kTrained, large);
  writer.write("intermediate-ca.jpg", "image/jpeg", jpeg, chained, kTrained);
  writer.write("intermediate-ca.mp4", "video/mp4", skeleton_mp4(), chained, kTrained);
  writer.write("ps256.jpg", "image/jpeg", jpeg, ps256, kTrained);
  writer.write("ed25519.png", "image/png", png, ed25519, kTrained);
  // An AI edit of a file clearcut labelled before, signed by another signer.
  writer.write_still_edit("edit-of-generated.jpg", writer.written("generated.jpg"), "generated.jpg",
                          {kTrained}, chained);
  writer.write_edit("edit-of-generated.mp4", "video/mp4", skeleton_mp4(),
                    writer.written("generated.mp4"), "generated.mp4", {kTrained}, chained);
  writer.write_edit("edit-of-generated.mp3", "audio/mpeg", tone_mp3(dir, 4),
                    writer.written("generated.mp3"), "generated.mp3", {kTrained}, chained);

  if (argc == 4) {
    fs::path fixtures = argv[3];
    struct Fixture {
      const char* in;
      const char* out;
      const char* mime;
    };
    for (const Fixture& f :
         {Fixture{"earth_apollo17.jpg", "fixture-earth.jpg", "image/jpeg"},
          Fixture{"sample1.png", "fixture-sample1.png", "image/png"},
          Fixture{"video1_no_manifest.mp4", "fixture-video1.mp4", "video/mp4"}}) {
      if (fs::exists(fixtures / f.in)) {
        writer.write(f.out, f.mime, read_file(fixtures / f.in), es256, kTrained);
      }
    }
    // A real-world parent: c2pa-rs reads C.jpg as Valid (Trusted with its test roots), one
    // manifest declaring algorithmicMedia.
    if (fs::exists(fixtures / "C.jpg")) {
      writer.write_still_edit("fixture-edit-of-C.jpg", read_file(fixtures / "C.jpg"), "C.jpg",
                              {DigitalSourceType::kAlgorithmicMedia}, es256);
    }
    // A parent that reads Invalid (XCA.jpg: its data hash no longer matches): the failure is
    // recorded in the ingredient's validationResults, so it is no news to the validator and
    // the edit is Valid.
    if (fs::exists(fixtures / "XCA.jpg")) {
      writer.write_still_edit("fixture-edit-of-XCA.jpg", read_file(fixtures / "XCA.jpg"), "XCA.jpg",
                              {}, es256);
    }
  }
  writer.finish({&es256, &chained, &ps256, &ed25519});
  return 0;
}
