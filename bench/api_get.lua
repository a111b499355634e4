-- wrk script for bench/api_bench.sh: GET the URL given to wrk with a bearer token.
--   CLEARCUT_TOKEN  the API token (required)

local token = os.getenv("CLEARCUT_TOKEN")
if token == nil or token == "" then
  error("api_get.lua: set CLEARCUT_TOKEN")
end

wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
