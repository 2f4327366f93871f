/**
 * The LFS half of the stand-in Hub: the batch API and the storage it hands out URLs for.
 * Objects at or above `multipartThreshold` get the Hub's multipart transfer (a completion URL plus one
 * URL per part in `header`, with `chunk_size`); smaller ones get a basic PUT. Every upload is checked:
 * the bytes must hash to the oid and match the announced size, or the object is refused.
 */
import { randomBytes } from 'node:crypto';
import { HubError, sha256Hex, type HubStore } from './stand-in-store.js';

export interface LfsOptions {
  baseUrl: string;
  multipartThreshold: number;
  chunkSize: number;
}

interface Multipart {
  oid: string;
  size: number;
  parts: Map<number, { etag: string; bytes: Buffer }>;
  partCount: number;
}

export class StandInLfs {
  readonly multiparts = new Map<string, Multipart>();
  /** Which transfer each upload used, for assertions. */
  readonly transfers: { oid: string; transfer: 'basic' | 'multipart' }[] = [];
  bytesReceived = 0;

  constructor(
    private readonly store: HubStore,
    private readonly options: LfsOptions,
  ) {}

  batch(body: { operation?: string; objects?: { oid: string; size: number }[] }) {
    if (body.operation !== 'upload' || !Array.isArray(body.objects)) throw new HubError(400, 'bad batch request');
    let anyMultipart = false;
    const objects = body.objects.map(({ oid, size }) => {
      if (!/^[0-9a-f]{64}$/.test(oid)) return { oid, size, error: { code: 422, message: 'invalid oid' } };
      if (this.store.lfs.get(oid)?.length === size) return { oid, size }; // already stored: no action
      if (size >= this.options.multipartThreshold) {
        anyMultipart = true;
        const id = randomBytes(8).toString('hex');
        const partCount = Math.ceil(size / this.options.chunkSize);
        this.multiparts.set(id, { oid, size, parts: new Map(), partCount });
        const header: Record<string, string> = { chunk_size: String(this.options.chunkSize) };
        for (let n = 1; n <= partCount; n++) header[String(n).padStart(5, '0')] = `${this.options.baseUrl}/__lfs/part/${id}/${n}?X-Amz-Signature=stand-in`;
        return { oid, size, actions: { upload: { href: `${this.options.baseUrl}/__lfs/complete/${id}`, header } } };
      }
      return { oid, size, actions: { upload: { href: `${this.options.baseUrl}/__lfs/basic/${oid}/${size}?X-Amz-Signature=stand-in` } } };
    });
    return { transfer: anyMultipart ? 'multipart' : 'basic', objects };
  }

  private accept(options: { oid: string; size: number; bytes: Buffer; transfer: 'basic' | 'multipart' }) {
    if (options.bytes.length !== options.size) throw new HubError(400, `size mismatch: got ${options.bytes.length}, announced ${options.size}`);
    if (sha256Hex(options.bytes) !== options.oid) throw new HubError(400, 'sha256 of the uploaded bytes does not match the oid');
    this.store.lfs.set(options.oid, options.bytes);
    this.transfers.push({ oid: options.oid, transfer: options.transfer });
  }

  putBasic(options: { oid: string; size: number; bytes: Buffer }) {
    this.bytesReceived += options.bytes.length;
    this.accept({ ...options, transfer: 'basic' });
  }

  putPart(options: { id: string; part: number; bytes: Buffer }): string {
    const upload = this.multiparts.get(options.id);
    if (!upload || options.part < 1 || options.part > upload.partCount) throw new HubError(404, 'no such upload part');
    this.bytesReceived += options.bytes.length;
    const etag = `"${sha256Hex(options.bytes).slice(0, 32)}"`;
    upload.parts.set(options.part, { etag, bytes: options.bytes });
    return etag;
  }

  complete(options: { id: string; body: { oid?: string; parts?: { partNumber: number; etag: string }[] } }) {
    const upload = this.multiparts.get(options.id);
    if (!upload || options.body.oid !== upload.oid || !Array.isArray(options.body.parts)) throw new HubError(400, 'bad completion request');
    if (options.body.parts.length !== upload.partCount) throw new HubError(400, 'wrong number of parts');
    const chunks = options.body.parts
      .sort((a, b) => a.partNumber - b.partNumber)
      .map((p) => {
        const stored = upload.parts.get(p.partNumber);
        if (!stored || stored.etag !== p.etag) throw new HubError(400, `part ${p.partNumber}: etag mismatch`);
        return stored.bytes;
      });
    this.accept({ oid: upload.oid, size: upload.size, bytes: Buffer.concat(chunks), transfer: 'multipart' });
    this.multiparts.delete(options.id);
  }
}
