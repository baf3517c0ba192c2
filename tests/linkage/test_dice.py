"""The matcher's bulk code: the Dice kernel, LSH and token blocking, and clustering, on real
encodings (DESIGN.md rule 2: the matcher sees encodings only)."""

import numpy as np
import pytest

from quipu.linkage.encoding import CLK_BYTES, dice, dice_one_to_many, pack_filters
from quipu.linkage.keys import linkage_key_from_secret
from quipu.linkage.matcher.blocking import (
    NO_KEY,
    band_keys,
    band_layout,
    key_join,
    token_keys,
)
from quipu.linkage.matcher.clusters import cluster_sizes, components
from quipu.linkage.matcher.dice import dice_of_pairs, dice_pairs_above, packed
from quipu.linkage.noisy import noisy_pairs
from quipu.linkage.scoring import encoded_record

SECRET = "quipu test linkage secret, never used in production"
KEY = linkage_key_from_secret(SECRET)
EMPTY = bytes(CLK_BYTES)


@pytest.fixture(scope="module")
def encoded():
    """Real CLKs of noisy cross-border records: (left records, right records, truth rows)."""
    data = noisy_pairs(40, unmatched=20, seed=11)
    left = [encoded_record(r, record_id=r["id"], group="L", key=KEY) for r in data.left]
    right = [encoded_record(r, record_id=r["id"], group="R", key=KEY) for r in data.right]
    index_l = {r.record_id: i for i, r in enumerate(left)}
    index_r = {r.record_id: i for i, r in enumerate(right)}
    truth = {(index_l[a], index_r[b]) for a, b in data.truth}
    return left, right, truth


def clks_of(records) -> list[bytes]:
    return [record.clk for record in records]


def all_pairs(left: list[bytes], right: list[bytes], threshold: float) -> dict:
    """The reference: encoding's Dice of each left CLK against every right one (dice() is
    dice_one_to_many on one candidate; test_reference_is_encoding_dice checks they agree)."""
    candidates = pack_filters(right)
    found = {}
    for i, a in enumerate(left):
        for j, score in enumerate(dice_one_to_many(a, candidates).tolist()):
            if score >= threshold:
                found[(i, j)] = score
    return found


def test_reference_is_encoding_dice(encoded):
    left, right, _ = encoded
    reference = all_pairs(clks_of(left[:20]), clks_of(right[:20]), 0.0)
    assert reference == {
        (i, j): dice(a.clk, b.clk)
        for i, a in enumerate(left[:20])
        for j, b in enumerate(right[:20])
    }


def as_dict(pairs) -> dict:
    rows = zip(pairs.left.tolist(), pairs.right.tolist(), strict=True)
    return dict(zip(rows, pairs.score.tolist(), strict=True))


# --- the Dice kernel ---------------------------------------------------------------------------


@pytest.mark.parametrize("threshold", [0.5, 0.75, 0.8, 0.9, 1.0])
def test_kernel_returns_exactly_the_pairs_and_scores_of_encoding_dice(encoded, threshold):
    left, right, _ = encoded
    # An empty CLK on each side, and a left record repeated on the right (Dice exactly 1).
    clks_l = [*clks_of(left), EMPTY]
    clks_r = [*clks_of(right), EMPTY, left[0].clk]
    expected = all_pairs(clks_l, clks_r, threshold)

    found = as_dict(dice_pairs_above(packed(clks_l), packed(clks_r), threshold))

    assert found == expected  # the same floats, not merely close ones
    assert expected  # the identical pair at least
    assert found[(0, len(clks_r) - 1)] == 1.0


def test_empty_clks_score_zero_and_never_pass_a_threshold(encoded):
    left, _, _ = encoded
    clks = [EMPTY, left[0].clk]
    words = packed(clks)
    assert dice(EMPTY, EMPTY) == 0.0
    scores = dice_of_pairs(words, words, np.array([0, 0, 1]), np.array([0, 1, 0]))
    assert scores.tolist() == [0.0, 0.0, 0.0]
    assert as_dict(dice_pairs_above(words, words, 1e-9)) == {(1, 1): 1.0}


