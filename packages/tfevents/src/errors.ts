/** A record whose checksum or framing is wrong: the file is corrupt from `offset` on. */
export class DataLossError extends Error {
  override name = 'DataLossError';
  constructor(
    message: string,
    readonly file: string | undefined,
    readonly offset: number,
  ) {
    super(`${file ? `${file}: ` : ''}${message} at byte ${offset}`);
  }
}
