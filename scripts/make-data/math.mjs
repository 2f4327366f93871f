// Math problems with computed, step-by-step solutions. Each family returns
// { instr, input, answer } where `input` may be '' (Alpaca style).
import { fmt, round } from './rng.mjs';

const sign = (n) => (n < 0 ? `- ${-n}` : `+ ${n}`);
const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));

function linear(r) {
  const a = r.int(2, 12), x = r.int(-15, 25), b = r.int(-30, 40), c = a * x + b;
  const eq = `${a}x ${sign(b)} = ${c}`;
  const [instr, input] = r.chance(0.5) ? ['Solve for x.', eq] : [`Solve ${eq} for x.`, ''];
  return { instr, input, answer: `Subtract ${b} from both sides: ${a}x = ${c - b}.\nDivide both sides by ${a}: x = ${x}.\n\nCheck: ${a} × ${x} ${sign(b)} = ${c}. ✓`.replace(' ✓', r.chance(0.5) ? ' ✓' : '') };
}

function percentOf(r) {
  const p = r.pick([5, 8, 12, 15, 20, 25, 30, 35, 40, 45, 60, 75]), y = r.int(4, 90) * 10;
  const v = round((p * y) / 100);
  return { instr: `What is ${p}% of ${y}?`, input: '', answer: `${p}% means ${p}/100, so ${p}% of ${y} = ${p} × ${y} / 100 = ${v}.` };
}

function percentChange(r) {
  const old = r.int(20, 400), nw = old + r.int(-old + 5, old);
  if (nw === old) return percentOf(r);
  const pct = round(((nw - old) / old) * 100, 1);
  const dir = nw > old ? 'increase' : 'decrease';
  return { instr: `A price changed from ${old} to ${nw}. What is the percentage change?`, input: '', answer: `Change = ${nw} - ${old} = ${nw - old}.\nPercentage change = ${nw - old} / ${old} × 100 ≈ ${pct}%.\n\nSo that is a ${Math.abs(pct)}% ${dir}.` };
}

function rectangle(r) {
  const w = r.int(3, 40), h = r.int(3, 40);
  return { instr: `A rectangle is ${w} cm wide and ${h} cm long. Find its area and perimeter.`, input: '', answer: `Area = width × length = ${w} × ${h} = ${w * h} cm².\nPerimeter = 2 × (width + length) = 2 × (${w} + ${h}) = ${2 * (w + h)} cm.` };
}

function circle(r) {
  const rad = r.int(2, 30);
  return { instr: `Find the area of a circle with radius ${rad} m. Use π ≈ 3.14159 and round to two decimals.`, input: '', answer: `A = πr² = 3.14159 × ${rad}² = 3.14159 × ${rad * rad} ≈ ${fmt(3.14159 * rad * rad)} m².` };
}

function speed(r) {
  const v = r.int(8, 24) * 5, t = r.pick([1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5]);
  const name = r.pick(['A train', 'A car', 'A bus', 'A delivery van']);
  return { instr: `${name} travels at ${v} km/h for ${t} hours. How far does it go?`, input: '', answer: `Distance = speed × time = ${v} km/h × ${t} h = ${round(v * t, 1)} km.` };
}

function compound(r) {
  const p = r.int(5, 50) * 100, rate = r.pick([2, 3, 4, 5, 6, 7]), n = r.int(2, 10);
  const total = p * (1 + rate / 100) ** n;
  return { instr: `If you invest ${fmt(p, 0)} at ${rate}% interest compounded yearly, how much will you have after ${n} years?`, input: '', answer: `Use A = P(1 + r)^n.\nA = ${fmt(p, 0)} × (1 + ${rate / 100})^${n} = ${fmt(p, 0)} × ${(1 + rate / 100) ** n === 1 ? 1 : round((1 + rate / 100) ** n, 4)} ≈ ${fmt(total)}.\n\nYou would have about ${fmt(total)}, of which ${fmt(total - p)} is interest.` };
}

