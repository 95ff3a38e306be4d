/** The Fashion-MNIST example's own types: the dataset (loaded by the configs via custom_imports). */
import { DATASETS, type z } from '@trainkit/core';
import { FashionMNIST, fashionMnistOptions } from './fashion-mnist-dataset.js';

export { FashionMNIST, FASHION_MNIST_CLASSES, type FashionMnistOptions } from './fashion-mnist-dataset.js';
export { readIdx } from './idx.js';

DATASETS.register('FashionMNIST', FashionMNIST, { options: fashionMnistOptions, from: '@trainkit/example-fashion-mnist', force: true });

declare module '@trainkit/core' {
  interface DatasetOptionsMap {
    FashionMNIST: z.input<typeof fashionMnistOptions>;
  }
}
