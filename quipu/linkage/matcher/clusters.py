"""Connected components of linked records in bulk (NumPy only, no Python loop per edge).

The bulk counterpart of scoring.clusters: one phone seen in three countries makes one
cluster of three. Records are numbered 0..n-1; each edge joins two of them.
"""

from __future__ import annotations

import numpy as np


def components(nodes: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A label per node, the smallest node number in its component: nodes joined by a chain of
    edges (a[i], b[i]) share a label, and a node with no edge is labelled with itself."""
    labels = np.arange(nodes, dtype=np.int64)
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    if not len(a):
        return labels
    while True:
        # Hook: each edge pulls the root of its larger-labelled end under the smaller label.
        low = np.minimum(labels[a], labels[b])
        np.minimum.at(labels, labels[a], low)
        np.minimum.at(labels, labels[b], low)
        # Jump: point every node at its root, so chains collapse in log steps.
        while True:
            jumped = labels[labels]
            if np.array_equal(jumped, labels):
                break
            labels = jumped
        if np.array_equal(labels[a], labels[b]):
            return labels


def cluster_sizes(labels: np.ndarray) -> np.ndarray:
    """Sizes of the components of two or more records, largest first."""
    sizes = np.bincount(labels)
    return np.sort(sizes[sizes > 1])[::-1]