function derivative(r) {
  const terms = Array.from({ length: r.int(2, 4) }, () => [r.int(1, 9) * (r.chance(0.3) ? -1 : 1), r.int(0, 5)]);
  const uniq = [...new Map(terms.map((t) => [t[1], t])).values()].sort((a, b) => b[1] - a[1]);
  const term = ([c, e], first) => { const s = c < 0 ? (first ? '-' : '- ') : first ? '' : '+ '; const m = Math.abs(c); return e === 0 ? `${s}${m}` : `${s}${m === 1 ? '' : m}x${e === 1 ? '' : `^${e}`}`; };
  const poly = (ts) => (ts.length ? ts.map((t, i) => term(t, i === 0)).join(' ') : '0');
  const d = uniq.filter(([, e]) => e > 0).map(([c, e]) => [c * e, e - 1]);
  return { instr: 'Differentiate the function with respect to x.', input: `f(x) = ${poly(uniq)}`, answer: `Apply the power rule d/dx(cx^n) = c·n·x^(n-1) to each term; constants vanish.\n\nf'(x) = ${poly(d)}` };
}

function gcdLcm(r) {
  const k = r.int(2, 12), a = k * r.int(2, 15), b = k * r.int(2, 15);
  if (a === b) return linear(r);
  const g = gcd(a, b);
  return { instr: `Find the greatest common divisor and least common multiple of ${a} and ${b}.`, input: '', answer: `Using the Euclidean algorithm, gcd(${a}, ${b}) = ${g}.\nThen lcm = ${a} × ${b} / ${g} = ${(a * b) / g}.` };
}

function system2(r) {
  const x = r.int(-6, 9), y = r.int(-6, 9), a = r.int(1, 5), b = r.int(1, 5), c = r.int(1, 5), d = -r.int(1, 5);
  const co = (k) => (k === 1 ? '' : `${k}`);
  const sTerm = (k) => (k < 0 ? `- ${co(-k)}` : `+ ${co(k)}`);
  const minus = (v) => (v < 0 ? `+ ${-v}` : `- ${v}`);
  const par = (v) => (v < 0 ? `(${v})` : `${v}`);
  const c1 = a * x + b * y, c2 = c * x + d * y;
  const input = `${co(a)}x ${sTerm(b)}y = ${c1}\n${co(c)}x ${sTerm(d)}y = ${c2}`;
  const solveX = a === 1 ? `x = ${c1} ${minus(b * y)} = ${x}` : `${a}x = ${c1} ${minus(b * y)} = ${a * x}, so x = ${x}`;
  return { instr: 'Solve the system of equations.', input, answer: `Eliminate x: multiply the first equation by ${c} and the second by ${a}, then subtract. This gives (${b * c} - ${par(a * d)})y = ${c * c1} - ${par(a * c2)}, so ${b * c - a * d}y = ${(b * c - a * d) * y} and y = ${y}.\nSubstitute y = ${y} into the first equation: ${solveX}.\n\nSolution: x = ${x}, y = ${y}.` };
}

function dice(r) {
  const s = r.int(2, 12);
  const ways = Array.from({ length: 6 }, (_, i) => i + 1).flatMap((i) => [1, 2, 3, 4, 5, 6].map((j) => i + j)).filter((t) => t === s).length;
  const g = gcd(ways, 36);
  return { instr: `Two fair six-sided dice are rolled. What is the probability that the sum is ${s}?`, input: '', answer: `There are 36 equally likely outcomes. ${ways} of them sum to ${s}, so the probability is ${ways}/36${g > 1 ? ` = ${ways / g}/${36 / g}` : ''} ≈ ${round(ways / 36, 4)}.` };
}

function mean(r) {
  const xs = Array.from({ length: r.int(4, 8) }, () => r.int(1, 99));
  const sum = xs.reduce((s, v) => s + v, 0);
  return { instr: 'Find the mean of these numbers.', input: xs.join(', '), answer: `Sum = ${xs.join(' + ')} = ${sum}.\nThere are ${xs.length} numbers, so the mean is ${sum} / ${xs.length} = ${round(sum / xs.length, 2)}.` };
}

const FAMILIES = [linear, percentOf, percentChange, rectangle, circle, speed, compound, derivative, gcdLcm, system2, dice, mean];
export const MATH_SYSTEMS = ['You are a patient math tutor. Show each step.', 'You are a helpful assistant that solves math problems step by step.', 'Solve the problem and explain your reasoning briefly.'];
export const mathProblem = (r) => r.pick(FAMILIES)(r);
export const userText = (p) => (p.input ? `${p.instr}\n\n${p.input}` : p.instr);
