"""A per-worker cache of whole answers to a few hot reads, checked against the databases on
every request, so that no worker ever serves an answer older than the last committed write.

Why: a signed-in read costs the worker several milliseconds of CPU (authentication,
authorisation, statements on two databases, serialisation), while the answers people poll
(their team page, its messages, the challenge list, the submissions to review) change far less
often than they are read. docs/architecture.md ("The response cache") gives the design. The
cache is one seam around the app; nothing below the routers knows it exists:

- `expiry`: routes mark themselves `@cached_read`; their answers say until when they hold
  (`expires_at()`), the cache asks the answer.
- `middleware`: only those GET routes are kept, only 200 answers, only for a request that
  carries a cookie, keyed by (the whole Cookie header, path, query): an answer is only ever
  replayed to the same browser session that received it, for the same URL. The session the
  request was answered for (recorded by app.auth.deps on `request.state.session`) bounds the
  entry too.
- `capture`: on a miss every statement the request executes is watched; an entry remembers
  the tables it read (on both databases) and their change counts (`changes`) read *before* the
  request ran.
- `scopes`: a route may declare tables it reads only within the team or challenge its path
  names (`@cached_read(scoped=...)`); its entries then hold that scope's counts for them, so
  writes in other teams or challenges leave them in place.
- `shared`: a route may declare numbers its answer shows every reader alike (a challenge's
  participants, `@cached_read(shared_counts=...)`); its entries are held without the counted
  table's count, and each number is written into the kept body at replay from a per-worker map
  held by that scope's count, read again once per worker when it moved. What the items show
  of the reader's own rows (`enrolled`, `OwnPart`) is checked at replay against those rows
  when only their scopes' counts moved, instead of rebuilding the answer.
- own rows: what an answer reads of its own session in the vault (session, account, roles,
  data key, pseudonyms; statements the vault marks `own_session_rows`) is held by a digest of
  those rows (`Vault.session_digests`), not by the tables' counts, so other people's sign-ins,
  joins and profile edits leave it.
- `store`: before any cacheable request is answered, the worker reads the change counts of
  both databases afresh, in a read that began after the request arrived: a write committed by
  any worker or command before the request was sent is seen, so people always read their own
  writes. Requests arriving while a read is in flight share the next one. Answers are kept in
  memory only; identical bodies are stored once; the total is bounded
  (`CHALLENGE_RESPONSE_CACHE_MB`, 0 turns the cache off), least recently used first out.
- `touch`: replays keep their session's last-seen time current through the vault
  (`Vault.touch_sessions`), in batches.
"""

from app.cache.expiry import Expiring, cached_read, expiry_of, is_cached_read
from app.cache.middleware import ResponseCacheMiddleware
from app.cache.shared import OwnPart, SharedCount, reads_within
from app.cache.store import ResponseCache

__all__ = [
    "Expiring",
    "OwnPart",
    "ResponseCache",
    "ResponseCacheMiddleware",
    "SharedCount",
    "cached_read",
    "expiry_of",
    "is_cached_read",
    "reads_within",
]
