/** Progress events `pushDataset` reports, in the order they happen. The CLI turns them into stderr lines. */
export type PushEvent =
  | { type: 'scanned'; files: number; bytes: number }
  | { type: 'created'; repo: string }
  /** The diff: sent once per plan (again after a re-plan). */
  | { type: 'plan'; upload: { path: string; size: number }[]; skip: number; delete: string[]; bytes: number }
  | { type: 'commit'; index: number; total: number; files: number; deletes: number; bytes: number }
  | { type: 'file'; path: string; state: 'hashing' | 'uploading' | 'error'; progress: number }
  | { type: 'committed'; index: number; total: number; oid: string }
  | { type: 'retry'; attempt: number; delayMs: number; reason: string; url: string }
  | { type: 'replan'; reason: string };
