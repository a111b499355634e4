#pragma once

// What the API tests that scan deliveries share: stills to register and cut into a delivery,
// registering them, and running the queued scans with a worker of the test's own process.

#include <filesystem>
#include <vector>

#include "tests/api/api_fixture.h"
#include <nlohmann/json.hpp>

#include "clearcut/media/image.h"

namespace clearcut::apitest {

// A 512x512 RGB still with enough structure to hash (PDQ quality well above 50); each seed
// gives another picture.
media::Image test_still(int seed);

// Writes `bytes` to `path`, making its folders.
void write_file(const std::filesystem::path& path, const std::vector<uint8_t>& bytes);

class DeliveryTest : public ApiTest {
 protected:
  // The partner registers `still` (POST /productions/1/assets) with its PDQ hash and quality
  // and the other `fields` (use case, file name, SHA-256, ...).
  HttpAnswer register_still(const media::Image& still, nlohmann::json fields);
  // Runs every queued job with a worker of this process, as `clearcut serve --scan-root` does;
  // returns how many ran.
  int run_workers();
};

}  // namespace clearcut::apitest
