// The fence, as Lua run atomically inside Redis. Entry ids are `0-<last seq of the entry>`, and an entry
// is only added on top of the one its first seq follows, so the owner and a reader that declares the run
// lost can never both write the same seqs: exactly one of them wins, the other learns it from the reply.
import { createHash } from 'node:crypto';

/**
 * Owner append. KEYS: log. ARGV: previous seq (0 for the first entry), new last seq, first seq, frames,
 * lowest seq to keep. Replies 1 (added), 2 (already added: a retry after a lost reply), 0 (fenced: another
 * writer got there first) or -1 (the log is gone, e.g. Redis restarted empty: never restart it midway).
 */
export const APPEND_SCRIPT = `
local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
if top and top[1] == '0-' .. ARGV[2] and top[2][4] == ARGV[4] then return 2 end
if ARGV[1] == '0' then
  if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
else
  if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
  if (not top) or top[1] ~= '0-' .. ARGV[1] then return 0 end
end
redis.call('XADD', KEYS[1], 'MINID', '0-' .. ARGV[5], '0-' .. ARGV[2], 's', ARGV[3], 'f', ARGV[4])
return 1
`;

/**
 * A reader closes a lost run. KEYS: log, meta, owner's instance key. ARGV: the seq the reader saw last,
 * the two frames (error chunk, [DONE]) joined, ttl seconds. Writes only when the owner's lease is gone,
 * the run still says running and nothing was appended since: replies 1 when it wrote, else 0.
 */
export const LOST_SCRIPT = `
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
if redis.call('HGET', KEYS[2], 'state') ~= 'running' then return 0 end
local expected = tonumber(ARGV[1])
local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
if expected == 0 then
  if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
elseif (not top) or top[1] ~= '0-' .. ARGV[1] then
  return 0
end
redis.call('XADD', KEYS[1], '0-' .. string.format('%d', expected + 2), 's', string.format('%d', expected + 1), 'f', ARGV[2])
redis.call('HSET', KEYS[2], 'state', 'lost')
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[3])
return 1
`;

/**
 * The owner closes a log it can no longer keep whole (writes were dropped while Redis was away), so
 * remote readers end instead of waiting. KEYS: log, meta. ARGV: the closing frames joined, ttl seconds.
 * Appends them on top of whatever the log holds unless it already ends with [DONE]; replies 1 or 0.
 */
export const CLOSE_SCRIPT = `
local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)[1]
if not top then return 0 end
if string.sub(top[2][4], -6) == '[DONE]' then return 0 end
local last = tonumber(string.sub(top[1], 3))
redis.call('XADD', KEYS[1], '0-' .. string.format('%d', last + 2), 's', string.format('%d', last + 1), 'f', ARGV[1])
redis.call('HSET', KEYS[2], 'state', 'lost')
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
return 1
`;

/** Stop request. KEYS: meta. ARGV: channel, flow id. Sets the flag and publishes; 0 for an unknown run. */
export const STOP_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'stop', '1')
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
`;

/**
 * The append script's SHA1 for EVALSHA: appends are the hot path, and sending the script's text with
 * each one costs Redis more than running it. The log loads it on every (re)connect.
 */
export const APPEND_SHA: string = createHash('sha1').update(APPEND_SCRIPT).digest('hex');
