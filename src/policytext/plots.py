"""Plots of corpus tables that show Chinese text correctly.

Install with ``pip install 'policytext[notebook]'``. Matplotlib's default
font has no Chinese characters (they show as empty boxes); :func:`use_cjk_font`
finds a CJK font the system has (Noto Sans CJK, Source Han Sans, WenQuanYi,
SimHei, Microsoft YaHei, PingFang …) and makes it the default, or says how to
install one.
"""

from __future__ import annotations

from typing import Any

from policytext.errors import OptionError

__all__ = ["CJK_FONTS", "plot_function_shares", "plot_slogans", "use_cjk_font"]

#: Font families with Chinese characters, in order of preference.
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Noto Serif CJK SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)

INSTALL_HINT = (
    "no font with Chinese characters found for matplotlib; install one, e.g. "
    "Debian/Ubuntu: sudo apt-get install fonts-noto-cjk; Fedora: sudo dnf install "
    "google-noto-sans-cjk-fonts; macOS: brew install --cask font-noto-sans-cjk; "
    "Windows has Microsoft YaHei already. Then clear matplotlib's font cache "
    "(delete ~/.cache/matplotlib) and restart the kernel."
)

#: The colours of the passage functions, as in the HTML view.
COLOURS = {
    "practice": "#3b82f6",
    "outcome": "#22c55e",
    "lesson": "#f59e0b",
    "plan": "#ec4899",
    "other": "#9ca3af",
}


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise OptionError("plots need matplotlib: pip install 'policytext[notebook]'") from None
    return matplotlib


def use_cjk_font() -> str:
    """Make the first CJK font the system has matplotlib's default; return its name."""
    matplotlib = _matplotlib()
    from matplotlib import font_manager

    available = {font.name for font in font_manager.fontManager.ttflist}
    for family in CJK_FONTS:
        if family in available:
            fallback = list(matplotlib.rcParams["font.sans-serif"])
            matplotlib.rcParams["font.sans-serif"] = [family, *fallback]
            matplotlib.rcParams["font.family"] = "sans-serif"
            matplotlib.rcParams["axes.unicode_minus"] = False  # the CJK fonts lack U+2212
            return family
    raise OptionError(INSTALL_HINT)


def _axes(ax: Any, size: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    _matplotlib()
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=size)[1]


def plot_function_shares(shares: Any, ax: Any = None, title: str = "段落功能占比") -> Any:
    """A stacked bar per row of :func:`policytext.frames.function_shares`; returns the axes."""
    use_cjk_font()
    ax = _axes(ax, (10, 4))
    colours = [COLOURS.get(str(c), "#6b7280") for c in shares.columns]
    shares.plot(kind="bar", stacked=True, ax=ax, color=colours, width=0.85)
    ax.set_ylabel("share of characters")
    ax.set_ylim(0, 1)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return ax


def plot_slogans(counts: Any, top: int = 8, ax: Any = None, title: str = "提法出现的文件数") -> Any:
    """Lines of the ``top`` slogans of :func:`policytext.frames.slogan_counts`; returns the axes."""
    use_cjk_font()
    ax = _axes(ax, (10, 4))
    counts.iloc[:, :top].plot(ax=ax, marker="o")
    ax.set_ylabel("documents")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1, 1))
    return ax