def test_threshold_is_inclusive_at_the_exact_score(encoded):
    left, right, truth = encoded
    i, j = min(truth)
    score = dice(left[i].clk, right[j].clk)
    words_l, words_r = packed([left[i].clk]), packed([right[j].clk])

    assert as_dict(dice_pairs_above(words_l, words_r, score)) == {(0, 0): score}
    assert as_dict(dice_pairs_above(words_l, words_r, np.nextafter(score, 2.0))) == {}


@pytest.mark.parametrize(("chunk_rows", "workers"), [(1, 1), (3, 2), (7, 2), (256, 1)])
def test_chunks_of_any_size_and_threads_find_the_same_pairs(encoded, chunk_rows, workers):
    left, right, _ = encoded
    expected = all_pairs(clks_of(left), clks_of(right), 0.7)
    found = dice_pairs_above(
        packed(clks_of(left)),
        packed(clks_of(right)),
        0.7,
        workers=workers,
        chunk_rows=chunk_rows,
    )
    assert as_dict(found) == expected
    assert list(zip(found.left, found.right, strict=True)) == sorted(expected)  # row order


def test_a_chunk_with_more_pairs_than_its_first_room_runs_again(encoded):
    # At a threshold near 0 every pair with any common bit passes: far more than 16 per row.
    left, right, _ = encoded
    expected = all_pairs(clks_of(left), clks_of(right), 1e-9)
    assert len(expected) > 16 * len(left)
    found = dice_pairs_above(packed(clks_of(left)), packed(clks_of(right)), 1e-9, workers=2)
    assert as_dict(found) == expected


def test_dice_of_candidate_pairs_equals_encoding_dice(encoded):
    left, right, _ = encoded
    rows_l = np.array([i % len(left) for i in range(200)])
    rows_r = np.array([(i * 7) % len(right) for i in range(200)])
    scores = dice_of_pairs(packed(clks_of(left)), packed(clks_of(right)), rows_l, rows_r)
    assert scores.tolist() == [
        dice(left[i].clk, right[j].clk) for i, j in zip(rows_l, rows_r, strict=True)
    ]


def test_kernel_refuses_a_threshold_that_would_return_every_pair(encoded):
    words = packed(clks_of(encoded[0]))
    with pytest.raises(ValueError, match="threshold"):
        dice_pairs_above(words, words, 0.0)
    with pytest.raises(ValueError, match="bytes"):
        packed([b"\x00" * 64])


# --- blocking ----------------------------------------------------------------------------------


def test_lsh_bands_find_a_planted_near_duplicate(encoded):
    left, _, _ = encoded
    row = {"given_name": "María José", "surname": "de la Cruz Pérez", "date_of_birth": "1990-04-12"}
    typo = {**row, "surname": "de la Crus Pérez", "sex": "F"}  # a respelling, and sex now known
    planted = encoded_record(row, record_id="p", group="L", key=KEY).clk
    near = encoded_record(typo, record_id="q", group="R", key=KEY).clk
    assert 0.8 < dice(planted, near) < 1
    clks_l = np.frombuffer(b"".join([*clks_of(left), planted]), np.uint8).reshape(-1, CLK_BYTES)
    clks_r = np.frombuffer(b"".join([*clks_of(left[:40]), near]), np.uint8).reshape(-1, CLK_BYTES)

    layout = band_layout()
    keys_l, keys_r = band_keys(clks_l, layout), band_keys(clks_r, layout)
    meetings = sum(
        ((a == len(clks_l) - 1) & (b == len(clks_r) - 1)).sum()
        for band in range(keys_l.shape[1])
        for a, b in key_join(keys_l[:, band], keys_r[:, band])
    )

    assert meetings >= 1
    # Unrelated people share a band rarely: fewer candidates than a tenth of all pairs.
    candidates = sum(
        len(a)
        for band in range(keys_l.shape[1])
        for a, _ in key_join(keys_l[:, band], keys_r[:, band])
    )
    assert candidates < len(clks_l) * len(clks_r) * keys_l.shape[1] / 10


