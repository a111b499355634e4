#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clearcut/base/file.h"
#include "clearcut/base/result.h"
#include "clearcut/provenance/c2pa/c2pa_reader.h"
#include "clearcut/provenance/c2pa/c2pa_writer.h"
#include "clearcut/provenance/c2pa/claim_signer.h"
#include "clearcut/provenance/c2pa/trust_anchors.h"
#include "clearcut/provenance/watermark/watermark_detector.h"
#include "clearcut/provenance/watermark/watermark_key.h"
#include "clearcut/provenance/xmp/photo_metadata.h"
#include "clearcut/provenance/xmp/xmp_label.h"

namespace clearcut::stamp {

// What a file says about itself: the C2PA report, the XMP label, the watermark (when a key is
// given; a video's first 8 frames are searched together), and the hashes and dimensions clearcut
// registers outputs by.
struct OutputInspection {
  std::string media_type;  // image/jpeg, image/png, video/mp4, audio/{mp4,wav,mpeg,flac}
  std::string sha256;      // hex
  std::string pdq;         // hex; a video's first frame that can be hashed; empty when none can
  int pdq_quality = 0;
  // Videos: PDQ hashes of frames every half second (dropping one within 8 bits of the last kept),
  // at most domain::kMaxFramePdq, so that scans find any stretch of the clip. Stills: PDQ hashes
  // of its reframings (reframings.h), so that scans find it cropped to a shot's aspect.
  std::vector<std::string> frame_pdq;
  // A file with sound (a video's audio track, an M4A, WAV, MP3, FLAC): the landmark fingerprint of
  // its best audio stream, as stored (audio/fingerprint_codec.h); empty without sound, or when the
  // sound is too short or quiet to have landmarks.
  std::string audio_fingerprint;
  // Sound only: a picture of its waveform as a base64 JPEG thumbnail (media/waveform.h), which
  // reviewers see where a picture's thumbnail would be; empty when none could be made.
  std::string waveform;
  int width = 0;
  int height = 0;
  int64_t duration_ms = 0;
  c2pa::C2paReport c2pa;
  xmp::XmpLabel xmp;                                  // empty for video
  std::optional<watermark::WatermarkDetection> mark;  // unset: not looked for
};

// A video's PDQ hashes as OutputInspection holds them (pdq, pdq_quality, frame_pdq).
struct VideoFrameHashes {
  std::string pdq;
  int pdq_quality = 0;
  std::vector<std::string> frame_pdq;
};

struct InspectOptions {
  const c2pa::TrustAnchors* trust_anchors = nullptr;
  const watermark::WatermarkKey* watermark_key = nullptr;  // null: no watermark check
  // > 0 reads the mark at this tile scale only, for the stamper's read-back of what it just
  // marked: a still with watermark::read_image_at; a video in its first frame, and over its first
  // frames together (as without it) only when that frame does not read. 0 searches for it.
  double watermark_tile_scale = 0;
  // Videos: the frames' PDQ hashes already taken, by the stamper from the frames it marked as it
  // handed them to the encoder (the same frames, times and rules), reported as they are; the
  // read-back then decodes only the frames it reads the mark from. Null: every frame is decoded
  // and hashed.
  const VideoFrameHashes* video_hashes = nullptr;
};

// Reads and decodes the file at `path`. Errors: kNotFound, kUnavailable (I/O), kUnsupported (not
// a JPEG, PNG, MP4, M4A, WAV, MP3 or FLAC), kInvalidArgument (a file that does not decode).
// A FLAC's `c2pa` is a report of no manifest (C2PA defines no place for one in FLAC).
// Thread-safe.
base::Result<OutputInspection> inspect_output(const std::string& path,
                                              const InspectOptions& options);

struct StampRequest {
  std::string input;
  std::string output;  // empty: NAME.stamped.EXT beside the input
  bool force = false;  // replace an existing output
  c2pa::ManifestDefinition manifest;
  // The watermark's payload and the key that places it (required): in a still's luma, or in
  // every frame of a video, which is then re-encoded (H.264, CRF 16, audio copied).
  uint64_t watermark_payload = 0;
  const watermark::WatermarkKey* watermark_key = nullptr;
  const c2pa::ClaimSigner* signer = nullptr;
  const c2pa::TrustAnchors* trust_anchors = nullptr;  // also report whether the chain is trusted
  // What of a still's EXIF and XMP the copy leaves out (GPS, or all EXIF).
  xmp::MetadataStrip strip;
};

// A stamped copy written to a temporary file beside its destination and verified by reading it
// back (C2PA integrity, XMP source type, watermark payload). The temporary file is removed on
// destruction unless commit() moved it into place, so a failure leaves nothing half-written.
// Move-only; not thread-safe.
class StagedOutput {
 public:
  StagedOutput(StagedOutput&& other) noexcept;
  StagedOutput& operator=(StagedOutput&&) = delete;
  StagedOutput(const StagedOutput&) = delete;
  ~StagedOutput();

