-- wrk script for bench/api_bench.sh: POST /api/v1/assess with a declaration and a bearer token.
--   CLEARCUT_TOKEN  the API token (required)
--   ASSESS_BODY     a file with the request body (default: the declaration below)
-- The default declaration is examples/second-doll.yaml as a JSON object: a two-stage pipeline
-- (one registry tool, one inline), every section declared, a written_approval outcome.

local token = os.getenv("CLEARCUT_TOKEN")
if token == nil or token == "" then
  error("api_assess.lua: set CLEARCUT_TOKEN")
end

local body = [[
{"declaration": {
  "schema": "clearcut/v1",
  "production": "squid-game-s3",
  "summary": "Second doll beside the first in the red light, green light scene",
  "purpose": "final_asset",
  "media": ["image", "video"],
  "pipeline": [
    {"tool": "imagegen-pro"},
    {"name": "in-house upscaler", "enterprise_agreement": "yes", "trains_on_data": "no",
     "retains_data": "no", "terms_reviewed": "yes"}
  ],
  "inputs": ["script", "production_image"],
  "references": ["none"],
  "training": {"trains_model": "no", "on": [], "rights_cleared": "unsure"},
  "output": {"in_final": "yes", "prominence": "prominent", "story_relevant": "yes",
             "key_creative_element": "yes", "on_screen_element": "none",
             "could_be_mistaken_for_real": "no", "factual_content": "no",
             "human_authored_final": "unsure"},
  "talent": {"likeness": "no", "digital_replica": "none", "replica_use": "none",
             "alteration": "none", "replaces_union_work": "no",
             "performer_model_outside_scope": "no", "consent_documented": "unsure"},
  "principles": {"p1_no_infringement": "yes", "p2_no_training_on_production_data": "yes",
                 "p3_enterprise_environment": "yes", "p4_temporary_not_final": "no",
                 "p5_no_talent_replacement_without_consent": "yes"}
}}
]]

local path = os.getenv("ASSESS_BODY")
if path ~= nil and path ~= "" then
  local file = assert(io.open(path, "rb"))
  body = file:read("*a")
  file:close()
end

wrk.method = "POST"
wrk.path = "/api/v1/assess"
wrk.body = body
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"