def test_band_keys_are_the_sampled_bits_and_nothing_else(encoded):
    clk = np.frombuffer(encoded[0][0].clk, np.uint8).reshape(1, CLK_BYTES)
    layout = band_layout(bands=4, bits=20)
    positions = layout.positions()
    assert positions.shape == (4, 20)

    def flipped(position: int) -> np.ndarray:
        copy = clk.copy()
        copy[0, position >> 3] ^= 0x80 >> (position & 7)
        return copy

    base = band_keys(clk, layout, min_popcount=0)[0]
    inside = band_keys(flipped(int(positions[0, 3])), layout, min_popcount=0)[0]
    outside_all = next(p for p in range(1024) if p not in set(positions.reshape(-1).tolist()))
    outside = band_keys(flipped(outside_all), layout, min_popcount=0)[0]
    assert inside[0] != base[0]
    assert (outside == base).all()


def test_near_empty_clks_get_no_band_key():
    clks = np.zeros((2, CLK_BYTES), np.uint8)
    clks[1, :16] = 0xFF  # 128 bits set
    keys = band_keys(clks, band_layout(bands=3))
    assert (keys[0] == NO_KEY).all() and (keys[1] != NO_KEY).all()


def test_key_join_yields_every_equal_key_pair_in_bounded_chunks():
    rng = np.random.default_rng(3)
    left, right = rng.integers(0, 40, 500), rng.integers(0, 40, 400)
    left[:7] = NO_KEY
    right[:3] = NO_KEY
    right[right == 5] = 5  # a common key
    found = []
    for a, b in key_join(left, right, chunk=300):
        assert len(a) <= 300 + int(np.bincount(right[right >= 0]).max())
        found += list(zip(a.tolist(), b.tolist(), strict=True))
    expected = [
        (i, j)
        for i in range(len(left))
        for j in range(len(right))
        if left[i] == right[j] and left[i] != NO_KEY
    ]
    assert sorted(found) == expected

    capped = {key for a, _ in key_join(left, right, max_bucket=25) for key in left[a].tolist()}
    holders = {key: (left == key).sum() + (right == key).sum() for key in range(40)}
    assert capped == {key for key, count in holders.items() if count <= 25} & set(left.tolist())
    assert capped and len(capped) < 40


def test_shared_tokens_meet_and_kinds_never_mix(encoded):
    left, right, _ = encoded
    phone = "phone:" + "ab" * 32
    keys = token_keys([phone, phone, "document:" + "ab" * 32])
    assert keys[0] == keys[1] != keys[2]
    pairs = list(
        key_join(
            token_keys(["email:" + "cd" * 32, phone]),
            token_keys([phone]),
            left_rows=np.array([4, 9]),
            right_rows=np.array([2]),
        )
    )
    assert [(a.tolist(), b.tolist()) for a, b in pairs] == [([9], [2])]


# --- clustering --------------------------------------------------------------------------------


def test_clusters_join_one_person_across_three_countries():
    # Records 0-2 are Venezuela's, 3-5 Colombia's, 6-8 Peru's; one phone links VE 1, CO 4
    # and PE 7, a name links PE 8 to CO 5; VE 0, VE 2, CO 3 and PE 6 stand alone.
    labels = components(9, np.array([1, 4, 8]), np.array([4, 7, 5]))
    assert labels[1] == labels[4] == labels[7] == 1
    assert labels[5] == labels[8] == 5
    assert [labels[node] for node in (0, 2, 3, 6)] == [0, 2, 3, 6]
    assert cluster_sizes(labels).tolist() == [3, 2]


def test_long_chains_and_no_edges_cluster_correctly():
    rng = np.random.default_rng(5)
    order = rng.permutation(1000)
    labels = components(1000, order[:-1], order[1:])  # one chain through every node
    assert (labels == 0).all()
    assert components(4, np.array([]), np.array([])).tolist() == [0, 1, 2, 3]
