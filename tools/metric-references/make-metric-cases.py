#!/usr/bin/env python3
"""Writes plugins/tasks/test/fixtures/metric-cases.json: fixed inputs and scikit-learn's values for
them, which plugins/tasks/test/metrics.test.ts checks the metrics against.

Run (Debian: apt-get install python3-sklearn):  /usr/bin/python3 tools/metric-references/make-metric-cases.py
"""
import json
import math
import os

import numpy as np
import sklearn
from sklearn.metrics import (confusion_matrix, mean_absolute_error, mean_squared_error,
                             precision_recall_fscore_support, roc_auc_score)

rng = np.random.default_rng(20)
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'plugins', 'tasks', 'test', 'fixtures', 'metric-cases.json')


def softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def rounded(a):
    # float32 scores as the metrics will see them (pred_score is a Float32Array)
    return [[float(np.float32(v)) for v in row] for row in a]


def predicted(scores):
    # arg-max, a NaN anywhere makes it no class (-1): the metrics count it as wrong
    return [-1 if any(math.isnan(v) for v in row) else int(np.argmax(row)) for row in scores]


def prf_block(y, p, k):
    out = {}
    for avg in ['macro', 'micro', None]:
        pr, rc, f1, _ = precision_recall_fscore_support(y, p, labels=list(range(k)), average=avg, zero_division=0)
        key = avg or 'classwise'
        out[key] = {'precision': (np.asarray(pr) * 100).tolist(), 'recall': (np.asarray(rc) * 100).tolist(), 'f1-score': (np.asarray(f1) * 100).tolist()}
    return out


def auc_nan_as_wrong(pos, s):
    # the metric's rule for NaN scores, written as finite scores sklearn accepts
    s = np.array([(-1e30 if pos[i] else 1e30) if math.isnan(v) else v for i, v in enumerate(s)])
    return float(roc_auc_score(pos, s))


def classification(name, k, n, nan_rows=(), never_predict=None):
    y = rng.integers(0, k, n)
    logits = rng.normal(size=(n, k)) + 1.5 * np.eye(k)[y]
    if never_predict is not None:
        logits[:, never_predict] -= 10
    scores = rounded(softmax(logits))
    scores[1] = scores[0][:]  # a tie between two samples' scores
    for r in nan_rows:
        scores[r][r % k] = float('nan')
    p = predicted(scores)
    sa = np.array(scores)
    per_class = [auc_nan_as_wrong(y == c, sa[:, c]) for c in range(k)]
    case = {
        'name': name, 'num_classes': k, 'gt': y.tolist(), 'scores': [[None if math.isnan(v) else v for v in row] for row in scores],
        'pred': p, 'prf': prf_block(y, p, k),
        'confusion': confusion_matrix(y, p, labels=list(range(k))).tolist(),
        'auc_classwise': per_class, 'auc_macro': float(np.mean(per_class)),
    }
    if not nan_rows:
        case['auc_sklearn_ovr_macro'] = float(roc_auc_score(y, sa, multi_class='ovr', average='macro', labels=list(range(k))))
    return case


def binary(name, n, one_column):
    y = rng.integers(0, 2, n)
    s = np.round(rng.uniform(size=n) * 0.6 + 0.4 * y, 1)  # rounded: many ties
    scores = [[float(np.float32(v))] if one_column else [float(np.float32(1 - v)), float(np.float32(v))] for v in s]
    pos_col = [row[-1] for row in scores]
    return {'name': name, 'gt': y.tolist(), 'scores': scores, 'auc': float(roc_auc_score(y, pos_col))}


def regression(name, n, width):
    gt = rng.normal(size=(n, width)) * 3
    pred = gt + rng.normal(size=(n, width))
    gt, pred = gt.astype(np.float32).astype(np.float64), pred.astype(np.float32).astype(np.float64)
    raw_mse = mean_squared_error(gt, pred, multioutput='raw_values')
    return {
        'name': name, 'gt': gt.tolist(), 'pred': pred.tolist(),
        'mse': float(mean_squared_error(gt, pred)), 'mae': float(mean_absolute_error(gt, pred)),
        # root_mean_squared_error's uniform average: the root per output, then the mean
        'rmse': float(np.mean(np.sqrt(raw_mse))),
    }


cases = {
    'sklearn_version': sklearn.__version__,
    'classification': [
        classification('4 classes', 4, 24),
        classification('4 classes, class 3 never predicted, two NaN rows', 4, 30, nan_rows=(5, 9), never_predict=3),
        classification('3 classes', 3, 17),
    ],
    'binary': [binary('two score columns with ties', 25, False), binary('one score column with ties', 31, True)],
    'regression': [regression('one output', 20, 1), regression('three outputs', 15, 3)],
}
with open(OUT, 'w') as f:
    json.dump(cases, f, indent=1)
    f.write('\n')
print('wrote', os.path.normpath(OUT))
