#include "tests/api/delivery_fixture.h"

#include <fstream>

#include "clearcut/clearance/clock.h"
#include "clearcut/provenance/pdq/pdq_hasher.h"
#include "clearcut/scan/scan_worker.h"

namespace clearcut::apitest {

media::Image test_still(int seed) {
  media::Image image;
  image.width = 512;
  image.height = 512;
  image.channels = 3;
  image.pixels.resize(512 * 512 * 3);
  for (int y = 0; y < 512; ++y) {
    for (int x = 0; x < 512; ++x) {
      uint8_t* p = &image.pixels[(static_cast<size_t>(y) * 512 + x) * 3];
      p[0] = static_cast<uint8_t>((x * (seed + 3) + y * y / 7) & 0xff);
      p[1] = static_cast<uint8_t>(((x / 32 + y / 32 + seed) % 2) * 200 + 20);
      p[2] = static_cast<uint8_t>((x ^ y) * (seed + 1));
    }
  }
  return image;
}

void write_file(const std::filesystem::path& path, const std::vector<uint8_t>& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

HttpAnswer DeliveryTest::register_still(const media::Image& still, nlohmann::json fields) {
  provenance::PdqHasher hasher;
  provenance::PdqResult hash = hasher.hash(
      provenance::PixelView{still.pixels.data(), still.width, still.height, still.channels, 0});
  EXPECT_GE(hash.quality, 50);
  fields["pdq"] = hash.hash.to_hex();
  fields["pdq_quality"] = hash.quality;
  return send(Who::kPartner, "POST", "/api/v1/productions/1/assets", fields);
}

int DeliveryTest::run_workers() {
  clearance::SystemClock clock;
  scan::ScanWorkerOptions options;
  options.name = "test-worker";
  options.scan_root = scan_root();
  scan::ScanWorker worker(service().store(), clock, options);
  int jobs = 0;
  for (;;) {
    auto ran = worker.run_once();
    EXPECT_TRUE(ran.has_value()) << ran.error().to_string();
    if (!ran.has_value() || !*ran) {
      return jobs;
    }
    ++jobs;
  }
}

}  // namespace clearcut::apitest
