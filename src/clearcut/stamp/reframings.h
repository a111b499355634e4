#pragma once

#include <string>
#include <vector>

#include "clearcut/provenance/pdq/pdq_hasher.h"

namespace clearcut::stamp {

// An editor rarely puts a still into a shot whole: it fills a 16:9 or scope frame (its top and
// bottom cut away), or is pushed in. PDQ hashes the whole picture, so such a frame lies 40 to
// 120 bits from the still's own hash (issue #13), far past the match radius. A still's
// reframings are the centre crops an editor's defaults make: each standard delivery aspect
// (16:9, 2.39:1, 1.85:1, 4:3, 4:5, 1:1, 9:16) that differs from the still's own by more than
// 3%; 95%, 90%, 85% and 80% centre crops at the still's own aspect and of its 16:9 and 2.39:1
// crops (a push-in, a 10% crop of the delivery); 90% and 75% of its height or width alone (a
// still shown whole between bars, then cropped or matted by a rendition); and 90% and 75% of the
// width alone of its 16:9 and 2.39:1 crops (such a crop letterboxed, then cut at the sides). Their
// PDQ hashes are registered beside the still's (domain::Asset::frame_pdq), so that a scan matches
// such a frame to the asset; a scanned frame's black bars are trimmed before hashing, so a
// letterboxed frame compares with the crop of its aspect. The still itself and each aspect crop
// (a framing shown between bars) also register their top 80% ("16:9 above subtitles"): a scan
// hashes a barred picture again without the bottom rows burned-in subtitles cover
// (match::kAboveSubtitlesPercent).
struct Reframing {
  std::string name;  // "16:9", "2.39:1", "centre 90%", ...
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

// The reframings of a width x height still (none for a side under 64 pixels).
std::vector<Reframing> reframings_of(int width, int height);

// Their PDQ hashes (hex), each of quality 50 or more and more than 8 bits from the still's own
// hash `own` and from every code before it (the crops of a still close to an aspect add
// nothing). `pixels` is the still, tightly packed or with its stride.
std::vector<std::string> reframing_pdq(provenance::PdqHasher& hasher,
                                       const provenance::PixelView& pixels,
                                       const provenance::PdqHash& own);

}  // namespace clearcut::stamp
