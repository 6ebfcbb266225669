"""Duplicates and organised campaigns: grouped, counted, never dropped.

- Exact duplicates: the same match key (normalised text without blanks and punctuation).
- Near-duplicates: Jaccard similarity of character shingles (``shingle_size``-grams of the
  match key) of at least ``near_duplicate_threshold``, estimated by MinHash and found by
  locality-sensitive hashing (bands of the signature as blocking keys), so the cost grows
  with the number of opinions, not with its square; a candidate whose MinHash estimate is
  near the threshold is then verified exactly.
- Organised campaigns (組織的な意見): paraphrases of one template. Two opinions are *close*
  when the Jaccard similarity of their sets of content words reaches ``campaign_similarity``
  (again MinHash + LSH). An opinion with at least ``campaign_min_terms`` distinct content words
  and at least ``campaign_min_neighbours`` close opinions can be a template; the template with
  the most close opinions and the opinions close to it (not yet in a campaign) form a campaign
  when they are at least ``campaign_min_size``; then the next template. Exact copies count as
  close opinions of each other.

Everything is deterministic for a given seed (the MinHash permutations are drawn from it).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from keikaku.analysis.domain.model import AnalysisConfig, Campaign, DuplicateGroup

__all__ = [
    "DuplicateAnalysis",
    "UnionFind",
    "estimated_jaccard",
    "exact_jaccard",
    "find_duplicates",
    "lsh_pairs",
    "minhash_signatures",
    "shingle_hashes",
    "term_hashes",
]

U64 = NDArray[np.uint64]
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_NEAR_BANDS, _NEAR_ROWS = 20, 5  # P(candidate | J=0.7) = 0.975, P(candidate | J=0.3) = 0.05
_CAMP_BANDS, _CAMP_ROWS = 20, 4  # P(candidate | J=0.7) = 0.996, P(candidate | J=0.5) = 0.73


def _mix(x: U64) -> U64:
    """splitmix64 finaliser (vectorised; uint64 arithmetic wraps around)."""
    with np.errstate(over="ignore"):
        z = x + _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
        out: U64 = z ^ (z >> np.uint64(31))
    return out


def shingle_hashes(keys: Sequence[str], k: int) -> tuple[U64, NDArray[np.int64]]:
    """64-bit hashes of the character k-grams of each key, flattened, with row offsets.

    A non-empty key shorter than k is one shingle (the whole key)."""
    lengths = np.fromiter((len(s) for s in keys), dtype=np.int64, count=len(keys))
    total = int(lengths.sum())
    offsets = np.zeros(len(keys) + 1, dtype=np.int64)
    if total == 0:
        return np.zeros(0, dtype=np.uint64), offsets
    cps = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    ends = starts + lengths
    n_pos = max(total - k + 1, 0)
    hashes = np.zeros(n_pos, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            hashes = hashes * np.uint64(1_000_003) + cps[j : j + n_pos]
    doc_of_pos = np.repeat(np.arange(len(keys)), lengths)[:n_pos]
    valid = np.arange(n_pos) + k <= ends[doc_of_pos]
    per_doc = np.maximum(lengths - k + 1, 0)
    short = np.flatnonzero((lengths > 0) & (lengths < k))
    flat = hashes[valid]
    if short.size:
        # whole-key shingles of short keys, spliced in at their document's place
        extra = np.zeros(short.size, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for n, d in enumerate(short):
                h = np.uint64(0)
                for c in keys[int(d)]:
                    h = h * np.uint64(1_000_003) + np.uint64(ord(c))
                extra[n] = h
        per_doc[short] = 1
        doc_ids = np.concatenate((doc_of_pos[valid], short))
        order = np.argsort(doc_ids, kind="stable")
        flat = np.concatenate((flat, extra))[order]
    offsets[1:] = np.cumsum(per_doc)
    return _mix(flat), offsets


def term_hashes(documents: Sequence[Sequence[str]]) -> tuple[U64, NDArray[np.int64]]:
    """64-bit hashes of each document's distinct terms (CRC-32 based, stable across runs)."""
    cache: dict[str, int] = {}
    flat: list[int] = []
    offsets = np.zeros(len(documents) + 1, dtype=np.int64)
    for i, doc in enumerate(documents):
        for term in dict.fromkeys(doc):
            h = cache.get(term)
            if h is None:
                h = cache[term] = zlib.crc32(term.encode("utf-8"))
            flat.append(h)
        offsets[i + 1] = len(flat)
    return _mix(np.asarray(flat, dtype=np.uint64)), offsets


