import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { chatmill } from '../helpers/cli.js';
import { project } from './helpers.js';

const schema = JSON.parse(readFileSync(new URL('./kubernetes-job.schema.json', import.meta.url), 'utf8'));
const validateJob = new Ajv({ allErrors: true, strict: true, strictTypes: false, strictRequired: false }).compile(schema);
type Job = {
  metadata: { name: string; labels: Record<string, string> };
  spec: Record<string, unknown> & {
    completions: number; parallelism: number; completionMode?: string; backoffLimitPerIndex?: number;
    template: { spec: { restartPolicy: string; activeDeadlineSeconds?: number; containers: Array<Record<string, any>>; volumes: Array<{ name: string; persistentVolumeClaim: { claimName: string } }> } };
  };
};

async function writeManifests(extra: string[] = []) {
  const p = project();
  const r = await chatmill(['launch', p.pipeline, '--executor', 'kubernetes', '--tasks', '6', '--workers', '3', '--dry-run', ...extra], { cwd: p.dir });
  const dir = join(p.runDir, 'kubernetes');
  return { p, r, dir, files: r.code === 0 ? readdirSync(dir).sort() : [] };
}
const load = (dir: string, f: string) => parse(readFileSync(join(dir, f), 'utf8')) as Job;
const errorsOf = (doc: unknown) => (validateJob(doc) ? [] : validateJob.errors!.map((e) => `${e.instancePath} ${e.message}`));

