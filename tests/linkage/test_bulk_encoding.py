"""The speed benchmark's bulk encoder gives encoded_record's encodings bit for bit, so the
million-record run measures the project's real encoding."""

from benchmarks.linkage_speed import SECRET, BulkEncoder
from quipu.linkage.keys import linkage_key_from_secret
from quipu.linkage.noisy import noisy_pairs
from quipu.linkage.scoring import encoded_record


def test_bulk_encoder_equals_encoded_record_on_noisy_rows():
    data = noisy_pairs(60, unmatched=40, seed=5)
    key = linkage_key_from_secret(SECRET)
    encoder = BulkEncoder(SECRET)
    for row in data.left + data.right:
        record = encoded_record(row, record_id=row["id"], group="x", key=key)
        clk, year, sex, tokens = encoder.encode(row)
        assert clk == record.clk, row["id"]
        assert (year or None, sex or None) == (record.birth_year, record.sex)
        assert set(tokens) == record.tokens
    assert any(encoder.encode(row)[3] for row in data.left)  # tokens were compared too
