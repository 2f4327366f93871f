// A small benchmark written for chatmill, bundled so the default pipeline's decontaminate stage has something
// to find: grade-school word problems, competition-style math, code prompts and instruction-following prompts,
// in the shapes real sets use (one `question` per item, an `id`). Every item is long enough for 8-gram matching.
export const BENCHMARK_NAME = 'chatmill-minibench';

export const BENCHMARK_ITEMS = [
  ['wp-1', 'A bakery packs muffins in boxes of six. On Saturday it baked 252 muffins and sold all but 18 of them. How many full boxes did it sell?'],
  ['wp-2', 'Marta saves 35 dollars every week for a bicycle that costs 420 dollars. She already has 70 dollars. After how many weeks can she buy the bicycle?'],
  ['wp-3', 'A train leaves at 9:40 and travels 186 kilometres at an average speed of 62 kilometres per hour. At what time does it arrive?'],
  ['wp-4', 'Three friends share a pizza cut into 16 slices. Ivo eats a quarter of it, Lena eats three slices more than Ivo, and Sam eats the rest. How many slices does Sam eat?'],
  ['wp-5', 'A garden is 14 metres long and 9 metres wide. A path one metre wide runs all the way around the inside edge. What is the area of the garden without the path?'],
  ['wp-6', 'A library lends 48 books on Monday, twice as many on Tuesday, and 30 fewer on Wednesday than on Tuesday. How many books did it lend over the three days?'],
  ['m-1', 'Find the number of ordered pairs of positive integers (a, b) such that a + b = 60 and the greatest common divisor of a and b is 6.'],
  ['m-2', 'Let f(x) = 3x^2 - 12x + 7. Find the minimum value of f(x) over all real numbers x, and the value of x at which it occurs.'],
  ['m-3', 'How many positive divisors does 7200 have, and how many of those divisors are perfect squares?'],
  ['m-4', 'A fair six-sided die is rolled four times. What is the probability that the largest number rolled is exactly 5? Express your answer as a common fraction.'],
  ['m-5', 'The sum of an infinite geometric series is 27 and the sum of the squares of its terms is 243. Find the first term of the series.'],
  ['c-1', 'Write a Python function run_length_encode(s) that returns the run-length encoding of the string s, so that "aaabcc" becomes "a3b1c2".'],
  ['c-2', 'Write a Python function is_balanced(text) that returns True when every bracket in text, round, square or curly, is closed in the right order.'],
  ['c-3', 'Write a Python function merge_intervals(intervals) that takes a list of [start, end] pairs and returns the list with every overlapping pair merged.'],
  ['c-4', 'Write a Python function second_largest(numbers) that returns the second largest distinct value in the list, or None when there is no such value.'],
  ['if-1', 'Write a short letter to a neighbour asking them to water your plants for a week. Do not use any commas, and end the letter with the phrase "Thanks again".'],
  ['if-2', 'Describe the water cycle for a ten-year-old in exactly four bullet points. Each bullet point must start with a verb and contain fewer than fifteen words.'],
  ['if-3', 'Write a product description for a folding bicycle in all lowercase letters. The description must mention the weight twice and be under 120 words.'],
  ['if-4', 'Give three tips for learning a new language. Wrap your entire answer in double quotation marks and include the keyword "routine" at least twice.'],
  ['if-5', 'Write a haiku about a lighthouse in winter, then explain its imagery in a second paragraph. Separate the two paragraphs with the markdown divider ***.'],
];

/** The benchmark as JSONL text: `{id, question}` per line. */
export const benchmarkJsonl = () => BENCHMARK_ITEMS.map(([id, question]) => JSON.stringify({ id, question })).join('\n') + '\n';