describe('launch --executor kubernetes --dry-run', () => {
  it('writes one Indexed Job per phase (completions N, parallelism K, backoffLimitPerIndex) and a merge Job, valid against the Job schema', async () => {
    const { r, dir, files } = await writeManifests(['--cpus-per-task', '2', '--mem', '8G', '--time', '2:00:00', '--image', 'registry.example/chatmill:1', '--namespace', 'data']);
    expect(r.code, r.stderr).toBe(0);
    expect(files).toEqual(['10-map.yaml', '20-decide.yaml', '30-apply.yaml', '40-merge.yaml', 'apply.sh']);
    const jobs = files.filter((f) => f.endsWith('.yaml')).map((f) => load(dir, f));
    for (const job of jobs) {
      expect(errorsOf(job)).toEqual([]);
      // Every mount names a volume of the pod (the schema cannot say this).
      const pod = job.spec.template.spec;
      for (const m of pod.containers[0].volumeMounts) expect(pod.volumes.map((v) => v.name)).toContain(m.name);
      expect(pod.volumes[0].persistentVolumeClaim.claimName).toBe('chatmill-workspace');
      expect(pod.containers[0].workingDir).toBe('/workspace');
      expect(pod.containers[0].image).toBe('registry.example/chatmill:1');
      expect(pod.containers[0].resources).toEqual({ requests: { cpu: '2', memory: '8Gi' } });
      expect(pod.activeDeadlineSeconds).toBe(7200);
    }
    const [map, decide, apply, merge] = jobs;
    expect([map.spec.completionMode, map.spec.completions, map.spec.parallelism, map.spec.backoffLimitPerIndex]).toEqual(['Indexed', 6, 3, 1]);
    expect([decide.spec.completionMode, decide.spec.completions, decide.spec.parallelism]).toEqual(['Indexed', 1, 1]);
    expect([apply.spec.completions, apply.spec.parallelism]).toEqual([6, 3]);
    expect(map.spec.template.spec.restartPolicy).toBe('Never');
    // The rank comes from JOB_COMPLETION_INDEX (set by Kubernetes); the world size has to be given.
    expect(map.spec.template.spec.containers[0].env).toEqual([{ name: 'CHATMILL_WORLD_SIZE', value: '6' }]);
    expect(decide.spec.template.spec.containers[0].env).toEqual([{ name: 'CHATMILL_WORLD_SIZE', value: '1' }]);
    expect(map.spec.template.spec.containers[0].args).toEqual(['run', 'p.yaml', '--phase', 'map', '--run-dir', 'out/.run']);
    expect(merge.spec.template.spec.containers[0].args).toEqual(['merge', 'out/.run']);
    expect(merge.spec.completionMode).toBeUndefined();
    const apply_sh = readFileSync(join(dir, 'apply.sh'), 'utf8');
    const order = ['10-map', '20-decide', '30-apply', '40-merge'].map((f) => apply_sh.indexOf(`apply -f ${f}.yaml`));
    expect(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]))).toBe(true);
    expect(apply_sh).toContain(`kubectl -n data wait --for=condition=complete --timeout=168h job/${map.metadata.name}`);
  });

  it('the schema is not vacuous: it refuses the mistakes the Job API refuses', async () => {
    const { dir } = await writeManifests();
    const good = load(dir, '10-map.yaml');
    const broken: Array<[string, (j: any) => void, RegExp]> = [
      ['backoffLimitPerIndex with restartPolicy OnFailure', (j) => (j.spec.template.spec.restartPolicy = 'OnFailure'), /restartPolicy/],
      ['backoffLimitPerIndex without Indexed', (j) => delete j.spec.completionMode, /completionMode/],
      ['Indexed without completions', (j) => { delete j.spec.completions; delete j.spec.backoffLimitPerIndex; }, /completions/],
      ['a misspelt field', (j) => (j.spec.completion = 3), /additional properties/],
      ['an upper-case name', (j) => (j.metadata.name = 'Chatmill-Map'), /metadata\/name/],
      ['a restartPolicy Jobs do not allow', (j) => { delete j.spec.backoffLimitPerIndex; j.spec.template.spec.restartPolicy = 'Always'; }, /restartPolicy/],
      ['a bad quantity', (j) => (j.spec.template.spec.containers[0].resources = { requests: { memory: '8 gigs' } }), /memory/],
      ['parallelism above 100000 for Indexed', (j) => (j.spec.parallelism = 100001), /parallelism/],
      ['no containers', (j) => (j.spec.template.spec.containers = []), /containers/],
    ];
    for (const [what, mutate, expected] of broken) {
      const doc = structuredClone(good);
      mutate(doc);
      const errors = errorsOf(doc);
      expect(errors.length, what).toBeGreaterThan(0);
      expect(errors.join('; '), what).toMatch(expected);
    }
  });

  it('without --dry-run, or with a run directory outside the mounted folder, it says why (exit 2)', async () => {
    const p = project();
    const r = await chatmill(['launch', p.pipeline, '--executor', 'kubernetes', '--tasks', '2'], { cwd: p.dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs --dry-run/);
    const outside = await chatmill(['launch', p.pipeline, '--executor', 'kubernetes', '--tasks', '2', '--dry-run', '--run-dir', `${p.dir}-run`], { cwd: p.dir });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/outside the current directory/);
    const badMem = await chatmill(['launch', p.pipeline, '--executor', 'kubernetes', '--tasks', '2', '--dry-run', '--mem', 'lots'], { cwd: p.dir });
    expect(badMem.code).toBe(2);
    expect(badMem.stderr).toMatch(/--mem "lots"/);
  });

  // kubernetes-models (a dev dependency) validates against schemas generated from the Kubernetes OpenAPI spec:
  // field types and required fields, not unknown fields (the hand-written schema above covers those).
  it('the manifests pass kubernetes-models (OpenAPI-generated) Job validation, which refuses a wrongly typed field', async () => {
    const { Job } = (await import('kubernetes-models/batch/v1' as string)) as { Job: new (o: unknown) => { validate(): void } };
    const { dir, files } = await writeManifests(['--mem', '8G']);
    const yamls = files.filter((x) => x.endsWith('.yaml'));
    expect(yamls.length).toBe(4);
    for (const f of yamls) expect(() => new Job(load(dir, f)).validate()).not.toThrow();
    const broken = load(dir, yamls[0]) as { spec: Record<string, unknown> };
    broken.spec.backoffLimitPerIndex = 'one';
    expect(() => new Job(broken).validate()).toThrow();
  });
});
