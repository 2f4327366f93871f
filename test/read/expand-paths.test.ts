import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputs } from '../../src/read/expand.js';
import { tmp } from './helpers.js';

describe('directory walks follow symlinks, with a loop guard (issue 10, item 7)', () => {
  it('a folder of symlinked files (a Hugging Face cache snapshot) lists the links, by their own names', async () => {
    const root = tmp();
    mkdirSync(join(root, 'blobs'));
    mkdirSync(join(root, 'snapshots/abc/data'), { recursive: true });
    writeFileSync(join(root, 'blobs/0f3a'), '{"a":1}\n'); // blobs have no extension
    writeFileSync(join(root, 'blobs/77b1'), 'PAR1');
    symlinkSync('../../../blobs/0f3a', join(root, 'snapshots/abc/data/train.jsonl'));
    symlinkSync('../../../blobs/77b1', join(root, 'snapshots/abc/data/test.parquet'));
    symlinkSync('../../blobs/0f3a', join(root, 'snapshots/abc/README.md'));
    const snap = join(root, 'snapshots/abc');
    expect(await expandInputs([snap])).toEqual([join(snap, 'data/test.parquet'), join(snap, 'data/train.jsonl')]);
  });

  it('a symlink to a directory is walked; a link back up the tree does not loop; a file reached twice is listed once', async () => {
    const root = tmp();
    mkdirSync(join(root, 'real/sub'), { recursive: true });
    writeFileSync(join(root, 'real/a.jsonl'), '');
    writeFileSync(join(root, 'real/sub/b.json'), '');
    const top = join(root, 'top');
    mkdirSync(top);
    symlinkSync(join(root, 'real'), join(top, 'linked'));
    symlinkSync('..', join(root, 'real/sub/up')); // a loop: real/sub/up -> real
    symlinkSync(join(root, 'real/a.jsonl'), join(top, 'same.jsonl')); // the same file as linked/a.jsonl
    expect(await expandInputs([top])).toEqual([join(top, 'linked/a.jsonl'), join(top, 'linked/sub/b.json')]);
  });

  it('a broken symlink with a data name is a usage error naming it', async () => {
    const dir = tmp();
    symlinkSync(join(dir, 'gone.jsonl'), join(dir, 'x.jsonl'));
    await expect(expandInputs([dir])).rejects.toThrow(/x\.jsonl: it is a broken symlink/);
    await expect(expandInputs([join(dir, 'x.jsonl')])).rejects.toThrow(/x\.jsonl: it is a broken symlink/);
  });
});

describe('a path that is not a regular file is a clear usage error (issue 10, item 12b)', () => {
  it('a FIFO, a socket and /dev/zero are named for what they are, not "no such file"', async () => {
    const dir = tmp();
    const fifo = join(dir, 'pipe.jsonl');
    execFileSync('mkfifo', [fifo]);
    await expect(expandInputs([fifo])).rejects.toThrow(`${fifo} is a FIFO (named pipe), not a regular file`);
    await expect(expandInputs(['/dev/zero'])).rejects.toThrow('/dev/zero is a character device, not a regular file');
    const sock = join(dir, 'sock.jsonl');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      await expect(expandInputs([sock])).rejects.toThrow(`${sock} is a socket, not a regular file`);
      // Inside a directory walk as well.
      await expect(expandInputs([dir])).rejects.toThrow(/is a FIFO \(named pipe\), not a regular file/);
    } finally {
      server.close();
    }
  });
});
