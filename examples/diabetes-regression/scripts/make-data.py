#!/usr/bin/python3
"""Writes data/diabetes.csv from the copy of the diabetes data set in Debian's python3-sklearn
(BSD-3-Clause, the scikit-learn developers; the data of Efron, Hastie, Johnstone and Tibshirani,
"Least Angle Regression", Annals of Statistics 32(2), 2004). Raw (unscaled) values.

Run: apt-get install python3-sklearn && /usr/bin/python3 scripts/make-data.py
"""
import gzip
import os

SRC = '/usr/lib/python3/dist-packages/sklearn/datasets/data'
OUT = os.path.join(os.path.dirname(__file__), '..', 'data', 'diabetes.csv')

with gzip.open(os.path.join(SRC, 'diabetes_data_raw.csv.gz'), 'rt') as f:
    features = [line.split() for line in f if line.strip()]
with gzip.open(os.path.join(SRC, 'diabetes_target.csv.gz'), 'rt') as f:
    target = [float(line) for line in f if line.strip()]
assert len(features) == len(target) == 442
with open(OUT, 'w') as f:
    f.write('age,sex,bmi,bp,s1,s2,s3,s4,s5,s6,progression\n')
    for row, y in zip(features, target):
        f.write(','.join(row + [str(int(y))]) + '\n')
print('wrote', os.path.normpath(OUT))
