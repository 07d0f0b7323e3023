"""The benchmark generator makes the sizes it promises (run small here)."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from bench.generate import contract_sizes, generate


def test_contract_sizes_default():
    sizes = contract_sizes(1_000_000, 200)
    assert sizes[0] == 100_000 and len(sizes) == 200 and sum(sizes) == 1_000_000


def test_generate_small(tmp_path):
    url = f"sqlite:///{tmp_path / 'bench.sqlite'}"
    result = generate(url, total=3_000, contracts=5)
    assert result["deelnemers"] == 3_000
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM deelname")).scalar() == 3_000
        assert conn.execute(text("SELECT count(DISTINCT contract_id) FROM deelname")).scalar() == 5
        big = conn.execute(
            text(
                "SELECT count(*) FROM deelname JOIN contract ON contract.id = deelname.contract_id "
                "WHERE contract.nummer = '100000'"
            )
        ).scalar()
        assert big == 300  # a tenth of the total, as 100,000 is of 1,000,000
    engine.dispose()
