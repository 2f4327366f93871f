// Coding conversations: hand-written small functions in Python and JavaScript, plus error explanations.
// Returns exchanges whose assistant side is { reasoning, text } so the parts format can split them.
const TASKS = [
  ['reverses a string', 'reverse_string', 'def reverse_string(s: str) -> str:\n    return s[::-1]', 'function reverseString(s) {\n  return [...s].reverse().join("");\n}', 'Slicing with a step of -1 walks the string backwards; in JavaScript, spreading into an array keeps multi-byte characters intact.'],
  ['checks whether a number is prime', 'is_prime', 'def is_prime(n: int) -> bool:\n    if n < 2:\n        return False\n    i = 2\n    while i * i <= n:\n        if n % i == 0:\n            return False\n        i += 1\n    return True', 'function isPrime(n) {\n  if (n < 2) return false;\n  for (let i = 2; i * i <= n; i++) {\n    if (n % i === 0) return false;\n  }\n  return true;\n}', 'It only tests divisors up to the square root, because any larger factor would pair with a smaller one already tested.'],
  ['counts how often each word appears in a text', 'word_counts', 'from collections import Counter\n\ndef word_counts(text: str) -> dict[str, int]:\n    return dict(Counter(text.lower().split()))', 'function wordCounts(text) {\n  const counts = {};\n  for (const w of text.toLowerCase().split(/\\s+/).filter(Boolean)) {\n    counts[w] = (counts[w] ?? 0) + 1;\n  }\n  return counts;\n}', 'Lower-casing first makes "The" and "the" count as the same word.'],
  ['removes duplicates from a list while keeping the original order', 'dedupe', 'def dedupe(items: list) -> list:\n    seen = set()\n    out = []\n    for x in items:\n        if x not in seen:\n            seen.add(x)\n            out.append(x)\n    return out', 'function dedupe(items) {\n  return [...new Set(items)];\n}', 'A set remembers what has been seen; JavaScript sets preserve insertion order, so the one-liner keeps the first occurrence of each value.'],
  ['computes the nth Fibonacci number iteratively', 'fibonacci', 'def fibonacci(n: int) -> int:\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a', 'function fibonacci(n) {\n  let [a, b] = [0, 1];\n  for (let i = 0; i < n; i++) [a, b] = [b, a + b];\n  return a;\n}', 'The loop keeps only the last two values, so it runs in linear time and constant memory, unlike the naive recursive version.'],
  ['flattens a nested list one level deep', 'flatten', 'def flatten(nested: list[list]) -> list:\n    return [x for sub in nested for x in sub]', 'function flatten(nested) {\n  return nested.flat();\n}', 'The comprehension reads left to right like two nested for-loops.'],
  ['checks whether a string is a palindrome, ignoring case and spaces', 'is_palindrome', 'def is_palindrome(s: str) -> bool:\n    cleaned = "".join(ch.lower() for ch in s if ch.isalnum())\n    return cleaned == cleaned[::-1]', 'function isPalindrome(s) {\n  const cleaned = s.toLowerCase().replace(/[^a-z0-9]/g, "");\n  return cleaned === [...cleaned].reverse().join("");\n}', 'Cleaning first means "A man, a plan, a canal: Panama" is recognised as a palindrome.'],
  ['groups a list of records by a key', 'group_by', 'from collections import defaultdict\n\ndef group_by(records: list[dict], key: str) -> dict:\n    groups = defaultdict(list)\n    for rec in records:\n        groups[rec[key]].append(rec)\n    return dict(groups)', 'function groupBy(records, key) {\n  const groups = {};\n  for (const rec of records) {\n    (groups[rec[key]] ??= []).push(rec);\n  }\n  return groups;\n}', 'Each record is appended to the list for its key, creating the list the first time a key appears.'],
  ['converts Celsius to Fahrenheit', 'celsius_to_fahrenheit', 'def celsius_to_fahrenheit(c: float) -> float:\n    return c * 9 / 5 + 32', 'function celsiusToFahrenheit(c) {\n  return (c * 9) / 5 + 32;\n}', 'The formula scales by 9/5 and shifts by 32, so 100 °C becomes 212 °F.'],
  ['finds the largest number in a list without using max()', 'largest', 'def largest(nums: list[float]) -> float:\n    if not nums:\n        raise ValueError("empty list")\n    best = nums[0]\n    for n in nums[1:]:\n        if n > best:\n            best = n\n    return best', 'function largest(nums) {\n  if (nums.length === 0) throw new Error("empty list");\n  let best = nums[0];\n  for (const n of nums.slice(1)) if (n > best) best = n;\n  return best;\n}', 'Raising on an empty list is better than silently returning a made-up value.'],
  ['validates a simple email address format', 'looks_like_email', 'import re\n\nEMAIL = re.compile(r"^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")\n\ndef looks_like_email(s: str) -> bool:\n    return bool(EMAIL.match(s))', 'const EMAIL = /^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$/;\n\nfunction looksLikeEmail(s) {\n  return EMAIL.test(s);\n}', 'This only checks the rough shape; the only real proof that an address works is sending a confirmation email.'],
  ['chunks a list into pieces of size n', 'chunk', 'def chunk(items: list, n: int) -> list[list]:\n    return [items[i:i + n] for i in range(0, len(items), n)]', 'function chunk(items, n) {\n  const out = [];\n  for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n));\n  return out;\n}', 'The last chunk is shorter when the length is not a multiple of n.'],
];

