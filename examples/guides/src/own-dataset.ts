// examples/guides/src/own-dataset.ts
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ArrayDataset, BaseDataset, DATASETS, type DataItem, createRunner, defineOptions, z } from '@trainkit/core';
import type { StreamDataset } from '@trainkit/core/data';
import '@trainkit/optim';
import '@trainkit/tasks';
import '@trainkit/hook-logger';

/** 240 points: class 0 near the origin, class 1 on a ring around it (x,y,label per line). */
export const RINGS_CSV = fileURLToPath(new URL('../data/rings.csv', import.meta.url));

interface Point {
  x: number;
  y: number;
  label: number;
}

const parse = (line: string): Point => {
  const [x, y, label] = line.split(',').map(Number);
  return { x, y, label };
};

/** The item every dataset below yields: an NdArray of inputs and a data sample with the label. */
function packPoint(p: Point): DataItem {
  return { inputs: { data: Float32Array.of(p.x, p.y), shape: [2] }, data_samples: { gt_label: p.label } };
}

// 1. Map-style, from a file: the rows are read once; getItem(i) runs the pipeline over row i.
export class CsvPointsDataset extends BaseDataset {
  readonly file: string;
  readonly split: 'train' | 'val';

  constructor(opts: { file: string; split: 'train' | 'val' }) {
    super([(row) => packPoint(row as unknown as Point) as Record<string, unknown>], { classes: ['inner', 'ring'] });
    this.file = opts.file;
    this.split = opts.split;
  }

  protected loadDataList(): Record<string, unknown>[] {
    const rows = fs.readFileSync(this.file, 'utf8').trim().split('\n').slice(1).map(parse);
    // the first 200 rows train, the last 40 validate
    return (this.split === 'train' ? rows.slice(0, 200) : rows.slice(200)) as unknown as Record<string, unknown>[];
  }
}

// registered, a config names it by type (and its options are checked)
DATASETS.register('CsvPointsDataset', CsvPointsDataset, { options: defineOptions({ file: z.string(), split: z.enum(['train', 'val']) }) });

// 2. Map-style, from memory: items built in code.
export function inMemoryPoints(n: number): ArrayDataset {
  const items: DataItem[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const angle = (i * 2.4) % (2 * Math.PI);
    const radius = label === 0 ? 0.9 * ((i * 0.37) % 1) : 1.6 + 0.8 * ((i * 0.61) % 1);
    items.push(packPoint({ x: radius * Math.cos(angle), y: radius * Math.sin(angle), label }));
  }
  return new ArrayDataset(items, { classes: ['inner', 'ring'] });
}

// 3. Streaming, from a file: read line by line on each pass, never held in memory.
export class CsvPointsStream implements StreamDataset {
  readonly file: string;
  /** Samples per pass (the first `length` rows); a stream without it is endless. */
  readonly length: number;

  constructor(file: string, rows: number) {
    this.file = file;
    this.length = rows;
  }

  async *stream(): AsyncIterable<DataItem> {
    const lines = readline.createInterface({ input: fs.createReadStream(this.file), crlfDelay: Number.POSITIVE_INFINITY });
    let seen = -1; // the header
    for await (const line of lines) {
      if (seen >= 0 && line !== '') yield packPoint(parse(line));
      if (++seen === this.length) break;
    }
    lines.close();
  }
}

/** One small classifier run; only the training data differs between the three. */
async function train(workDir: string, trainData: Record<string, unknown>, trainCfg: Record<string, unknown>) {
  const runner = await createRunner({
    work_dir: workDir,
    env_cfg: { backend: 'cpu' },
    randomness: { seed: 0 },
    model: { type: 'LayersClassifier', input_shape: [2], layers: [{ type: 'dense', units: 16, activation: 'relu' }], num_classes: 2 },
    train_dataloader: { batch_size: 20, ...trainData },
    train_cfg: trainCfg,
    optim_wrapper: { optimizer: { type: 'Adam', lr: 0.05 } },
    val_dataloader: { dataset: { type: 'CsvPointsDataset', file: RINGS_CSV, split: 'val' }, batch_size: 40 },
    val_cfg: {},
    val_evaluator: { type: 'Accuracy' },
    default_hooks: { checkpoint: null, logger: { type: 'LoggerHook', interval: 10 } },
  });
  await runner.train();
  const metrics = await runner.val();
  await runner.dispose();
  return metrics['accuracy/top1'] as number;
}

export async function main(workDir = './work_dirs/own-dataset') {
  return {
    fromFile: await train(`${workDir}/file`, { dataset: { type: 'CsvPointsDataset', file: RINGS_CSV, split: 'train' } }, { max_epochs: 5 }),
    fromMemory: await train(`${workDir}/memory`, { dataset: inMemoryPoints(200) }, { max_epochs: 5 }),
    // a stream has no index, so it comes in file order (no shuffling)
    streamed: await train(`${workDir}/stream`, { dataset: new CsvPointsStream(RINGS_CSV, 200) }, { max_epochs: 5 }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await main());
