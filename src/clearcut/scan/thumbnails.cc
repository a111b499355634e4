#include "clearcut/scan/thumbnails.h"

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "clearcut/base/base64.h"
#include "clearcut/media/ffmpeg/video_reader.h"
#include "clearcut/media/image_decoder.h"
#include "clearcut/media/thumbnail.h"
#include "clearcut/scan/file_deadline.h"

namespace clearcut::scan {
namespace {

std::string encoded(const media::Image& image) {
  auto jpeg = media::encode_thumbnail(image);
  return jpeg.has_value() ? base::base64_encode(*jpeg) : std::string();
}

bool is_moving(const FileReport& file) {
  return file.kind == "video" || file.kind == "image_sequence";
}

base::Result<media::VideoReader> open_video(const FileReport& file, const FileDeadline& deadline) {
  // The scanner's defaults, so that frames are numbered and timed as it numbered them; files
  // opened as the scan opened them (ScanOptions::files), reads bounded as its were.
  media::VideoReaderOptions options = deadline.reader_options();
  options.thread_count = 0;
  return file.kind == "image_sequence" ? media::VideoReader::open_image_sequence(file.path, options)
                                       : media::VideoReader::open(file.path, options);
}

// The frame a video finding is pictured by: the middle of its stretch.
int64_t picture_frame(const Finding& f) {
  return f.first_frame + (f.last_frame - f.first_frame) / 2;
}

std::string grey_thumbnail(const media::VideoFrame& frame, const media::VideoReader& reader) {
  const media::LumaView& luma = frame.luma;
  return encoded(
      media::grey_image(luma.data, luma.width, luma.height, luma.stride, reader.info().full_range));
}

// Frame thumbnails of one video's findings, in frame order. Seeking finds each frame; a
// container that cannot seek is read once from its start instead.
void add_video_thumbnails(FileReport& file, std::vector<Finding*>& findings,
                          const FileDeadline& deadline) {
  auto reader = open_video(file, deadline);
  if (!reader.has_value()) {
    return;
  }
  if (reader->info().duration_seconds) {
    file.duration_seconds = *reader->info().duration_seconds;
  }
  std::sort(findings.begin(), findings.end(), [](const Finding* a, const Finding* b) {
    return picture_frame(*a) < picture_frame(*b);
  });
  std::map<int64_t, std::string> made;  // by frame: findings may share one
  bool sequential = false;
  bool ended = false;
  for (Finding* f : findings) {
    if (deadline.stopped_text()) {
      return;  // the pictures are extras: what is made so far stays
    }
    const int64_t wanted = picture_frame(*f);
    if (auto it = made.find(wanted); it != made.end()) {
      f->frame_thumbnail = it->second;
      continue;
    }
    if (!sequential) {
      auto sought = reader->seek_to_frame(wanted);
      if (sought.has_value()) {
        if (sought->has_value()) {
          f->frame_thumbnail = made[wanted] = grey_thumbnail(**sought, *reader);
        }
        continue;
      }
      if (sought.error().code() != base::ErrorCode::kUnsupported) {
        continue;  // this frame does not decode; others may
      }
      auto fresh = open_video(file, deadline);
      if (!fresh.has_value()) {
        return;
      }
      *reader = std::move(*fresh);
      sequential = true;
    }
    while (!ended && !deadline.stopped_text()) {
      auto next = reader->next();
      if (!next.has_value() || !next->has_value()) {
        ended = true;
        break;
      }
      if ((*next)->index >= wanted) {
        f->frame_thumbnail = made[wanted] = grey_thumbnail(**next, *reader);
        break;
      }
    }
  }
}

}  // namespace

void add_thumbnails(ScanReport& report, const Registry& registry, size_t max_findings,
                    const ScanOptions& options) {
  size_t budget = max_findings;
  for (FileReport& file : report.files) {
    std::vector<Finding*> chosen;
    for (Finding& f : file.findings) {
      if (budget == 0) {
        break;
      }
      --budget;
      if (f.frame_thumbnail.empty()) {  // sound findings have their waveform from the scan
        chosen.push_back(&f);
      }
      if (f.asset_id) {
        auto asset = registry.assets.find(*f.asset_id);
        if (asset != registry.assets.end()) {
          f.asset_thumbnail = asset->second.thumbnail;
        }
      }
      if (f.elsewhere) {  // for its own production only (ForeignMatch), never the report
        auto asset = registry.assets.find(f.elsewhere->asset_id);
        if (asset != registry.assets.end()) {
          f.elsewhere->asset_thumbnail = asset->second.thumbnail;
        }
      }
    }
    if (!file.error.empty() && file.frames_decoded == 0) {
      continue;  // never opened, or refused by the gate
    }
    // Each file again within its own time limit, sized as the scan sized it.
    auto opened = file.kind == "image_sequence" ? base::Result<OpenedFile>(OpenedFile())
                                                : options.files.open(file.path);
    if (!opened.has_value()) {
      continue;
    }
    const FileDeadline deadline(options, opened->size());
    if (is_moving(file)) {
      if (chosen.empty()) {  // no pictures, but the timeline still wants the duration
        auto reader = open_video(file, deadline);
        if (reader.has_value() && reader->info().duration_seconds) {
          file.duration_seconds = *reader->info().duration_seconds;
        }
        continue;
      }
      add_video_thumbnails(file, chosen, deadline);
    } else if (file.kind == "still" && !chosen.empty()) {
      constexpr size_t kMaxStill = size_t{1} << 30;  // as the scanner reads them
      auto bytes = opened->read(kMaxStill);
      auto image = bytes.has_value() ? media::decode_image(*bytes)
                                     : base::Result<media::Image>(std::move(bytes).error());
      const std::string thumbnail = image.has_value() ? encoded(*image) : std::string();
      for (Finding* f : chosen) {
        f->frame_thumbnail = thumbnail;
      }
    }
  }
}

base::Status load_thumbnails(store::Store& store, const ScanReport& report, Registry& registry,
                             size_t max_findings) {
  std::vector<int64_t> ids;
  for (const FileReport& file : report.files) {
    for (const Finding& f : file.findings) {
      if (ids.size() >= max_findings * 2) {
        break;
      }
      if (f.asset_id) {
        ids.push_back(*f.asset_id);
      }
      if (f.elsewhere) {
        ids.push_back(f.elsewhere->asset_id);
      }
    }
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::erase_if(ids, [&registry](int64_t id) {
    auto asset = registry.assets.find(id);
    return asset == registry.assets.end() || !asset->second.thumbnail.empty();
  });
  if (ids.empty()) {
    return {};
  }
  auto tx = CC_TRY(store.begin());
  std::vector<std::pair<int64_t, std::string>> thumbnails = CC_TRY(tx->assets().thumbnails(ids));
  for (auto& [id, thumbnail] : thumbnails) {
    registry.assets[id].thumbnail = std::move(thumbnail);
  }
  return {};
}

}  // namespace clearcut::scan
