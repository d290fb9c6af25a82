-- wrk script: a fleet of 64 callers, each minting 5 tokens for each of its 10 bots (the
-- default quotas: 5 live tokens a bot, 60 issuances an hour a caller), from one load
-- generator, consecutive requests going to different callers: 3,200 mints.
--   wrk -t2 -c64 -d300s -s bench/fleet.lua <url> -- broker <run-id>
--   wrk -t2 -c64 -d300s -s bench/fleet.lua <url> -- direct <run-id> <admin token>
-- Needs -t2: each thread mints for 32 callers and, after its 1,600 answers, prints
-- "fleet-thread <first request ms> <last answer ms> <answers that were not 201>" (a
-- monotonic clock) and stops. wrk itself waits out -d, so bench/fleet.sh stops it then.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } fleet_timespec;
  int clock_gettime(int clock, fleet_timespec *now);
]]
local function now_ms()
  local t = ffi.new("fleet_timespec")
  ffi.C.clock_gettime(1, t)
  return tonumber(t.tv_sec) * 1000 + tonumber(t.tv_nsec) / 1e6
end

local next_id = 1
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  mode, run, admin = args[1], args[2], args[3]
  sent, answered, refused = 0, 0, 0
end

local function caller_token(n)
  return string.format("gt-fleet%02d%s.%s", n, string.rep("F", 15), string.rep("E", 22))
end

function request()
  if sent == 0 then
    started = now_ms()
  end
  local caller = (id - 1) + 2 * (sent % 32)
  local bot = string.format("bot-fleet-%s-%02d-%d", run, caller, math.floor(sent / 160))
  sent = sent + 1
  if mode == "direct" then
    return wrk.format("POST", "/auth/api/v1/tokens", {["Authorization"] = "bearer " .. admin,
      ["Content-Type"] = "application/json"},
      '{"username": "' .. bot .. '", "token_type": "service", "scopes": ["write:sasquatch"]}')
  end
  return wrk.format("POST", "/service-token-broker/service-tokens", {["Authorization"] = "bearer "
    .. caller_token(caller), ["Content-Type"] = "application/json"}, '{"username": "' .. bot .. '"}')
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 201 then
    refused = refused + 1
  end
  if answered == 1600 then
    io.write(string.format("fleet-thread %.1f %.1f %d\n", started, now_ms(), refused))
    io.flush()
    wrk.thread:stop()
  end
end
