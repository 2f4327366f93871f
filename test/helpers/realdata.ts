import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** ../shared/realdata beside the repo; tests that read it skip with a message when it is absent. */
export const REALDATA = fileURLToPath(new URL('../../../shared/realdata/', import.meta.url));
export const haveRealdata = existsSync(REALDATA);
if (!haveRealdata) console.warn(`[chatmill tests] ${REALDATA} is absent: tests on real data are skipped`);
export const real = (p: string): string => `${REALDATA}${p}`;
