# The whole REST API from raw request bytes: request reader, router, auth, JSON bodies, services
# and an SQLite database seeded with the demo. Seeds: fuzz/corpus/http_api/.
cc_fuzzer(http_api SRCS fuzz_http_api.cc DEPS clearcut::service clearcut_docs_embedded
          clearcut_policies_embedded nlohmann_json::nlohmann_json)
