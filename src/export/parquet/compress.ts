import { createRequire } from 'node:module';
import { snappyCompress } from 'hyparquet-writer/src/snappy.js';
import type { Compress } from './column-chunk.js';

export type Compression = 'zstd' | 'snappy';

/**
 * zstd level 3: zstd's own default and DuckDB's, and what makes our files about as small as DuckDB's. arrow-rs
 * (parquet-wasm, used before) is fixed at level 1, which left the text columns ~14% larger.
 */
export const ZSTD_LEVEL = 3;

type ZstdModule = { compress(data: Uint8Array, parameters?: { compressionLevel?: number }): Uint8Array };
let zstd: ZstdModule | null = null;

/** zstd-napi is a native addon; load it on first use so that a failed build breaks zstd only, with a clear message. */
function loadZstd(): ZstdModule {
  if (zstd) return zstd;
  try {
    zstd = createRequire(import.meta.url)('zstd-napi') as ZstdModule;
    return zstd;
  } catch (e) {
    throw new Error(
      `zstd compression needs the native module zstd-napi, which did not load (${(e as Error).message.split('\n')[0]}). ` +
        'Install it again with a C++ toolchain present (npm ci, or npm rebuild zstd-napi), or write with --compression snappy.',
    );
  }
}

export function compressor(kind: Compression): { codec: 'ZSTD' | 'SNAPPY'; compress: Compress } {
  if (kind === 'snappy') return { codec: 'SNAPPY', compress: snappyCompress };
  const z = loadZstd();
  return { codec: 'ZSTD', compress: (body) => z.compress(body, { compressionLevel: ZSTD_LEVEL }) };
}
