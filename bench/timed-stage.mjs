// Self time of each pipeline stage on the main thread, for the bench children: time spent inside the stage's
// next() minus time spent waiting on the stage before it. `timed(stage)` wraps a stage; `self` collects ms by name.
export function stageTimer() {
  const self = {};
  function timed(stage) {
    self[stage.name] = 0;
    return {
      ...stage,
      // A map stage's function, which the runner calls directly when it fuses consecutive map stages (src/run.ts).
      ...(stage.map ? { map(item, ctx) { const a = performance.now(); const r = stage.map(item, ctx); self[stage.name] += performance.now() - a; return r; } } : {}),
      run(input, ctx) {
        let upstream = 0;
        const src = input[Symbol.asyncIterator]();
        const wrapped = { [Symbol.asyncIterator]: () => ({ next: async () => { const a = performance.now(); const r = await src.next(); upstream += performance.now() - a; return r; } }) };
        const it = stage.run(wrapped, ctx)[Symbol.asyncIterator]();
        return { [Symbol.asyncIterator]: () => ({ next: async () => {
          const a = performance.now();
          const up = upstream;
          const r = await it.next();
          self[stage.name] += performance.now() - a - (upstream - up);
          return r;
        } }) };
      },
      async finish() {
        const a = performance.now();
        await stage.finish?.();
        self[`${stage.name} (finish)`] = performance.now() - a;
      },
    };
  }
  return { self, timed };
}
