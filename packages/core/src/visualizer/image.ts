/** An 8-bit image, row-major, channels last (1 = gray, 3 = RGB, 4 = RGBA). */
export interface RawImage {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 1 | 3 | 4;
}

/** Checks that the buffer matches the declared size. */
export function assertImage(image: RawImage, what = 'image'): void {
  const { width, height, channels, data } = image;
  if (!(width > 0 && height > 0) || ![1, 3, 4].includes(channels) || data.length !== width * height * channels) {
    throw new Error(`${what}: expected ${width}x${height}x${channels} = ${width * height * channels} bytes, got ${data?.length}`);
  }
}
