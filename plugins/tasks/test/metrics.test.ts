import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Accuracy, ConfusionMatrix, MAE, MSE, RMSE, ROCAUC, SingleLabelMetric, drawConfusionMatrix } from '../src/index.js';
import { type DataSample, Evaluator, LocalVisBackend, METRICS, Visualizer } from '@trainkit/core';

// inputs and scikit-learn's values, written by tools/metric-references/make-metric-cases.py
const cases = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'fixtures/metric-cases.json'), 'utf8'));

interface ClassCase {
  name: string;
  num_classes: number;
  gt: number[];
  scores: Array<Array<number | null>>;
  prf: Record<'macro' | 'micro' | 'classwise', Record<string, number | number[]>>;
  confusion: number[][];
  auc_classwise: number[];
  auc_macro: number;
  auc_sklearn_ovr_macro?: number;
}

const samplesOf = (c: ClassCase): DataSample[] =>
  c.gt.map((gt, i) => ({ gt_label: gt, pred_score: Float32Array.from(c.scores[i].map((v) => (v === null ? Number.NaN : v))) }));

/** Feeds the samples in batches of 5, as an eval loop does, and evaluates. */
function run(metric: { process: Evaluator['metrics'][0]['process'] } & Evaluator['metrics'][0], samples: DataSample[]): Record<string, unknown> {
  for (let i = 0; i < samples.length; i += 5) metric.process({ inputs: null }, samples.slice(i, i + 5));
  return metric.evaluate(samples.length);
}

const close = (a: unknown, b: number | number[]) => {
  if (Array.isArray(b)) {
    for (const [i, v] of b.entries()) expect((a as number[])[i]).toBeCloseTo(v, 9);
  } else expect(a as number).toBeCloseTo(b, 9);
};

describe('classification metrics equal scikit-learn', () => {
  for (const c of cases.classification as ClassCase[]) {
    it(`precision, recall, F1 (macro, micro, per class): ${c.name}`, () => {
      const macro = run(new SingleLabelMetric(), samplesOf(c));
      for (const item of ['precision', 'recall', 'f1-score']) close(macro[`single-label/${item}`], c.prf.macro[item] as number);
      const micro = run(new SingleLabelMetric({ average: 'micro' }), samplesOf(c));
      for (const item of ['precision', 'recall', 'f1-score']) close(micro[`single-label/${item}`], c.prf.micro[item] as number);
      const perClass = run(new SingleLabelMetric({ average: null, num_classes: c.num_classes }), samplesOf(c));
      for (const item of ['precision', 'recall', 'f1-score']) close(perClass[`single-label/${item}_classwise`], c.prf.classwise[item] as number[]);
    });

    it(`confusion matrix: ${c.name}`, () => {
      const out = run(new ConfusionMatrix({ num_classes: c.num_classes }), samplesOf(c));
      expect(out['confusion_matrix/result']).toEqual(c.confusion);
      expect(out['confusion_matrix/unscored']).toBe(c.scores.filter((r) => r.includes(null)).length);
    });

    it(`ROC-AUC one-vs-rest (macro and per class): ${c.name}`, () => {
      close(run(new ROCAUC(), samplesOf(c))['roc_auc/auc'], c.auc_macro);
      close(run(new ROCAUC({ average: null }), samplesOf(c))['roc_auc/auc_classwise'], c.auc_classwise);
      if (c.auc_sklearn_ovr_macro !== undefined) close(c.auc_macro, c.auc_sklearn_ovr_macro);
    });
  }

  it('a NaN score is a wrong prediction: recall drops, no class gains a false positive', () => {
    const c = cases.classification[1] as ClassCase;
    const rows = c.scores.flatMap((r, i) => (r.includes(null) ? [i] : []));
    expect(rows.length).toBe(2);
    const out = run(new SingleLabelMetric({ average: 'micro' }), samplesOf(c));
    // micro recall is accuracy with NaN rows wrong; micro precision leaves them out
    const right = c.gt.filter((g, i) => !rows.includes(i) && c.scores[i].indexOf(Math.max(...(c.scores[i] as number[]))) === g).length;
    close(out['single-label/recall'], (100 * right) / c.gt.length);
    close(out['single-label/precision'], (100 * right) / (c.gt.length - rows.length));
  });

  for (const b of cases.binary as Array<{ name: string; gt: number[]; scores: number[][]; auc: number }>) {
    it(`binary ROC-AUC: ${b.name}`, () => {
      const samples = b.gt.map((gt, i) => ({ gt_label: gt, pred_score: b.scores[i] }));
      close(run(new ROCAUC(), samples)['roc_auc/auc'], b.auc);
    });
  }

  it('ROC-AUC leaves out a class with no positives instead of failing', () => {
    const samples = [0, 1, 0, 1].map((gt, i) => ({ gt_label: gt, pred_score: [0.5 - i / 10, 0.3 + i / 10, 0.2] }));
    const out = run(new ROCAUC(), samples);
    const perClass = run(new ROCAUC({ average: null }), samples)['roc_auc/auc_classwise'] as number[];
    expect(Number.isNaN(perClass[2])).toBe(true);
    close(out['roc_auc/auc'], (perClass[0] + perClass[1]) / 2);
  });
});

