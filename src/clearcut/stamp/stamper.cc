#include "clearcut/stamp/stamper.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <utility>

#include "clearcut/audio/fingerprint.h"
#include "clearcut/audio/fingerprint_codec.h"
#include "clearcut/audio/watermark.h"
#include "clearcut/base/base64.h"
#include "clearcut/base/file.h"
#include "clearcut/base/hex.h"
#include "clearcut/crypto/sha256.h"
#include "clearcut/domain/asset.h"
#include "clearcut/match/code.h"
#include "clearcut/media/ffmpeg/audio_reader.h"
#include "clearcut/media/ffmpeg/audio_rewriter.h"
#include "clearcut/media/ffmpeg/video_reader.h"
#include "clearcut/media/ffmpeg/video_rewriter.h"
#include "clearcut/media/image_decoder.h"
#include "clearcut/media/image_encoder.h"
#include "clearcut/media/orientation.h"
#include "clearcut/media/thumbnail.h"
#include "clearcut/media/waveform.h"
#include "clearcut/provenance/c2pa/asset_container.h"
#include "clearcut/provenance/c2pa/id3.h"
#include "clearcut/provenance/pdq/pdq_hasher.h"
#include "clearcut/provenance/pdq/reference_pipeline.h"
#include "clearcut/provenance/watermark/video_watermark_detector.h"
#include "clearcut/provenance/watermark/watermark_embedder.h"
#include "clearcut/stamp/reframings.h"
#include "clearcut/stamp/wav_samples.h"

namespace clearcut::stamp {
namespace {

namespace fs = std::filesystem;

// Delivered stills are re-encoded once, after the watermark: JPEG at a quality whose loss
// the watermark and PDQ shrug off, 4:4:4 so that colour edges of generated art stay sharp.
constexpr int kJpegQuality = 95;

// A video's mark is read back and inspected over its first frames together: averaging them
// lifts the mark out of what the encoder did to single frames (VideoWatermarkDetector).
constexpr int kVideoMarkFrames = 8;

std::string media_type_of(c2pa::AssetFormat format) {
  switch (format) {
    case c2pa::AssetFormat::kJpeg:
      return "image/jpeg";
    case c2pa::AssetFormat::kPng:
      return "image/png";
    case c2pa::AssetFormat::kBmff:
      return "video/mp4";
    case c2pa::AssetFormat::kRiff:
      return "audio/wav";
    case c2pa::AssetFormat::kMp3:
      return "audio/mpeg";
    case c2pa::AssetFormat::kUnknown:
      break;
  }
  return "";
}

// A FLAC stream: "fLaC", or an ID3v2 tag and then "fLaC" (some taggers put one in front).
bool is_flac(std::span<const uint8_t> bytes) {
  auto flac_at = [&](size_t at) {
    return bytes.size() >= at + 4 && std::memcmp(bytes.data() + at, "fLaC", 4) == 0;
  };
  if (flac_at(0)) {
    return true;
  }
  if (!c2pa::has_id3(bytes)) {
    return false;
  }
  auto tag = c2pa::parse_id3(bytes);
  return tag.has_value() && flac_at(tag->end);
}

// What stamp and inspect read: the C2PA container, or FLAC (format kUnknown: C2PA 2.2 defines
// no place for Content Credentials in FLAC).
struct FileKind {
  c2pa::AssetFormat format = c2pa::AssetFormat::kUnknown;
  bool flac = false;
};

base::Result<FileKind> supported_format(std::span<const uint8_t> bytes, const std::string& path) {
  if (is_flac(bytes)) {
    return FileKind{c2pa::AssetFormat::kUnknown, true};
  }
  c2pa::AssetFormat format = c2pa::detect_asset_format(bytes);
  // RIFF holds WebP pictures and AVI movies as well as WAV sound.
  if (format == c2pa::AssetFormat::kRiff &&
      (bytes.size() < 12 || std::memcmp(bytes.data() + 8, "WAVE", 4) != 0)) {
    format = c2pa::AssetFormat::kUnknown;
  }
  if (format == c2pa::AssetFormat::kUnknown) {
    return base::Error(base::ErrorCode::kUnsupported,
                       "not a JPEG, PNG, MP4, M4A, WAV, MP3 or FLAC file (stamp and inspect read "
                       "only these; convert other sound to WAV to stamp it)")
        .with_location({path, 0, 0});
  }
  return FileKind{format, false};
}

// A thumbnail is a convenience for reviewers: when none can be made the asset has none, and
// the stamp goes on.
std::string thumbnail_of(const media::Image& image) {
  auto jpeg = media::encode_thumbnail(image);
  return jpeg.has_value() ? base::base64_encode(*jpeg) : std::string();
}

// The first frame that decodes, in grey (the reader hands out luma only).
std::string video_thumbnail(const std::string& path) {
  auto reader = media::VideoReader::open(path);
  if (!reader.has_value()) {
    return "";
  }
  auto frame = reader->next();
  if (!frame.has_value() || !frame->has_value()) {
    return "";
  }
  const media::LumaView& luma = (*frame)->luma;
  return thumbnail_of(media::grey_image(luma.data, luma.width, luma.height, luma.stride,
                                        reader->info().full_range));
}

// The PDQ hashes a scan matches a video's frames against: one every half second of media time,
// skipping frames too flat to hash (under match::kPdqMinQuality) and ones within 8 bits of the last
// kept, at most domain::kMaxFramePdq. Frames come in presentation order. Not thread-safe.
class FrameHasher {
 public:
  // Hashes the frame when one is due; false once the hashes are complete (later frames add
  // nothing).
  bool add(const media::LumaView& luma, double time_seconds) {
    if (hashes_.frame_pdq.size() >= domain::kMaxFramePdq) {
      return false;
    }
    if (time_seconds + 1e-6 < next_) {
      return true;
    }
    provenance::PdqResult pdq = hasher_.hash(
        provenance::PixelView{luma.data, luma.width, luma.height, 1, luma.row_stride()});
    if (pdq.quality < match::kPdqMinQuality) {
      return true;  // look again at the next frame
    }
    next_ = time_seconds + kInterval;
    if (last_ && match::hamming_distance(pdq.hash.words(), last_->words()) <= kSameBits) {
      return true;
    }
    last_ = pdq.hash;
    hashes_.frame_pdq.push_back(pdq.hash.to_hex());
    if (hashes_.pdq.empty()) {
      hashes_.pdq = pdq.hash.to_hex();
      hashes_.pdq_quality = pdq.quality;
    }
    return hashes_.frame_pdq.size() < domain::kMaxFramePdq;
  }

