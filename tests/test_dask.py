"""The Dask path on a real LocalCluster with two worker processes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from policytext import Pipeline

dask_bag = pytest.importorskip("dask.bag")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("dask.distributed")
pd = pytest.importorskip("pandas")

import policytext.dask as ptd  # noqa: E402

TEXTS = [
    "基本做法\n一是强化组织领导。二是突出实践特色。",
    "主要成效\n全市共举办培训班1100期，培训党员7.5万人次。",
    "下一步打算\n要深入开展“三亮三比三创”活动。",
    "经验启示\n实践证明，必须坚持以人民为中心。",
]


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with distributed.Client(cluster) as client:
        yield client
    cluster.close()


def expected() -> list[str]:
    nlp = Pipeline()
    return [nlp(text).to_json() for text in TEXTS]


def test_bag_gives_the_same_annotations_as_the_library(client: object, tmp_path: Path) -> None:
    bag = dask_bag.from_sequence(TEXTS, npartitions=2)
    paths = ptd.to_jsonl(ptd.annotate_bag(bag), tmp_path / "out")
    assert len(paths) == 2
    written = [line for p in sorted(paths) for line in Path(p).read_text("utf-8").splitlines()]
    assert written == expected()


def test_dataframe_rows_keep_their_metadata(client: object) -> None:
    frame = pd.DataFrame(
        {"text": TEXTS, "doc": ["a", "b", "c", "d"], "year": [2010, 2011, 2012, 2013]}
    )
    docs = ptd.annotate_frame(dd.from_pandas(frame, npartitions=2), id_field="doc").compute()
    metas = [json.loads(d)["meta"] for d in docs]
    assert metas == [
        {"doc": d, "year": y, "id": d} for d, y in zip("abcd", range(2010, 2014), strict=True)
    ]
    assert [json.loads(d)["text"] for d in docs] == TEXTS


def test_missing_text_column_is_named() -> None:
    frame = dd.from_pandas(pd.DataFrame({"body": TEXTS}), npartitions=1)
    with pytest.raises(ValueError, match="no column 'text'"):
        ptd.annotate_frame(frame)