def minhash_signatures(
    hashes: U64, offsets: NDArray[np.int64], num_perm: int, seed: int
) -> NDArray[np.uint32]:
    """MinHash signatures (documents × num_perm); an empty document gets all 0xFFFFFFFF."""
    n_docs = offsets.size - 1
    sig = np.full((n_docs, num_perm), np.iinfo(np.uint32).max, dtype=np.uint32)
    nonempty = np.flatnonzero(offsets[1:] > offsets[:-1])
    if nonempty.size == 0:
        return sig
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    starts = offsets[nonempty]
    with np.errstate(over="ignore"):
        for p in range(num_perm):
            v = ((a[p] * hashes + b[p]) >> np.uint64(32)).astype(np.uint32)
            sig[nonempty, p] = np.minimum.reduceat(v, starts)
    return sig


_TRIU: dict[int, tuple[NDArray[np.int64], NDArray[np.int64]]] = {}


def _triu(size: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    pair = _TRIU.get(size)
    if pair is None:
        i, j = np.triu_indices(size, k=1)
        pair = _TRIU[size] = (i.astype(np.int64), j.astype(np.int64))
    return pair


def lsh_pairs(
    signatures: NDArray[np.uint32],
    bands: int,
    rows: int,
    candidates: NDArray[np.bool_],
    bucket_limit: int,
) -> NDArray[np.int64]:
    """Candidate pairs (i < j), unique, sorted: rows sharing one band of the signature.

    A bucket larger than ``bucket_limit`` pairs each member with its first ``bucket_limit``
    members only (in row order), which keeps the work linear for huge groups of copies."""
    idx = np.flatnonzero(candidates)
    n = signatures.shape[0]
    found: list[NDArray[np.int64]] = []
    if idx.size < 2:
        return np.zeros((0, 2), dtype=np.int64)
    for band in range(bands):
        block = signatures[idx, band * rows : (band + 1) * rows].astype(np.uint64)
        key = np.zeros(idx.size, dtype=np.uint64)
        for c in range(rows):
            key = _mix(key ^ block[:, c])
        order = np.lexsort((idx, key))  # by key, then row
        sk = key[order]
        members_sorted = idx[order]
        cut = np.flatnonzero(sk[1:] != sk[:-1]) + 1
        bounds = np.concatenate(([0], cut, [sk.size]))
        sizes = np.diff(bounds)
        starts = bounds[:-1]
        # buckets up to the limit, all buckets of one size at once
        for size in np.unique(sizes[(sizes >= 2) & (sizes <= bucket_limit)]).tolist():
            first = starts[sizes == size]
            groups = members_sorted[first[:, None] + np.arange(size)[None, :]]
            i, j = _triu(size)
            found.append(np.stack((groups[:, i].ravel(), groups[:, j].ravel()), axis=1))
        for g in np.flatnonzero(sizes > bucket_limit).tolist():
            members = members_sorted[bounds[g] : bounds[g + 1]]
            head = members[:bucket_limit]
            hi, hj = _triu(head.size)
            found.append(np.stack((head[hi], head[hj]), axis=1))
            tail = members[bucket_limit:]
            found.append(np.stack((np.repeat(head, tail.size), np.tile(tail, head.size)), axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.concatenate(found).astype(np.int64)
    pairs.sort(axis=1)
    code = np.unique(pairs[:, 0] * n + pairs[:, 1])
    out: NDArray[np.int64] = np.stack((code // n, code % n), axis=1)
    return out


def estimated_jaccard(
    signatures: NDArray[np.uint32], pairs: NDArray[np.int64]
) -> NDArray[np.float64]:
    """MinHash estimate of the Jaccard similarity of each pair (share of equal positions)."""
    out = np.zeros(pairs.shape[0], dtype=np.float64)
    step = max(1, 2_000_000 // max(1, signatures.shape[1]))
    for s in range(0, pairs.shape[0], step):
        p = pairs[s : s + step]
        out[s : s + step] = (signatures[p[:, 0]] == signatures[p[:, 1]]).mean(axis=1)
    return out


def exact_jaccard(
    hashes: U64, offsets: NDArray[np.int64], pairs: NDArray[np.int64]
) -> NDArray[np.float64]:
    """Exact Jaccard similarity of the hash sets of each pair (used to verify candidates)."""
    sets: dict[int, frozenset[int]] = {}
    flat = hashes.tolist()
    bounds = offsets.tolist()
    out = np.zeros(pairs.shape[0], dtype=np.float64)
    for n, (a, b) in enumerate(pairs.tolist()):
        sa = sets.get(a)
        if sa is None:
            sa = sets[a] = frozenset(flat[bounds[a] : bounds[a + 1]])
        sb = sets.get(b)
        if sb is None:
            sb = sets[b] = frozenset(flat[bounds[b] : bounds[b + 1]])
        inter = len(sa & sb)
        union = len(sa) + len(sb) - inter
        out[n] = inter / union if union else 0.0
    return out


class UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                self.parent[rb] = ra
            else:
                self.parent[ra] = rb


@dataclass(frozen=True)
class DuplicateAnalysis:
    groups: tuple[DuplicateGroup, ...]
    campaigns: tuple[Campaign, ...]
    group_of: tuple[str | None, ...]  # per opinion
    campaign_of: tuple[str | None, ...]  # per opinion
    voice_of: tuple[int, ...]  # per opinion: index of its first opinion of the same voice


_ESTIMATE_MARGIN = 0.15  # MinHash estimates this far from a threshold are trusted


def _verified(
    signatures: NDArray[np.uint32],
    hashes: U64,
    offsets: NDArray[np.int64],
    pairs: NDArray[np.int64],
    threshold: float,
) -> NDArray[np.int64]:
    """Candidate pairs whose Jaccard similarity reaches the threshold: the MinHash estimate
    decides when it is more than ``_ESTIMATE_MARGIN`` away from the threshold (4 standard
    errors or more), the exact similarity of the two sets otherwise."""
    if pairs.size == 0:
        return pairs
    estimate = estimated_jaccard(signatures, pairs)
    sure = pairs[estimate >= threshold + _ESTIMATE_MARGIN]
    near = pairs[np.abs(estimate - threshold) < _ESTIMATE_MARGIN]
    checked = near[exact_jaccard(hashes, offsets, near) >= threshold]
    both = np.concatenate((sure, checked))
    out: NDArray[np.int64] = both[np.lexsort((both[:, 1], both[:, 0]))]
    return out


def _campaign_stars(
    n_units: int,
    close: NDArray[np.int64],
    multiplicity: NDArray[np.int64],
    eligible: NDArray[np.bool_],
    config: AnalysisConfig,
) -> NDArray[np.int64]:
    """Campaign number of each unit (−1: none).

    The unit with the most close opinions becomes a template; its campaign is itself and its
    close units not yet taken — a star, never a chain, so paraphrases of different templates
    are not merged through intermediate texts. A star lighter than ``campaign_min_size``
    opinions is no campaign. Repeat with the next template."""
    degree = (multiplicity - 1).astype(np.int64)
    if close.size:
        np.add.at(degree, close[:, 0], multiplicity[close[:, 1]])
        np.add.at(degree, close[:, 1], multiplicity[close[:, 0]])
    core = eligible & (degree >= config.campaign_min_neighbours)
    out = np.full(n_units, -1, dtype=np.int64)
    if not core.any():
        return out
    both = np.concatenate((close, close[:, ::-1])) if close.size else close.reshape(0, 2)
    order = np.argsort(both[:, 0], kind="stable")
    src, dst = both[order, 0], both[order, 1]
    starts = np.searchsorted(src, np.arange(n_units + 1))
    taken = np.zeros(n_units, dtype=bool)
    number = 0
    for u in sorted(np.flatnonzero(core).tolist(), key=lambda u: (-int(degree[u]), u)):
        if taken[u]:
            continue
        neighbours = dst[starts[u] : starts[u + 1]]
        members = np.sort(np.concatenate(([u], neighbours[~taken[neighbours]])))
        if int(multiplicity[members].sum()) < config.campaign_min_size:
            continue
        taken[members] = True
        out[members] = number
        number += 1
    return out


def _components(n: int, pairs: NDArray[np.int64]) -> list[int]:
    uf = UnionFind(n)
    for a, b in pairs.tolist():
        uf.union(a, b)
    return [uf.find(i) for i in range(n)]


def find_duplicates(
    ids: Sequence[str],
    keys: Sequence[str],
    terms: Sequence[Sequence[str]],
    config: AnalysisConfig,
) -> DuplicateAnalysis:
    """Duplicate groups and campaigns of opinions given their match keys and content words."""
    n = len(ids)
    # units: distinct match keys, in order of first appearance
    unit_index: dict[str, int] = {}
    unit_of = np.zeros(n, dtype=np.int64)
    first_of_unit: list[int] = []
    for i, key in enumerate(keys):
        u = unit_index.get(key)
        if u is None:
            u = unit_index[key] = len(first_of_unit)
            first_of_unit.append(i)
        unit_of[i] = u
    n_units = len(first_of_unit)
    multiplicity = np.bincount(unit_of, minlength=n_units)
    unit_keys = [keys[i] for i in first_of_unit]

    # near-duplicates between units
    sh, off = shingle_hashes(unit_keys, config.shingle_size)
    sig = minhash_signatures(sh, off, _NEAR_BANDS * _NEAR_ROWS, config.seed)
    has_key = np.asarray([bool(k) for k in unit_keys], dtype=np.bool_)
    pairs = lsh_pairs(sig, _NEAR_BANDS, _NEAR_ROWS, has_key, config.lsh_bucket_limit)
    near = _verified(sig, sh, off, pairs, config.near_duplicate_threshold)
    dup_root = _components(n_units, near)

    # campaigns: close content-word sets between units
    unit_terms = [terms[i] for i in first_of_unit]
    th, toff = term_hashes(unit_terms)
    tsig = minhash_signatures(th, toff, _CAMP_BANDS * _CAMP_ROWS, config.seed + 1)
    distinct = np.diff(toff)
    eligible = distinct >= config.campaign_min_terms
    cpairs = lsh_pairs(tsig, _CAMP_BANDS, _CAMP_ROWS, eligible, config.lsh_bucket_limit)
    close = _verified(tsig, th, toff, cpairs, config.campaign_similarity)
    campaign_units = _campaign_stars(n_units, close, multiplicity, eligible, config)

    # opinions grouped by root, in input order
    dup_members: dict[int, list[int]] = {}
    camp_members: dict[int, list[int]] = {}
    for i in range(n):
        u = int(unit_of[i])
        dup_members.setdefault(dup_root[u], []).append(i)
        if campaign_units[u] >= 0:
            camp_members.setdefault(int(campaign_units[u]), []).append(i)
    group_of: list[str | None] = [None] * n
    groups: list[DuplicateGroup] = []
    for members in sorted(dup_members.values(), key=lambda m: m[0]):
        if len(members) < 2:
            continue
        gid = f"dup-{len(groups) + 1:04d}"
        exact = len({int(unit_of[i]) for i in members}) == 1
        groups.append(DuplicateGroup(gid, tuple(ids[i] for i in members), ids[members[0]], exact))
        for i in members:
            group_of[i] = gid
    campaign_of: list[str | None] = [None] * n
    campaigns: list[Campaign] = []
    for members in sorted(camp_members.values(), key=lambda m: m[0]):
        cid = f"campaign-{len(campaigns) + 1:03d}"
        campaigns.append(Campaign(cid, tuple(ids[i] for i in members), ids[members[0]]))
        for i in members:
            campaign_of[i] = cid

    # voices: a duplicate group or a campaign speaks with one voice
    uf = UnionFind(n)
    for members in dup_members.values():
        for i in members[1:]:
            uf.union(members[0], i)
    for members in camp_members.values():
        for i in members[1:]:
            uf.union(members[0], i)
    voice_of = tuple(uf.find(i) for i in range(n))
    return DuplicateAnalysis(
        tuple(groups), tuple(campaigns), tuple(group_of), tuple(campaign_of), voice_of
    )
