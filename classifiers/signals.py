"""Numeric helpers for the project classifier: segmentation, normalisation, a tiny logistic fit.

Kept apart from ``projects`` so that the decision logic there stays readable; numpy only (no
scikit-learn at run time).
"""

from __future__ import annotations

import re

import numpy as np


def segments(text: str, max_chars: int = 400) -> list[tuple[int, int]]:
    """Character spans of paragraphs / numbered points, long ones cut into sentence groups."""
    spans: list[tuple[int, int]] = []
    for para in re.finditer(r"(?:[^\n]|\n(?![^\S\n]*\n|[^\S\n]*(?:\d+[.)]|[-•*–]|[a-z]\))\s))+", text):
        start = None
        end = para.start()
        for sent in re.finditer(r"[^.!?]+(?:[.!?]+|$)", para.group(0)):
            s, e = para.start() + sent.start(), para.start() + sent.end()
            if start is None:
                start, end = s, e
            elif e - start > max_chars:
                spans.append((start, end))
                start, end = s, e
            else:
                end = e
        if start is not None:
            spans.append((start, end))
    spans = [(s, e) for s, e in spans if len(text[s:e].strip()) >= 25]
    return spans or [(0, len(text))]


def unit(v: np.ndarray) -> np.ndarray:
    return np.asarray(v / max(float(np.linalg.norm(v)), 1e-9))


def logodds(p: np.ndarray) -> np.ndarray:
    q = np.clip(p, 1e-4, 1 - 1e-4)
    return np.asarray(np.log(q / (1 - q)))


def zscore(m: np.ndarray) -> np.ndarray:
    sd = m.std(axis=-1, keepdims=True)
    return np.asarray((m - m.mean(axis=-1, keepdims=True)) / np.where(sd > 0, sd, 1.0))


def logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 25) -> np.ndarray:
    """L2-regularised logistic regression by Newton steps; returns [bias, *weights]."""
    xb = np.hstack([np.ones((len(x), 1)), x])
    beta = np.zeros(xb.shape[1])
    reg = np.eye(xb.shape[1]) * l2
    reg[0, 0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-xb @ beta))
        grad = xb.T @ (p - y) + reg @ beta
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + reg
        beta = beta - np.linalg.solve(hess, grad)
    return beta
