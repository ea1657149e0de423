from __future__ import annotations

from pathlib import Path

import pytest

from policytext import Pipeline, read
from policytext.frames import (
    TABLES,
    enumeration_sizes,
    function_shares,
    slogan_counts,
    to_frames,
    top_figures,
)
from tests.conftest import CORPORA

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def docs() -> list[object]:
    nlp = Pipeline()
    out = []
    for year, path in enumerate(sorted(CORPORA.glob("*.txt")), 2018):
        out.append(nlp(read(path).text, {"id": path.stem, "year": year % 2 + 2020}))
    return out


def test_tables_and_columns(docs: list[object]) -> None:
    frames = to_frames(iter(docs))  # any iterable, read once
    assert set(frames) == set(TABLES)
    for name, columns in TABLES.items():
        assert list(frames[name].columns) == list(columns)
    assert len(frames["documents"]) == len(docs)
    summary = frames["documents"].set_index("doc_id").loc["qingshan_party_summary"]
    assert summary["title"] == "以党建引领推动基层治理提质增效"
    assert summary["date"] == "2023-06-18"


def test_tables_join_by_document(docs: list[object]) -> None:
    frames = to_frames(d.to_dict() for d in docs)  # JSON dicts work too
    joined = frames["slogans"].merge(frames["documents"], on="doc_id")
    assert len(joined) == len(frames["slogans"]) > 0
    assert set(frames["paragraphs"]["doc_id"]) == set(frames["documents"]["doc_id"])
    figures = frames["figures"]
    assert (figures["surface"].str.len() > 0).all()


def test_corpus_views(docs: list[object]) -> None:
    frames = to_frames(docs)
    counts = slogan_counts(frames, by="year", top=1000)
    assert list(counts.index) == [2020, 2021]
    assert counts.to_numpy().sum() == frames["slogans"].drop_duplicates(["doc_id", "text"]).shape[0]
    assert top_figures(frames, top=3)["value"].is_monotonic_decreasing
    assert enumeration_sizes(frames).to_numpy().sum() == len(frames["enumerations"])


def test_function_shares_sum_to_one() -> None:
    frames = {
        "documents": pd.DataFrame({"doc_id": ["a"], "meta": [{}]}),
        "paragraphs": pd.DataFrame(
            {
                "doc_id": ["a", "a", "a"],
                "role": ["body"] * 3,
                "label": ["plan", "plan", "lesson"],
                "start": [0, 10, 20],
                "end": [10, 20, 40],
            }
        ),
    }
    shares = function_shares(frames)
    assert shares.loc["a", "plan"] == pytest.approx(0.5)
    assert shares.loc["a", "lesson"] == pytest.approx(0.5)


def test_plots_use_a_cjk_font(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from policytext.plots import plot_function_shares, use_cjk_font

    font = use_cjk_font()
    shares = pd.DataFrame({"practice": [0.6, 0.2], "plan": [0.4, 0.8]}, index=["报告甲", "报告乙"])
    ax = plot_function_shares(shares)
    ax.figure.savefig(tmp_path / "shares.png")
    assert font in matplotlib.rcParams["font.sans-serif"]
    assert (tmp_path / "shares.png").stat().st_size > 5_000
