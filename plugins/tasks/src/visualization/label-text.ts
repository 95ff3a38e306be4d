import type { DataSample } from '@trainkit/core';

export interface LabelTextOptions {
  draw_gt?: boolean;
  draw_pred?: boolean;
  draw_score?: boolean;
  /** Class names by label id; without them only ids (and scores) are written. */
  classes?: readonly string[];
}

const GT_PREFIX = 'Ground truth: ';
const PRED_PREFIX = 'Prediction: ';

/** A label field as a list of ids: single-label samples hold a number, multi-label ones a list. */
function labelIds(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return Array.from(value as ArrayLike<number>, Number);
  return [];
}

function className(id: number, classes: readonly string[] | undefined): string {
  const name = classes?.[id];
  return name === undefined ? '' : ` (${name})`;
}

/**
 * One block of text per annotation, the layout mmpretrain users know: the prefix, then one label
 * per line, continuation lines indented by the prefix's width so the ids line up in a monospace
 * font. A class id outside `classes` is written without a name rather than failing the run.
 */
function block(prefix: string, labels: string[]): string[] {
  const indent = ' '.repeat(prefix.length);
  return labels.map((l, i) => (i === 0 ? prefix : indent) + l);
}

/** The lines drawn for a classification sample: ground truth, then the prediction with its score. */
export function labelText(sample: DataSample | undefined, opts: LabelTextOptions = {}): string[] {
  if (!sample) return [];
  const { draw_gt = true, draw_pred = true, draw_score = true, classes } = opts;
  const lines: string[] = [];
  if (draw_gt && sample.gt_label !== undefined && sample.gt_label !== null) {
    const ids = labelIds(sample.gt_label);
    if (ids.length)
      lines.push(
        ...block(
          GT_PREFIX,
          ids.map((id) => `${id}${className(id, classes)}`),
        ),
      );
  }
  if (draw_pred && sample.pred_label !== undefined && sample.pred_label !== null) {
    const ids = labelIds(sample.pred_label);
    const scores = draw_score ? sample.pred_score : undefined;
    const scoreOf = (id: number) => {
      const s = scores?.[id];
      return typeof s === 'number' && Number.isFinite(s) ? `, ${s.toFixed(2)}` : '';
    };
    if (ids.length)
      lines.push(
        ...block(
          PRED_PREFIX,
          ids.map((id) => `${id}${scoreOf(id)}${className(id, classes)}`),
        ),
      );
  }
  return lines;
}