const ERRORS = [
  ['Python', "TypeError: can only concatenate str (not \"int\") to str", 'You are adding a number to a string, for example "Total: " + 5. Convert the number first with str(5), or use an f-string: f"Total: {total}".'],
  ['Python', 'IndentationError: expected an indented block', 'Python uses indentation to mark blocks. After a line ending in a colon, such as def or if, the next line must be indented, usually by four spaces. Also check you are not mixing tabs and spaces.'],
  ['JavaScript', 'TypeError: Cannot read properties of undefined (reading \'length\')', 'Something you expected to be an array or string is undefined at that point. Check where the value comes from; often an API returned no data or a variable was used before it was assigned. Optional chaining, value?.length, avoids the crash but you should also find out why it is undefined.'],
  ['JavaScript', 'ReferenceError: x is not defined', 'The variable x does not exist in the current scope. It may be misspelled, declared inside another block, or used before its declaration. Declare it with let or const in the scope where you use it.'],
  ['Python', 'KeyError: \'price\'', 'The dictionary has no key called price. Print the keys to see what is there, and use record.get("price") if the key is optional, which returns None instead of raising.'],
  ['Python', 'ModuleNotFoundError: No module named \'requests\'', 'The package is not installed in the Python environment you are running. Install it with python -m pip install requests, making sure you use the same interpreter or virtual environment that runs your script.'],
];

export const CODING_SYSTEMS = ['You are an expert programmer. Give correct, idiomatic code with a brief explanation.', 'You are a senior software engineer helping a colleague.', 'You are a coding assistant. Prefer clear code over clever code.'];

function writeFunction(r) {
  const [what, name, py, js, why] = r.pick(TASKS);
  const lang = r.pick(['Python', 'JavaScript']);
  const code = lang === 'Python' ? py : js;
  const ask = r.pick([`Write a ${lang} function that ${what}.`, `How do I write a function in ${lang} that ${what}?`, `Can you give me ${lang} code that ${what}?`, `I need a ${lang} helper that ${what}. Keep it simple.`]);
  const reasoning = `The user wants a ${lang} function that ${what}. ${why.split('. ')[0].replace(/\.$/, '')}. I will keep it short and readable, then explain the key idea.`;
  const text = `Here is one way to do it:\n\n\`\`\`${lang.toLowerCase()}\n${code}\n\`\`\`\n\n${why}`;
  const exchanges = [[ask, { reasoning, text }]];
  if (r.chance(0.25)) {
    const other = lang === 'Python' ? 'JavaScript' : 'Python';
    exchanges.push([r.pick([`Can you show the same in ${other}?`, `And in ${other}?`]), { reasoning: `Same task, now in ${other}.`, text: `Sure, here is the ${other} version:\n\n\`\`\`${other.toLowerCase()}\n${other === 'Python' ? py : js}\n\`\`\`` }]);
  }
  return { topic: name, exchanges };
}

function explainError(r) {
  const [lang, err, fix] = r.pick(ERRORS);
  const ask = r.pick([`I'm getting this error in ${lang}:\n\n\`\`\`\n${err}\n\`\`\`\n\nWhat does it mean?`, `What causes "${err}"?`, `My ${lang} script fails with ${err}. How do I fix it?`]);
  return { topic: 'debugging', exchanges: [[ask, { reasoning: r.chance(0.6) ? `This is a common ${lang} error; explain the cause and the usual fix.` : '', text: fix }]] };
}

export const codingConversation = (r) => (r.chance(0.75) ? writeFunction(r) : explainError(r));
