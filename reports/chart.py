"""The digest's chart: remarks per project, one stacked segment per week (PNG, Agg backend, no display)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt


def weekly_chart(projects: list[str], weeks: list[str], counts: dict[tuple[str, str], int]) -> bytes:
    """counts[(project, week)] -> n; the newest week on top of each bar."""
    fig, ax = plt.subplots(figsize=(7.2, 3.6), dpi=100)
    try:
        bottoms = [0] * len(projects)
        colours = plt.get_cmap("Blues")
        for i, week in enumerate(weeks):
            values = [counts.get((p, week), 0) for p in projects]
            shade = colours(0.35 + 0.6 * (i + 1) / max(len(weeks), 1))
            ax.bar(projects, values, bottom=bottoms, color=shade, label=week, width=0.7)
            bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]
        ax.set_ylabel("liczba uwag")
        ax.set_title("Uwagi według projektów i tygodni", fontsize=11)
        ax.tick_params(axis="x", labelrotation=60, labelsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        if weeks:
            ax.legend(fontsize=7, frameon=False, ncols=min(len(weeks), 5))
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(fig)