  const std::string& path() const { return path_; }  // the destination
  const std::string& manifest_id() const { return manifest_id_; }
  const OutputInspection& inspection() const { return inspection_; }
  // The stamped picture (a video's first frame, in grey) within 160x160, a base64 JPEG, as
  // domain::Asset::thumbnail holds it; empty when none could be made.
  const std::string& thumbnail() const { return thumbnail_; }
  // What the user should know about the copy, one sentence each (streams of a video that
  // could not be carried over).
  const std::vector<std::string>& notes() const { return notes_; }

  // Moves the temporary file to path(); without `force` an existing file there is an error
  // (kAlreadyExists) and is left alone.
  base::Status commit(bool force);

 private:
  friend base::Result<StagedOutput> stage_stamp(const StampRequest& request);
  StagedOutput() = default;

  std::string path_;
  std::optional<base::StagedFile> file_;  // empty once committed
  std::string manifest_id_;
  OutputInspection inspection_;
  std::string thumbnail_;
  std::vector<std::string> notes_;
};

// The watermark key from a file (32 raw bytes or 64 hex digits) or from the environment
// variable named `passphrase_env`; nullopt when both are empty. Errors: kNotFound (no file),
// kInvalidArgument (bad key, unset variable).
base::Result<std::optional<watermark::WatermarkKey>> load_watermark_key(
    const std::string& key_file, const std::string& passphrase_env);

// The default output path: "dir/shot.png" → "dir/shot.stamped.png".
std::string default_stamped_path(const std::string& input);

// Stamps a JPEG or PNG (turned upright as its EXIF orientation says, watermark, then XMP
// DigitalSourceType, then the original's EXIF, ICC profile and XMP as xmp::metadata_for_copy
// keeps them, then Content Credentials), an MP4 (watermark in every frame and re-encoding,
// then Content Credentials; its sound fingerprinted), an M4A (an MP4 with sound only: Content
// Credentials and the fingerprint; not marked, as the mark does not survive AAC, and a note says
// so), a WAV (the audio watermark in its own samples, Content Credentials in a C2PA chunk, the
// fingerprint), an MP3 (decoded, marked and encoded again with libmp3lame at its bit rate,
// Content Credentials in an ID3v2 GEOB frame, the fingerprint) or a FLAC (marked and encoded
// again losslessly, the fingerprint; no Content Credentials, as C2PA defines no place for them
// in FLAC, and a note says so) into a verified temporary file. An MP3 or FLAC whose mark does
// not read back from the new encoding is stamped as it was, unmarked, and a note says so. The
// input is never written. An input that carries Content Credentials of its own keeps them as the
// new manifest's parentOf ingredient (c2pa::ParentAsset). Metadata the copy cannot carry is a note,
// not an error. Errors: kNotFound (no input), kAlreadyExists (the output exists and !force),
// kInvalidArgument (no watermark key, the output is the input, a picture too small to watermark),
// kUnsupported (other formats), kFailedPrecondition (the input already carries a clearcut watermark
// under this key: it was stamped before), kDataLoss (a video that does not decode to the end, or a
// file written that did not read back as written), and the signer's errors.
base::Result<StagedOutput> stage_stamp(const StampRequest& request);

}  // namespace clearcut::stamp
