"""Grouping adverts posted by the same operation: a pure function over plain records.

Two adverts are linked when they share a contact (phone, email, handle or image hash: one is
enough) or near-duplicate text. Linked adverts form groups (connected components). Nothing here
touches Django, so the same code can run over an export on a bigger engine.

Near-duplicate text uses MinHash with locality-sensitive hashing, implemented with one
permutation hashing (one pass over the shingles; bands with an empty bin are skipped):

- shingles are word 3-grams with digits masked, hashed with CRC-32 (stable across processes);
- shingles that a large share of all adverts use (site boilerplate, stock phrases) are dropped
  before sketching, from document-frequency counters kept per store (`ShingleCounter`);
- a band key shared by adverts of more than `MAX_POSTERS_PER_BAND` different contact groups is
  treated as boilerplate too and links nobody (stock text is used by many posters, a template
  by one operation).

Grouping is incremental: `assign_groups` takes the new records and the existing adverts'
tokens and group ids, and says which group each new advert joins and which groups merge.
"""

from __future__ import annotations

import zlib
from array import array
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from signpost.adverts.text import encoded_words

SHINGLE_WORDS = 3
BINS = 28
ROWS_PER_BAND = 4
BANDS = BINS // ROWS_PER_BAND
MIN_SHINGLES = 8
MAX_POSTERS_PER_BAND = 20
COUNTER_BITS = 22
COMMON_MIN_ADVERTS = 50
COMMON_FRACTION = 0.03
# Stock phrases are used by a roughly fixed number of adverts, not by a share of the store: as a
# store grows, 3% of it becomes more than any stock phrase reaches, and phrases a few thousand
# posters use linked them (pairwise precision 0.995 at 50,000 generated adverts, 0.97 at
# 200,000, 0.92 at 1,000,000). Capped, a shingle used by more adverts than this is boilerplate.
COMMON_MAX_ADVERTS = 1000
_MASK32 = 0xFFFFFFFF
_MASK64 = (1 << 64) - 1
_EMPTY = 1 << 40

CONTACT_PREFIXES = ("p:", "e:", "h:", "i:")


def shingles(text: str) -> list[int]:
    """The CRC-32 of each three words of the text (`text.words`) joined by a space, UTF-8
    encoded; of all its words when it has fewer. Stored counters and band tokens are made of
    these: the definition cannot change without them."""
    tokens = encoded_words(text)
    if len(tokens) < SHINGLE_WORDS:
        return [zlib.crc32(b" ".join(tokens))] if tokens else []
    # Three words at a time (SHINGLE_WORDS is 3), joined and hashed, all in C iterators: the
    # Python loop this replaced cost a twentieth more; encoding each shingle, a fifth more.
    triples = zip(tokens, tokens[1:], tokens[2:], strict=False)
    return list(set(map(zlib.crc32, map(b" ".join, triples))))


class ShingleCounter:
    """How many adverts use each shingle, in fixed memory (collisions only over-count)."""

    def __init__(self, counts: array | None = None, adverts: int = 0, bits: int = COUNTER_BITS):
        self.counts = counts if counts is not None else array("I", bytes(4 << bits))
        self.adverts = adverts
        self._mask = len(self.counts) - 1

    def add(self, hashes: Iterable[int]) -> None:
        counts, mask = self.counts, self._mask
        for value in hashes:
            slot = value & mask
            if counts[slot] < _MASK32:
                counts[slot] += 1
        self.adverts += 1

    def threshold(self) -> int:
        return max(COMMON_MIN_ADVERTS, min(int(self.adverts * COMMON_FRACTION), COMMON_MAX_ADVERTS))

    def rare(self, hashes: Iterable[int]) -> list[int]:
        counts, mask, limit = self.counts, self._mask, self.threshold()
        return [value for value in hashes if counts[value & mask] < limit]

    def to_bytes(self) -> bytes:
        return zlib.compress(self.counts.tobytes(), 1)

    @classmethod
    def from_bytes(cls, data: bytes, adverts: int, bits: int = COUNTER_BITS) -> ShingleCounter:
        counts = array("I")
        counts.frombytes(zlib.decompress(data))
        if len(counts) != 1 << bits:
            return cls(bits=bits)  # the size changed: start counting again
        return cls(counts, adverts)


