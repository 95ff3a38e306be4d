#!/usr/bin/python3
"""Reference figures for the README on the example's split (every 5th row, from row 4, is the
test set): predicting the training mean, and scikit-learn's ordinary least squares.

Run: /usr/bin/python3 scripts/reference.py
"""
import os

import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.metrics import mean_absolute_error, mean_squared_error

data = np.loadtxt(os.path.join(os.path.dirname(__file__), '..', 'data', 'diabetes.csv'), delimiter=',', skiprows=1)
test = np.arange(len(data)) % 5 == 4
x, y = data[:, :10], data[:, 10]
mean = np.full(test.sum(), y[~test].mean())
ols = LinearRegression().fit(x[~test], y[~test]).predict(x[test])
for name, pred in [('training mean', mean), ('least squares (scikit-learn)', ols)]:
    print(f'{name:30s} MAE {mean_absolute_error(y[test], pred):6.2f}  RMSE {np.sqrt(mean_squared_error(y[test], pred)):6.2f}')