describe('regression metrics equal scikit-learn', () => {
  for (const r of cases.regression as Array<{ name: string; gt: number[][]; pred: number[][]; mse: number; mae: number; rmse: number }>) {
    it(r.name, () => {
      const width = r.gt[0].length;
      const samples = r.gt.map((gt, i) =>
        width === 1 ? { gt_value: gt[0], pred_value: r.pred[i][0] } : { gt_value: gt, pred_value: Float32Array.from(r.pred[i]) },
      );
      const ev = new Evaluator([new MSE(), new MAE(), new RMSE()]);
      for (let i = 0; i < samples.length; i += 4) ev.process(samples.slice(i, i + 4), { inputs: null });
      const out = ev.evaluate(samples.length);
      // float32 predictions: equal to ~7 significant digits
      expect(out['regression/mse']).toBeCloseTo(r.mse, 5);
      expect(out['regression/mae']).toBeCloseTo(r.mae, 5);
      expect(out['regression/rmse']).toBeCloseTo(r.rmse, 5);
    });
  }

  it('a missing pred_value is an error that says what the model must set', () => {
    expect(() => run(new MSE(), [{ gt_value: 1 }])).toThrow(/sample 0 has gt_value with 1 value\(s\) but pred_value is missing/);
  });

  it('a NaN prediction makes the error NaN rather than hiding it', () => {
    expect(
      Number.isNaN(
        run(new MAE(), [
          { gt_value: 1, pred_value: Number.NaN },
          { gt_value: 1, pred_value: 1 },
        ])['regression/mae'],
      ),
    ).toBe(true);
  });
});

describe('metric registration', () => {
  it('builds every metric from a config and rejects unknown options', () => {
    for (const type of ['MSE', 'MAE', 'RMSE', 'SingleLabelMetric', 'ConfusionMatrix', 'ROCAUC'])
      expect(METRICS.build({ type }, {}, 'val_evaluator')).toBeDefined();
    expect(() => METRICS.build({ type: 'SingleLabelMetric', averag: 'micro' }, {}, 'val_evaluator')).toThrow(/averag/);
    expect(() => METRICS.build({ type: 'SingleLabelMetric', average: 'weighted' }, {}, 'val_evaluator')).toThrow(/average/);
  });
});

describe('confusion matrix image', () => {
  it('is drawn to the vis backends when evaluated in a run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tk-confusion-'));
    const vis = new Visualizer({ vis_backends: [new LocalVisBackend({ save_dir: dir })] });
    const ev = new Evaluator([new ConfusionMatrix({ num_classes: 3 })]);
    ev.setVisualizer(vis, 4);
    ev.process(
      [0, 1, 2, 2].map((gt, i) => ({ gt_label: gt, pred_label: i % 3 })),
      { inputs: null },
    );
    ev.evaluate(4);
    await vis.close();
    const png = fs.readFileSync(path.join(dir, 'vis_image', 'confusion_matrix_4.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shades each cell by its share of the row', () => {
    const img = drawConfusionMatrix([
      [2, 0],
      [1, 1],
    ]);
    expect([img.width, img.height, img.channels]).toEqual([33, 33, 3]);
    const px = (r: number, c: number) => Array.from(img.data.subarray(((r * 16 + 8) * 33 + c * 16 + 8) * 3, ((r * 16 + 8) * 33 + c * 16 + 8) * 3 + 3));
    expect(px(0, 0)).toEqual([8, 48, 107]);
    expect(px(0, 1)).toEqual([255, 255, 255]);
    expect(px(1, 0)).toEqual(px(1, 1));
  });
});

describe('Accuracy with NaN scores', () => {
  it('counts a sample whose scores hold NaN as wrong (NaN never compares greater)', () => {
    const metric = new Accuracy({ topk: [1, 2] });
    metric.process(
      {} as never,
      [
        { gt_label: 1, pred_score: [Number.NaN, Number.NaN, Number.NaN] },
        { gt_label: 0, pred_score: [0.2, Number.NaN, 0.1] },
        { gt_label: 2, pred_score: [0.1, 0.2, 0.7] },
      ] as never,
    );
    const m = metric.computeMetrics(metric.results as never);
    expect(m.top1).toBeCloseTo(100 / 3, 6);
    expect(m.top2).toBeCloseTo(100 / 3, 6);
  });
});