def band_tokens(hashes: Sequence[int]) -> list[str]:
    """LSH band keys of the MinHash signature of the (already filtered) shingle hashes."""
    if len(hashes) < MIN_SHINGLES:
        return []
    signature = [_EMPTY] * BINS
    for value in hashes:
        mixed = (value * 0x9E3779B1) & _MASK32
        slot = mixed % BINS
        if mixed < signature[slot]:
            signature[slot] = mixed
    tokens = []
    for band in range(BANDS):
        values = signature[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        if _EMPTY in values:
            # A band with an empty bin says little about the text (short adverts): skip it
            # rather than let a couple of shared words link two posters.
            continue
        key = band
        for value in values:
            key = ((key * 1_000_003) ^ value) & _MASK64
        tokens.append(f"t{band}:{key:x}")
    return tokens


def chunk_band_tokens(
    counter: ShingleCounter, chunk: Sequence[Sequence[int] | bytes]
) -> list[list[str]]:
    """`counter.add` every advert of a chunk, then each advert's `band_tokens(counter.rare(..))`.

    The same results as those calls one advert at a time, computed over the whole chunk with
    numpy: in pure Python the counting and sketching cost as much as a database insert. Each
    advert's hashes are a sequence of ints or packed native uint32 (bytes).
    """
    if all(isinstance(hashes, bytes) for hashes in chunk):
        packed = cast(list[bytes], chunk)
        lengths = np.fromiter((len(h) // 4 for h in packed), dtype=np.int64, count=len(chunk))
        flat = np.frombuffer(b"".join(packed), dtype=np.uint32).astype(np.uint64)
    else:
        lengths = np.fromiter((len(hashes) for hashes in chunk), dtype=np.int64, count=len(chunk))
        flat = np.fromiter(
            (value for hashes in chunk for value in hashes),
            dtype=np.uint64,
            count=int(lengths.sum()),
        )
    counts = np.frombuffer(counter.counts, dtype=np.uint32)
    # Slots as 32-bit integers where they fit (they do at any sensible COUNTER_BITS): sorted in
    # half the time of 64-bit ones.
    slot_type = np.uint32 if counter._mask <= _MASK32 else np.int64
    slots = (flat & np.uint64(counter._mask)).astype(slot_type)
    touched, times = np.unique(slots, return_counts=True)
    # Saturating, as ShingleCounter.add is.
    total = counts[touched].astype(np.uint64) + times.astype(np.uint64)
    counts[touched] = np.minimum(total, _MASK32)
    counter.adverts += len(chunk)
    owner = np.repeat(np.arange(len(chunk)), lengths)
    rare = counts[slots] < counter.threshold()
    flat, owner = flat[rare], owner[rare]
    enough = np.bincount(owner, minlength=len(chunk)) >= MIN_SHINGLES
    mixed = (flat * np.uint64(0x9E3779B1)) & np.uint64(_MASK32)
    cell = owner * BINS + (mixed % np.uint64(BINS)).astype(np.int64)
    signature = np.full(len(chunk) * BINS, _EMPTY, dtype=np.uint64)
    np.minimum.at(signature, cell, mixed)
    bands = signature.reshape(len(chunk), BANDS, ROWS_PER_BAND)
    usable = (bands != np.uint64(_EMPTY)).all(axis=2) & enough[:, None]
    keys = np.broadcast_to(np.arange(BANDS, dtype=np.uint64), (len(chunk), BANDS)).copy()
    with np.errstate(over="ignore"):  # uint64 arithmetic wraps: the `& _MASK64` of band_tokens
        for row in range(ROWS_PER_BAND):
            keys = (keys * np.uint64(1_000_003)) ^ bands[:, :, row]
    tokens: list[list[str]] = []
    for advert_keys, advert_usable in zip(keys.tolist(), usable.tolist(), strict=True):
        tokens.append(
            [f"t{band}:{key:x}" for band, key in enumerate(advert_keys) if advert_usable[band]]
        )
    return tokens


Tokens = str | tuple[str, ...]  # a tuple, or the tokens separated by spaces (as stored)


def _split(tokens: Tokens) -> Sequence[str]:
    return tokens.split() if isinstance(tokens, str) else tokens


@dataclass(frozen=True)
class GroupingRecord:
    """One advert as the grouping sees it: an id and its tokens (contacts and text bands)."""

    key: Hashable
    tokens: Tokens


@dataclass(frozen=True)
class ExistingAdvert:
    key: Hashable
    group: Hashable | None
    tokens: Tokens


@dataclass
class Assignment:
    """Which component each new advert belongs to, and which existing groups it merges."""

    # component id -> new advert keys in it
    new_members: dict[int, list[Hashable]] = field(default_factory=dict)
    # component id -> existing groups in it (to keep the oldest and merge the rest into it)
    existing_groups: dict[int, set[Hashable]] = field(default_factory=dict)
    # component id -> existing adverts without a group that now join one
    existing_singles: dict[int, set[Hashable]] = field(default_factory=dict)
    boilerplate_bands: set[str] = field(default_factory=set)


def is_contact(token: str) -> bool:
    return token.startswith(CONTACT_PREFIXES)


_EXISTING_BATCH = 20_000


def _token_count(tokens: Tokens) -> int:
    if isinstance(tokens, str):
        return tokens.count(" ") + 1 if tokens else 0
    return len(tokens)


def _components(nodes: int, firsts: np.ndarray, others: np.ndarray) -> np.ndarray:
    """The connected component of each of `nodes` nodes, given edges (first, other)."""
    edges = coo_matrix(
        (np.ones(len(firsts), dtype=np.int8), (firsts, others)), shape=(nodes, nodes)
    )
    return cast(np.ndarray, connected_components(edges, directed=False)[1])


def assign_groups(
    new: Sequence[GroupingRecord], existing: Iterable[ExistingAdvert] = ()
) -> Assignment:
    """Link new adverts with each other and with the existing ones that share a token.

    `existing` may be every stored advert: only those sharing a token with a new advert are
    kept, so memory follows the new batch, not the store. A token held by one advert alone
    links nothing, so only tokens seen twice are indexed: the tokens are first counted by
    their (in-process) hash in numpy arrays, which at a million adverts takes a fraction of
    the memory of a dictionary of every token. The links are then arrays of node numbers,
    and scipy finds the components (a union-find in Python took most of the time).
    """
    if not new:
        return Assignment()
    lengths = np.fromiter((_token_count(record.tokens) for record in new), dtype=np.int64)
    new_hashes = np.fromiter(
        (hash(token) for record in new for token in _split(record.tokens)), dtype=np.int64
    )
    if int(lengths.sum()) != len(new_hashes):  # counted by spaces, but split on any run
        raise ValueError("A record's tokens must be separated by single spaces.")
    known, seen = np.unique(new_hashes, return_counts=True)
    # Hashes of tokens that may link: repeated among the new adverts or held by a stored one.
    linking = [known[seen > 1]]
    del seen
    # Existing nodes: ("g", group) for an existing group, ("s", key) for an existing advert
    # that stands alone; each with the tokens it holds that a new advert may hold too.
    existing_nodes: list[tuple[tuple[str, Hashable], Sequence[str]]] = []

    def index_existing(batch: list[ExistingAdvert]) -> None:
        split = [_split(advert.tokens) for advert in batch]
        hashes = np.fromiter((hash(t) for tokens in split for t in tokens), dtype=np.int64)
        if not len(hashes) or not len(known):
            return
        found = known[np.minimum(np.searchsorted(known, hashes), len(known) - 1)] == hashes
        if not found.any():
            return
        linking.append(hashes[found])
        position = 0
        for advert, tokens in zip(batch, split, strict=True):
            hit = found[position : position + len(tokens)]
            position += len(tokens)
            if hit.any():
                node = ("g", advert.group) if advert.group is not None else ("s", advert.key)
                existing_nodes.append((node, [t for t, h in zip(tokens, hit, strict=True) if h]))

    batch: list[ExistingAdvert] = []
    for advert in existing:
        batch.append(advert)
        if len(batch) >= _EXISTING_BATCH:
            index_existing(batch)
            batch = []
    index_existing(batch)
    wanted = np.unique(np.concatenate(linking))
    # Each holding of a linking token: the token's number (strings decide, not hashes) and
    # the holder's node number: new adverts 0..n-1 in order, then existing nodes.
    numbers: dict[str, int] = {}
    held = array("q")
    new_holders = np.empty(0, dtype=np.int64)
    if len(wanted) and len(new_hashes):
        hit = wanted[np.minimum(np.searchsorted(wanted, new_hashes), len(wanted) - 1)] == new_hashes
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
        positions = np.flatnonzero(hit)
        new_holders = np.searchsorted(starts, positions, side="right") - 1
        current, tokens = -1, _split("")
        for position, owner in zip(positions.tolist(), new_holders.tolist(), strict=True):
            if owner != current:
                current = owner
                tokens = _split(new[owner].tokens)
                record_start = int(starts[owner])
            held.append(numbers.setdefault(tokens[position - record_start], len(numbers)))
    del new_hashes
    node_numbers: dict[tuple[str, Hashable], int] = {}
    existing_holders = array("q")
    for node, tokens in existing_nodes:
        for token in tokens:
            if token in numbers:
                held.append(numbers[token])
                existing_holders.append(len(new) + node_numbers.setdefault(node, len(node_numbers)))
    nodes = len(new) + len(node_numbers)
    token_of = np.frombuffer(held, dtype=np.int64)
    holder = np.concatenate((new_holders, np.frombuffer(existing_holders, dtype=np.int64)))
    # Each token links its holders to the first of them.
    order = np.argsort(token_of, kind="stable")
    token_of, holder = token_of[order], holder[order]
    first = holder[np.searchsorted(token_of, token_of)]
    strings = list(numbers)
    contact = np.fromiter((is_contact(token) for token in strings), dtype=bool, count=len(strings))[
        token_of
    ]
    poster = _components(nodes, first[contact], holder[contact])
    # A band held by the adverts of more posters (contact groups) than a template would be is
    # boilerplate, and links nobody.
    band = ~contact
    band_posters = np.unique(token_of[band] * nodes + poster[holder[band]]) // nodes
    boilerplate = np.bincount(band_posters, minlength=len(strings)) > MAX_POSTERS_PER_BAND
    assignment = Assignment()
    assignment.boilerplate_bands = {strings[number] for number in np.flatnonzero(boilerplate)}
    links = ~boilerplate[token_of]
    component = _components(nodes, first[links], holder[links])

    # Components are numbered in the order of their first new advert.
    roots, firsts, of_new = np.unique(component[: len(new)], return_index=True, return_inverse=True)
    rank = np.empty(len(roots), dtype=np.int64)
    rank[np.argsort(firsts)] = np.arange(len(roots))
    for record, number in zip(new, rank[of_new].tolist(), strict=True):
        assignment.new_members.setdefault(number, []).append(record.key)
    number_of_root = dict(zip(roots.tolist(), rank.tolist(), strict=True))
    for (kind, key), index in node_numbers.items():
        number = number_of_root.get(int(component[len(new) + index]))
        if number is None:
            continue
        if kind == "g":
            assignment.existing_groups.setdefault(number, set()).add(key)
        else:
            assignment.existing_singles.setdefault(number, set()).add(key)
    return assignment


@dataclass
class ContactPlan:
    """A chunk's first guess at groups (see `ContactGroups.plan`)."""

    # Each advert's group, in order: a group id, -n for the n-th group to make for this chunk,
    # or None (no contact shared yet).
    groups: list[int | None]
    to_make: int
    # (group, advert key) for adverts of earlier chunks that were alone and join a group now.
    joins: list[tuple[int, Hashable]]


class ContactGroups:
    """First guesses at the groups of an import's new adverts, made chunk by chunk from the
    contacts they share, so that most adverts can be written with their group.

    `assign_groups` decides once every advert is written (it also links by text and with
    stored adverts, and merges). A contact shared is a link it always keeps, so its groups
    hold these guesses whole, at most joined together: an advert whose guess stands is not
    written twice.
    """

    def __init__(self) -> None:
        self.group_of: dict[str, int] = {}  # contact token -> group
        self.alone: dict[str, Hashable] = {}  # contact token -> the one advert holding it
        self.tokens_alone: dict[Hashable, list[str]] = {}  # that advert's contact tokens
        self._to_settle: list[str] = []  # tokens of groups still to make

    def plan(self, contacts: Sequence[Sequence[str]]) -> ContactPlan:
        """Groups for a chunk's new adverts, given their contact tokens in order."""
        groups: list[int | None] = [None] * len(contacts)
        joins: list[tuple[int, Hashable]] = []
        here: dict[str, int] = {}  # contact token -> position of an advert of this chunk alone
        to_make = 0
        for position, tokens in enumerate(contacts):
            group = next((self.group_of[t] for t in tokens if t in self.group_of), None)
            if group is None and any(t in here or t in self.alone for t in tokens):
                to_make += 1
                group = -to_make
            if group is None:
                for token in tokens:
                    here[token] = position
                continue
            groups[position] = group
            # Everything linked to this advert by a contact joins its group, transitively.
            linked = list(tokens)
            while linked:
                token = linked.pop()
                if token not in self.group_of:
                    self.group_of[token] = group
                    if group < 0:
                        self._to_settle.append(token)
                other = here.pop(token, None)
                if other is not None and groups[other] is None:
                    groups[other] = group
                    linked.extend(contacts[other])
                key = self.alone.pop(token, None)
                if key is not None and key in self.tokens_alone:
                    joins.append((group, key))
                    linked.extend(self.tokens_alone.pop(key))
        return ContactPlan(groups, to_make, joins)

    def settle(self, plan: ContactPlan, made: Sequence[int]) -> ContactPlan:
        """The plan with the ids of the groups made for it (in order)."""

        def real(group: int) -> int:
            return made[-group - 1] if group < 0 else group

        for token in self._to_settle:
            self.group_of[token] = real(self.group_of[token])
        self._to_settle = []
        return ContactPlan(
            [None if group is None else real(group) for group in plan.groups],
            0,
            [(real(group), key) for group, key in plan.joins],
        )

    def remember_alone(self, key: Hashable, tokens: Sequence[str]) -> None:
        """An advert written without a group: a later one sharing a contact joins it."""
        if tokens:
            for token in tokens:
                self.alone[token] = key
            self.tokens_alone[key] = list(tokens)


def group_records(records: Sequence[GroupingRecord]) -> dict[Hashable, int | None]:
    """Batch grouping: each record's group number, or None when it stands alone."""
    assignment = assign_groups(records)
    groups: dict[Hashable, int | None] = {}
    number = 0
    for members in assignment.new_members.values():
        if len(members) == 1:
            groups[members[0]] = None
            continue
        for key in members:
            groups[key] = number
        number += 1
    return groups


def pairwise_scores(
    predicted: dict[Hashable, Hashable | None], truth: dict[Hashable, Hashable]
) -> dict[str, float]:
    """Pairwise precision, recall and F1 of "same poster", counted without listing pairs."""

    def pair_count(sizes: Iterable[int]) -> int:
        return sum(size * (size - 1) // 2 for size in sizes)

    predicted_clusters: dict[Hashable, list[Hashable]] = defaultdict(list)
    for key, group in predicted.items():
        predicted_clusters[group if group is not None else ("alone", key)].append(key)
    truth_sizes: dict[Hashable, int] = defaultdict(int)
    for key in predicted:
        truth_sizes[truth[key]] += 1
    both: dict[tuple[Hashable, Hashable], int] = defaultdict(int)
    for cluster, keys in predicted_clusters.items():
        for key in keys:
            both[(cluster, truth[key])] += 1
    true_positive = pair_count(both.values())
    predicted_pairs = pair_count(len(keys) for keys in predicted_clusters.values())
    truth_pairs = pair_count(truth_sizes.values())
    precision = true_positive / predicted_pairs if predicted_pairs else 1.0
    recall = true_positive / truth_pairs if truth_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}
