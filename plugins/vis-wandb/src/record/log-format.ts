/**
 * Framing of W&B's `.wandb` transaction log (spec §9.2): a 7-byte file header, then LevelDB-log
 * style chunks in 32 KiB blocks, each chunk `crc32 u32le | length u16le | type u8 | payload`, with
 * the plain (unmasked) IEEE CRC-32 over type byte + payload.
 */
export const FILE_HEADER = Buffer.from([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00]);
export const BLOCK_SIZE = 32768;
export const CHUNK_HEADER_SIZE = 7;
export const CHUNK = { ZERO: 0, FULL: 1, FIRST: 2, MIDDLE: 3, LAST: 4 } as const;
