#pragma once

#include <cstddef>

#include "clearcut/scan/registry.h"
#include "clearcut/scan/scanner.h"

namespace clearcut::scan {

// The most findings of one report that get pictures.
inline constexpr size_t kMaxThumbnailFindings = 200;

// Adds what the report shows besides the verdicts, after the scan so that its frame loop stays
// lean: each finding's frame (video and image sequences: the middle frame of its stretch, found
// by seeking, in grey; stills: the image), the registered asset's own thumbnail, and each
// video's duration (for the timeline). A finding that has a picture already (a sound finding's
// waveform, FileScanner's) keeps it. Files are opened again: one that no longer opens, or a
// frame that does not decode, leaves its findings without a frame thumbnail; nothing fails. The
// first `max_findings` findings in report order get pictures, which bounds the time spent and
// the report's size. Files are opened as the scan opened them (`options.files`), each within
// its time limit and stopped by `options.cancel`; pass the scan's options. Not thread-safe for
// one report.
void add_thumbnails(ScanReport& report, const Registry& registry,
                    size_t max_findings = kMaxThumbnailFindings, const ScanOptions& options = {});

// Reads the thumbnails of the registered assets among the first `max_findings` findings of
// `report` (own and another production's) into `registry`, which load_registry and
// RegistryCache leave without them: call it before add_thumbnails. Store errors as they come.
base::Status load_thumbnails(store::Store& store, const ScanReport& report, Registry& registry,
                             size_t max_findings = kMaxThumbnailFindings);

}  // namespace clearcut::scan