  const VideoFrameHashes& hashes() const { return hashes_; }

 private:
  static constexpr double kInterval = 0.5;
  static constexpr int kSameBits = 8;
  provenance::PdqHasher hasher_;
  std::optional<provenance::PdqHash> last_;
  double next_ = 0;
  VideoFrameHashes hashes_;
};

// A video's frames hashed (FrameHasher) and, with a key, its mark: read in the first frame at
// `tile_scale` when that is > 0 (the stamper's read-back), else, or when that frame does not
// read, searched over the first kVideoMarkFrames frames together. With `known` hashes only the
// frames the mark needs are decoded.
base::Status hash_frames(media::VideoReader& reader, const watermark::WatermarkKey* key,
                         double tile_scale, const VideoFrameHashes* known, OutputInspection& out) {
  FrameHasher hasher;
  bool hashing = known == nullptr;
  std::optional<watermark::VideoWatermarkDetector> marks;
  const media::VideoStreamInfo& info = reader.info();
  if (key != nullptr && info.width >= watermark::kMinDetectSide &&
      info.height >= watermark::kMinDetectSide) {
    marks.emplace(*key);
  }
  for (;;) {
    auto frame = reader.next();
    if (!frame.has_value()) {
      return base::Error(frame.error()).with_context("read video");
    }
    if (marks && marks->frames() > 0 &&
        (!frame->has_value() || marks->frames() == kVideoMarkFrames)) {
      out.mark = CC_TRY(marks->detect());
      marks.reset();
    }
    if (!frame->has_value() || (!hashing && !marks)) {
      break;
    }
    const media::VideoFrame& f = **frame;
    if (marks && f.luma.width == info.width && f.luma.height == info.height) {
      if (tile_scale > 0 && marks->frames() == 0) {
        const watermark::WatermarkDetection first =
            CC_TRY(watermark::read_at(f.luma, *key, tile_scale));
        if (first.found) {
          out.mark = first;
          marks.reset();
        }
      }
      if (marks) {
        CC_TRY(marks->add_frame(f.luma));
      }
    }
    hashing = hashing && hasher.add(f.luma, f.time_seconds);
    if (!hashing && !marks) {
      break;
    }
  }
  const VideoFrameHashes& hashes = known != nullptr ? *known : hasher.hashes();
  out.pdq = hashes.pdq;
  out.pdq_quality = hashes.pdq_quality;
  out.frame_pdq = hashes.frame_pdq;
  return {};
}

// The refusal of an input that carries a clearcut mark under the key already.
base::Error already_marked(uint64_t payload) {
  return base::Error(base::ErrorCode::kFailedPrecondition,
                     "already carries a clearcut watermark under this key (payload " +
                         std::to_string(payload) +
                         "): it was stamped before; stamp the unmarked original");
}

// The sound of a file: its best audio stream's length, stored fingerprint (empty when the
// stream has no landmarks: silence, or under a second) and, with a key, the audio watermark read
// over all of it (unset without a key or under a second of sound).
struct Sound {
  double seconds = 0;
  std::string fingerprint;
  std::string waveform;  // a thumbnail, base64; empty when none could be made
  std::optional<watermark::WatermarkDetection> mark;
};

// The audio watermark read over all of `decoded`, as the picture mark's detection reports it;
// unset without a key or under a second of sound.
base::Result<std::optional<watermark::WatermarkDetection>> sound_mark(
    const media::DecodedAudio& decoded, const watermark::WatermarkKey* key) {
  if (key == nullptr || decoded.duration_seconds() < 1.0) {
    return std::optional<watermark::WatermarkDetection>();
  }
  const audio::AudioWatermarkDetection d =
      CC_TRY(audio::detect_watermark(decoded.samples, decoded.sample_rate, *key));
  watermark::WatermarkDetection mark;
  mark.found = d.found;
  mark.payload = d.payload;
  mark.best_guess = d.best_guess;
  mark.confidence = d.confidence;
  mark.bit_errors_corrected = d.bit_errors_corrected;
  mark.sync_score = d.sync_score;
  return std::optional(mark);
}

base::Result<Sound> sound_of(const std::string& path, const watermark::WatermarkKey* key) {
  const media::DecodedAudio decoded = CC_TRY(media::decode_audio(path));
  const audio::Fingerprint fp = CC_TRY(audio::fingerprint(decoded.samples));
  Sound sound;
  sound.seconds = decoded.duration_seconds();
  if (!fp.landmarks.empty()) {
    sound.fingerprint = CC_TRY(audio::encode_fingerprint(fp));
  }
  sound.mark = CC_TRY(sound_mark(decoded, key));
  if (auto picture = media::waveform_image(decoded.samples)) {
    sound.waveform = thumbnail_of(*picture);
  }
  return sound;
}

// An MP4 with audio streams and no picture to play: an M4A (cover art aside).
bool sound_only(const std::string& path) {
  auto probe = media::probe_audio(path);
  return probe.has_value() && probe->video_streams == 0 && !probe->streams.empty();
}

// Sound only: a WAV, MP3 or FLAC, or an MP4 with audio streams and no picture (an M4A).
bool is_sound(const FileKind& kind, const std::string& path) {
  return kind.flac || kind.format == c2pa::AssetFormat::kRiff ||
         kind.format == c2pa::AssetFormat::kMp3 ||
         (kind.format == c2pa::AssetFormat::kBmff && sound_only(path));
}

// An MP3's or FLAC's sound with the audio watermark: decoded at its own rate and channels,
// marked, and encoded again as it was (media::rewrite_audio: libmp3lame at the source's bit
// rate, or FLAC losslessly), then the mark read back from the new file. `marked` is false when
// it did not read back (an MP3 at a low bit rate, sound too quiet to hide it): the copy is then
// the original as it was, and a note says so. The scratch file is written beside `dest` and
// removed before returning.
struct MarkedSound {
  std::vector<uint8_t> bytes;
  bool marked = false;
};

base::Result<MarkedSound> watermark_sound(const StampRequest& request, const std::string& dest,
                                          bool flac, std::span<const uint8_t> original,
                                          std::vector<std::string>& notes) {
  base::StagedFile scratch = CC_TRY(base::StagedFile::create(dest));
  const std::string& path = scratch.temp_path();
  auto mark = [&](std::span<const float> samples, int channels, int rate) {
    return audio::embed_watermark(samples, channels, rate, request.watermark_payload,
                                  *request.watermark_key);
  };
  const media::AudioRewriteSummary summary =
      CC_TRY(media::rewrite_audio(request.input, path, mark));
  const std::string how = flac ? std::string("FLAC: decoded, marked and encoded again losslessly")
                               : "MP3: decoded, marked and encoded again with libmp3lame at " +
                                     std::to_string((summary.bit_rate + 500) / 1000) + " kbit/s";
  const std::optional<watermark::WatermarkDetection> read =
      CC_TRY(sound_mark(CC_TRY(media::decode_audio(path)), request.watermark_key));
  if (!read || !read->found || read->payload != request.watermark_payload) {
    notes.push_back(how + ", but the mark did not read back from it: the copy is the " +
                    "original's sound, not marked");
    return MarkedSound{std::vector<uint8_t>(original.begin(), original.end()), false};
  }
  notes.push_back(how + (flac ? " (its tags kept, cover art is not)"
                              : " (its tags kept in a new ID3v2.4 tag, cover art is not)"));
  return MarkedSound{CC_TRY(base::read_file_bytes(path)), true};
}

// The clip re-encoded (H.264, audio copied) with the watermark in every frame's luma, and the
// PDQ hashes of the marked frames as they went to the encoder (`hashes`). The scratch file is
// written beside `dest` and removed before returning; `notes` gains a line for streams that
// could not be carried over.
base::Result<std::vector<uint8_t>> watermark_video(const StampRequest& request,
                                                   const std::string& dest,
                                                   std::vector<std::string>& notes,
                                                   VideoFrameHashes& hashes) {
  FrameHasher hasher;
  // The input's first frames, as the rewrite decodes them and before they are marked, are
  // searched for a mark already there (refused: a second mark would garble both); no second
  // decode of them is needed.
  watermark::VideoWatermarkDetector prior(*request.watermark_key);
  bool prior_done = false;
  int prior_width = 0;
  int prior_height = 0;
  auto check_prior = [&]() -> base::Status {
    prior_done = true;
    const watermark::WatermarkDetection found = CC_TRY(prior.detect());
    if (found.found) {
      return already_marked(found.payload);
    }
    return {};
  };
  // A staged file never committed: scratch space beside `dest`, removed on return.
  base::StagedFile scratch = CC_TRY(base::StagedFile::create(dest));
  const std::string& path = scratch.temp_path();
  auto mark_frame = [&](const media::RewriteFrame& f) -> base::Status {
    if (f.width < watermark::kMinEmbedSide || f.height < watermark::kMinEmbedSide) {
      return base::invalid_argument("the video is " + std::to_string(f.width) + " x " +
                                    std::to_string(f.height) +
                                    " pixels; the watermark needs at least " +
                                    std::to_string(watermark::kMinEmbedSide) + " a side");
    }
    const media::LumaView luma{f.luma, f.width, f.height, f.stride};
    if (!prior_done) {
      if (prior.frames() == 0) {
        prior_width = f.width;
        prior_height = f.height;
      }
      if (f.width == prior_width && f.height == prior_height) {
        CC_TRY(prior.add_frame(luma));
      }
      if (prior.frames() == kVideoMarkFrames) {
        CC_TRY(check_prior());
      }
    }
    std::vector<uint8_t> marked =
        CC_TRY(watermark::embed(luma, request.watermark_payload, *request.watermark_key));
    for (int y = 0; y < f.height; ++y) {
      std::memcpy(f.luma + y * f.stride, marked.data() + static_cast<size_t>(y) * f.width,
                  static_cast<size_t>(f.width));
    }
    hasher.add(luma, f.time_seconds);
    return {};
  };
  auto summary = media::rewrite_video(request.input, path, {}, mark_frame);
  if (summary.has_value() && !prior_done && prior.frames() > 0) {
    // A clip of fewer frames than the search takes.
    if (auto refused = check_prior(); !refused.has_value()) {
      summary = base::Error(refused.error());
    }
  }
  if (!summary.has_value()) {
    return base::Error(summary.error()).with_location({request.input, 0, 0});
  }
  hashes = hasher.hashes();
  if (summary->streams_reencoded > 0) {
    notes.push_back(std::to_string(summary->streams_reencoded) +
                    " sound stream(s) of the original that MP4 cannot hold as they are (PCM) are "
                    "in the stamped copy as ALAC, losslessly");
  }
  if (summary->streams_dropped > 0) {
    notes.push_back(std::to_string(summary->streams_dropped) +
                    " stream(s) of the original (data, timecode or cover art) are not in the "
                    "stamped copy");
  }
  return base::read_file_bytes(path);
}

// The picture as viewers display it: turned as the file's EXIF orientation says. A file whose
// metadata cannot be read is taken as stored.
media::Image displayed(media::Image image, std::span<const uint8_t> bytes) {
  auto metadata = xmp::read_photo_metadata(bytes);
  const int orientation = metadata.has_value() ? metadata->orientation : 1;
  return media::apply_orientation(std::move(image), media::orientation_from_tag(orientation));
}

// The original's metadata, to carry into its copy. Metadata serves the photo's users, not the
// stamp: what cannot be read is a note, and the stamp goes on without it.
xmp::PhotoMetadata original_metadata(std::span<const uint8_t> original,
                                     std::vector<std::string>& notes) {
  auto read = xmp::read_photo_metadata(original);
  if (!read.has_value()) {
    notes.push_back("the original's metadata cannot be read (" + read.error().message() +
                    "): the copy carries none and is stamped as stored");
    return {};
  }
  if (read->orientation != 1) {
    notes.push_back("the picture is turned upright as the original's EXIF orientation (" +
                    std::to_string(read->orientation) + ") said; the copy's orientation is 1");
  }
  return std::move(*read);
}

// `copy` (`picture` encoded and labelled) with the original's metadata as an upright copy
// carries it, or unchanged with a note when that cannot be written.
std::vector<uint8_t> with_original_metadata(std::vector<uint8_t> copy,
                                            const xmp::PhotoMetadata& original,
                                            const media::Image& picture,
                                            const xmp::MetadataStrip& strip,
                                            std::vector<std::string>& notes) {
  auto kept = xmp::metadata_for_copy(original, picture.width, picture.height, strip);
  auto written = kept.has_value() ? xmp::write_photo_metadata(copy, *kept)
                                  : base::Result<std::vector<uint8_t>>(kept.error());
  if (!written.has_value()) {
    notes.push_back("the original's metadata cannot be carried into the copy (" +
                    written.error().message() + "): it carries none");
    return copy;
  }
  notes.insert(notes.end(), kept->notes.begin(), kept->notes.end());
  return std::move(*written);
}

}  // namespace

base::Result<OutputInspection> inspect_output(const std::string& path,
                                              const InspectOptions& options) {
  std::vector<uint8_t> bytes = CC_TRY(base::read_file_bytes(path));
  const FileKind kind = CC_TRY(supported_format(bytes, path));
  const c2pa::AssetFormat format = kind.format;
  OutputInspection out;
  out.media_type = kind.flac ? "audio/flac" : media_type_of(format);
  out.sha256 = base::to_hex(crypto::sha256(std::span<const uint8_t>(bytes)));
  c2pa::ReadOptions read_options;
  read_options.trust_anchors = options.trust_anchors;
  out.c2pa = CC_TRY(c2pa::read_c2pa(bytes, read_options));
  if (is_sound(kind, path)) {
    if (format == c2pa::AssetFormat::kBmff) {
      out.media_type = "audio/mp4";
    }
    const Sound sound = CC_TRY(sound_of(path, options.watermark_key));
    out.duration_ms = static_cast<int64_t>(sound.seconds * 1000.0 + 0.5);
    out.audio_fingerprint = sound.fingerprint;
    out.waveform = sound.waveform;
    out.mark = sound.mark;
    return out;
  }
  if (format == c2pa::AssetFormat::kBmff) {
    auto reader = media::VideoReader::open(path);
    if (!reader.has_value()) {
      return base::Error(reader.error()).with_context("read video");
    }
    const media::VideoStreamInfo& info = reader->info();
    out.width = info.width;
    out.height = info.height;
    out.duration_ms =
        info.duration_seconds ? static_cast<int64_t>(*info.duration_seconds * 1000.0 + 0.5) : 0;
    CC_TRY(hash_frames(*reader, options.watermark_key, options.watermark_tile_scale,
                       options.video_hashes, out));
    auto probe = media::probe_audio(path);
    if (probe.has_value() && !probe->streams.empty()) {
      out.audio_fingerprint = CC_TRY(sound_of(path, nullptr)).fingerprint;
    }
    return out;
  }
  out.xmp = CC_TRY(xmp::read_xmp_label(bytes));
  auto image = media::decode_image(bytes);
  if (!image.has_value()) {
    return base::Error(image.error()).with_context("decode").with_location({path, 0, 0});
  }
  // Hashed and searched as displayed, as the stamp marked and registered it.
  *image = displayed(std::move(*image), bytes);
  out.width = image->width;
  out.height = image->height;
  provenance::PdqHasher hasher;
  provenance::PdqResult pdq = provenance::hash_like_reference(
      hasher, {image->pixels.data(), image->width, image->height, image->channels, 0});
  if (!pdq.hash.is_zero()) {
    out.pdq = pdq.hash.to_hex();
    out.pdq_quality = pdq.quality;
    out.frame_pdq = reframing_pdq(
        hasher, {image->pixels.data(), image->width, image->height, image->channels, 0}, pdq.hash);
  }
  if (options.watermark_key != nullptr && image->width >= watermark::kMinDetectSide &&
      image->height >= watermark::kMinDetectSide) {
    out.mark = CC_TRY(
        options.watermark_tile_scale > 0
            ? watermark::read_image_at(*image, *options.watermark_key, options.watermark_tile_scale)
            : watermark::detect_image(*image, *options.watermark_key));
  }
  return out;
}

base::Result<std::optional<watermark::WatermarkKey>> load_watermark_key(
    const std::string& key_file, const std::string& passphrase_env) {
  if (!key_file.empty()) {
    std::string text = CC_TRY(base::read_file(key_file));
    if (text.size() == watermark::WatermarkKey::kSize) {
      std::vector<uint8_t> raw(text.begin(), text.end());
      return std::optional(CC_TRY(watermark::WatermarkKey::from_bytes(raw)));
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
      text.pop_back();
    }
    auto bytes = base::from_hex(text);
    if (!bytes) {
      return base::invalid_argument("a watermark key file holds 32 bytes or 64 hex digits")
          .with_location({key_file, 0, 0});
    }
    return std::optional(CC_TRY(watermark::WatermarkKey::from_bytes(*bytes)));
  }
  if (!passphrase_env.empty()) {
    const char* passphrase = std::getenv(passphrase_env.c_str());
    if (passphrase == nullptr || *passphrase == '\0') {
      return base::invalid_argument("the environment variable " + passphrase_env +
                                    " (--watermark-passphrase) is not set");
    }
    return std::optional(CC_TRY(watermark::WatermarkKey::from_passphrase(passphrase)));
  }
  return std::optional<watermark::WatermarkKey>();
}

std::string default_stamped_path(const std::string& input) {
  fs::path path(input);
  fs::path name = path.stem();
  name += ".stamped";
  name += path.extension();
  return (path.parent_path() / name).string();
}

StagedOutput::StagedOutput(StagedOutput&& other) noexcept = default;
StagedOutput::~StagedOutput() = default;

base::Status StagedOutput::commit(bool force) {
  if (!file_.has_value()) {
    return base::Error(base::ErrorCode::kFailedPrecondition, "already committed");
  }
  auto committed = file_->commit(force);
  if (!committed.has_value() && committed.error().code() == base::ErrorCode::kAlreadyExists) {
    return std::move(committed).error().with_context("--force replaces it");
  }
  return committed;
}

base::Result<StagedOutput> stage_stamp(const StampRequest& request) {
  CC_CHECK(request.signer != nullptr);
  std::vector<uint8_t> original = CC_TRY(base::read_file_bytes(request.input));
  const FileKind kind = CC_TRY(supported_format(original, request.input));
  const c2pa::AssetFormat format = kind.format;
  const bool still = format == c2pa::AssetFormat::kJpeg || format == c2pa::AssetFormat::kPng;
  const bool sound = is_sound(kind, request.input);
  if (request.watermark_key == nullptr) {
    return base::invalid_argument("a watermark key is needed to stamp");
  }

  StagedOutput staged;
  staged.path_ = request.output.empty() ? default_stamped_path(request.input) : request.output;
  std::error_code ec;
  if (fs::exists(staged.path_, ec)) {
    if (fs::equivalent(staged.path_, request.input, ec)) {
      return base::invalid_argument("the output would replace the original")
          .with_location({staged.path_, 0, 0});
    }
    if (!request.force) {
      return base::Error(base::ErrorCode::kAlreadyExists, "exists (pass --force to replace it)")
          .with_location({staged.path_, 0, 0});
    }
  }

  // An original with Content Credentials of its own (a photo edited with AI, or an earlier
  // stamped output) keeps them: it becomes the parentOf ingredient, and its manifests travel
  // in the new store (c2pa_writer.h). Re-encoding alone would silently drop them.
  c2pa::ManifestDefinition manifest = request.manifest;
  c2pa::C2paReport existing = CC_TRY(c2pa::read_c2pa(original));
  if (existing.has_manifest()) {
    c2pa::ParentAsset parent;
    parent.bytes = original;
    parent.title = fs::path(request.input).filename().string();
    parent.validation.trust_anchors = request.trust_anchors;
    manifest.parent = parent;
  }

  // A second mark under the same key would interfere with the first and neither would read
  // back: refuse, naming the payload found (the asset it was stamped as).
  std::optional<watermark::WatermarkDetection> prior;
  std::optional<media::Image> image;
  xmp::PhotoMetadata metadata;
  if (still) {
    auto decoded = media::decode_image(original);
    if (!decoded.has_value()) {
      return base::Error(decoded.error()).with_location({request.input, 0, 0});
    }
    // Marked, hashed and registered as viewers see it: a phone photo stored sideways or upside
    // down is turned upright, and its copy says orientation 1.
    metadata = original_metadata(original, staged.notes_);
    image = media::apply_orientation(std::move(*decoded),
                                     media::orientation_from_tag(metadata.orientation));
    if (image->width >= watermark::kMinDetectSide && image->height >= watermark::kMinDetectSide) {
      prior = CC_TRY(watermark::detect_image(*image, *request.watermark_key));
    }
  }
  double sound_seconds = 0;
  if (sound) {
    // The mark only: the original's fingerprint is not what gets registered.
    const media::DecodedAudio decoded = CC_TRY(media::decode_audio(request.input));
    sound_seconds = decoded.duration_seconds();
    prior = CC_TRY(sound_mark(decoded, request.watermark_key));
  }
  // A video's first frames are searched as they are decoded for the rewrite (watermark_video).
  if (prior && prior->found) {
    return already_marked(prior->payload).with_location({request.input, 0, 0});
  }

  const std::string source_uri = c2pa::digital_source_type_uri(manifest.digital_source_type);
  std::vector<uint8_t> labelled;
  double tile_scale = 0;          // the mark's, for the read-back
  VideoFrameHashes video_hashes;  // a video's, taken from its frames as they were encoded
  bool sound_marked = false;      // a WAV's, MP3's or FLAC's sound carries the mark
  if (still) {
    // A still is delivered smaller than it was made, often much (a camera photo fitted into
    // an HD frame): the tile is enlarged so that the mark is still read there.
    tile_scale = watermark::tile_scale_for(image->width, image->height);
    media::Image marked = CC_TRY(watermark::embed_image(*image, request.watermark_payload,
                                                        *request.watermark_key, 1.0f, tile_scale));
    staged.thumbnail_ = thumbnail_of(marked);
    std::vector<uint8_t> encoded;
    if (format == c2pa::AssetFormat::kJpeg) {
      media::JpegEncodeOptions jpeg;
      jpeg.quality = kJpegQuality;
      jpeg.subsample_chroma = false;
      encoded = CC_TRY(media::encode_jpeg(marked, jpeg));
    } else {
      encoded = CC_TRY(media::encode_png(marked));
    }
    // The label first, then the original's metadata around it (the label's properties win in the
    // packet); both before signing, so that the hard binding covers them.
    labelled = CC_TRY(xmp::write_xmp_label(encoded, {source_uri, std::nullopt}));
    labelled =
        with_original_metadata(std::move(labelled), metadata, marked, request.strip, staged.notes_);
  } else if (sound && format != c2pa::AssetFormat::kBmff &&
             sound_seconds < audio::kMinMarkSeconds) {
    // A sound effect's blip: too short for the mark's frames to say anything.
    labelled = original;
    staged.notes_.push_back("the sound is under " +
                            std::to_string(static_cast<int>(audio::kMinMarkSeconds * 1000)) +
                            " ms, too short to carry the audio watermark: the copy is not marked");
  } else if (sound && format == c2pa::AssetFormat::kRiff) {
    // The audio watermark in the WAV's own samples, every other chunk kept.
    const WavSamples wav = CC_TRY(read_wav_samples(original));
    const std::vector<float> marked =
        CC_TRY(audio::embed_watermark(wav.interleaved, wav.channels, wav.sample_rate,
                                      request.watermark_payload, *request.watermark_key));
    if (marked == wav.interleaved) {
      // Digital silence: the mark has nothing to hide under (audio/README.md, "The mask").
      labelled = original;
      staged.notes_.push_back(
          "the sound is silent, so there is nothing to hide the audio watermark under: the copy "
          "is not marked");
    } else {
      labelled = CC_TRY(with_wav_samples(original, wav, marked));
      sound_marked = true;
    }
  } else if (sound && format == c2pa::AssetFormat::kBmff) {
    // An M4A as it is: marking it would mean re-encoding its AAC, which the mark does not
    // survive yet (src/clearcut/audio/README.md, "Watermark").
    labelled = original;
    staged.notes_.push_back(
        "M4A: the audio watermark is not embedded (it does not survive AAC yet); scans find "
        "this output by its audio fingerprint and its Content Credentials");
  } else if (sound) {
    MarkedSound marked =
        CC_TRY(watermark_sound(request, staged.path_, kind.flac, original, staged.notes_));
    labelled = std::move(marked.bytes);
    sound_marked = marked.marked;
  } else {
    labelled = CC_TRY(watermark_video(request, staged.path_, staged.notes_, video_hashes));
  }
  // C2PA 2.2 defines no place for a manifest store in FLAC: the copy carries none.
  c2pa::SignedAsset signed_asset;
  if (kind.flac) {
    signed_asset.bytes = std::move(labelled);
    staged.notes_.push_back(
        "FLAC: C2PA defines no place for Content Credentials in FLAC, so the copy carries none "
        "(stamp a WAV or MP3 of the sound for them)");
  } else {
    signed_asset = CC_TRY(c2pa::write_c2pa(labelled, *request.signer, manifest));
  }
  staged.manifest_id_ = signed_asset.manifest_label;
  if (manifest.parent && !kind.flac) {
    staged.notes_.push_back("the original's Content Credentials (manifest " +
                            signed_asset.parent_manifest + ", " +
                            std::string(c2pa::verdict_name(signed_asset.parent_verdict)) +
                            ") are kept as the parent ingredient");
  }

  // Written beside the destination so that the final move is a rename within one filesystem.
  staged.file_ = CC_TRY(base::StagedFile::create(staged.path_, 0644));
  CC_TRY(staged.file_->write(signed_asset.bytes));
  CC_TRY(staged.file_->sync());
  const std::string& temp_path = staged.file_->temp_path();

  // Read back what was written, as a consumer of the file would, before calling it stamped.
  InspectOptions check;
  check.trust_anchors = request.trust_anchors;
  check.watermark_key = request.watermark_key;
  // The mark where it was put: nothing has resized the file, and a search would spend most of
  // the stamp's time finding the scale it already knows.
  check.watermark_tile_scale = tile_scale;
  if (!still && !sound) {
    // A video is marked at tile scale 1, every frame as the encoder got it: its hashes are
    // those frames', and the read-back decodes what it reads the mark from.
    check.watermark_tile_scale = 1.0;
    check.video_hashes = &video_hashes;
  }
  staged.inspection_ = CC_TRY(inspect_output(temp_path, check));
  const OutputInspection& seen = staged.inspection_;
  auto data_loss = [&](const std::string& what) {
    return base::Error(base::ErrorCode::kDataLoss, "verification failed: " + what)
        .with_location({staged.path_, 0, 0});
  };
  if (!kind.flac &&
      (!seen.c2pa.integrity.intact || seen.c2pa.active_manifest != staged.manifest_id_)) {
    std::string codes;
    for (const std::string& code : seen.c2pa.failure_codes()) {
      codes += " " + code;
    }
    return data_loss("Content Credentials do not validate (" +
                     std::string(c2pa::verdict_name(seen.c2pa.verdict)) + codes + ")");
  }
  bool declared = false;
  for (const c2pa::SourceTypeFinding& finding : seen.c2pa.ai.findings) {
    declared |=
        finding.active_manifest && finding.verified && finding.type == manifest.digital_source_type;
  }
  if (!declared && !kind.flac) {
    return data_loss("the manifest does not declare the digital source type");
  }
  if (still) {
    if (seen.xmp.digital_source_type != source_uri) {
      return data_loss("the XMP DigitalSourceType is missing");
    }
  } else if (!sound) {
    staged.thumbnail_ = video_thumbnail(temp_path);
  } else {
    staged.thumbnail_ = seen.waveform;
  }
  if (sound && seen.audio_fingerprint.empty()) {
    staged.notes_.push_back(
        "the sound is too short or quiet to fingerprint: scans find it by its Content "
        "Credentials and watermark only, where it has them");
  }
  const bool marked = !sound || sound_marked;
  if (marked &&
      (!seen.mark || !seen.mark->found || seen.mark->payload != request.watermark_payload)) {
    return data_loss("the watermark does not read back");
  }
  return staged;
}

}  // namespace clearcut::stamp
