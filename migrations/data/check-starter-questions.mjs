#!/usr/bin/env node
// Validates migrations/data/starter-questions.json.
// Usage: node migrations/data/check-starter-questions.mjs [path/to/questions.json]
// Prints a one-line summary on success; prints every violation and exits 1 otherwise.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CATEGORIES = [
  'Science',
  'History',
  'Geography',
  'Literature',
  'Music',
  'Film & TV',
  'Sports',
  'Food & Drink',
  'Art',
  'Technology',
];
const DIFFICULTIES = ['easy', 'medium', 'hard'];
const TYPES = ['multiple', 'boolean'];
const FIELDS = ['category', 'difficulty', 'type', 'text', 'choices', 'answer'];
const BOOLEAN_CHOICES = ['True', 'False'];
const MIN_PER_DIFFICULTY = 8;
const MAX_TEXT = 200;
const MAX_CHOICE = 80;

const file = process.argv[2] ?? fileURLToPath(new URL('./starter-questions.json', import.meta.url));

function fail(messages) {
  for (const m of messages) console.error(`ERROR: ${m}`);
  console.error(`${file}: ${messages.length} problem(s) found`);
  process.exit(1);
}

let data;
try {
  data = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  fail([`cannot read or parse JSON: ${err.message}`]);
}
if (!Array.isArray(data)) fail(['top-level value must be an array']);

const errors = [];
const seenTexts = new Map();
const counts = new Map(CATEGORIES.map((c) => [c, { easy: 0, medium: 0, hard: 0, total: 0 }]));
const byType = { multiple: 0, boolean: 0 };
const isStr = (v) => typeof v === 'string';
// Characters/patterns that suggest HTML entities or markup slipped in.
const MARKUP = /&(?:[a-z]+|#\d+|#x[0-9a-f]+);|<\/?[a-z][^>]*>/i;

function checkString(where, v, max) {
  if (v.trim() === '') errors.push(`${where} is empty`);
  if (v !== v.trim()) errors.push(`${where} has leading/trailing whitespace`);
  if ([...v].length > max) errors.push(`${where} is ${[...v].length} chars (max ${max})`);
  if (MARKUP.test(v)) errors.push(`${where} looks like it contains HTML markup or entities: ${JSON.stringify(v)}`);
}

data.forEach((q, i) => {
  const at = `question #${i}`;
  if (q === null || typeof q !== 'object' || Array.isArray(q)) {
    errors.push(`${at} is not an object`);
    return;
  }
  const label = isStr(q.text) ? `${at} (${JSON.stringify(q.text.slice(0, 50))})` : at;

  for (const f of FIELDS) if (!(f in q)) errors.push(`${label}: missing field "${f}"`);
  for (const f of Object.keys(q)) if (!FIELDS.includes(f)) errors.push(`${label}: unexpected field "${f}"`);

  if (!isStr(q.category)) errors.push(`${label}: "category" must be a string`);
  else if (!CATEGORIES.includes(q.category)) errors.push(`${label}: unknown category ${JSON.stringify(q.category)}`);

  if (!DIFFICULTIES.includes(q.difficulty))
    errors.push(`${label}: "difficulty" must be one of ${DIFFICULTIES.join('/')}, got ${JSON.stringify(q.difficulty)}`);

  if (!TYPES.includes(q.type)) errors.push(`${label}: "type" must be one of ${TYPES.join('/')}, got ${JSON.stringify(q.type)}`);

  if (!isStr(q.text)) errors.push(`${label}: "text" must be a string`);
  else {
    checkString(`${label} text`, q.text, MAX_TEXT);
    const key = q.text.trim().toLowerCase();
    if (seenTexts.has(key)) errors.push(`${label}: duplicate text (same as question #${seenTexts.get(key)})`);
    else seenTexts.set(key, i);
  }

  const choicesOk = Array.isArray(q.choices) && q.choices.every(isStr);
  if (!choicesOk) errors.push(`${label}: "choices" must be an array of strings`);
  else {
    q.choices.forEach((c, j) => checkString(`${label} choice ${j}`, c, MAX_CHOICE));
    if (q.type === 'multiple') {
      if (q.choices.length !== 4) errors.push(`${label}: multiple-choice needs exactly 4 choices, has ${q.choices.length}`);
      const norm = q.choices.map((c) => c.trim().toLowerCase());
      if (new Set(norm).size !== norm.length) errors.push(`${label}: choices are not distinct`);
    } else if (q.type === 'boolean') {
      if (q.choices.length !== 2 || q.choices[0] !== BOOLEAN_CHOICES[0] || q.choices[1] !== BOOLEAN_CHOICES[1])
        errors.push(`${label}: boolean choices must be exactly ["True","False"], got ${JSON.stringify(q.choices)}`);
    }
  }

  if (!Number.isInteger(q.answer)) errors.push(`${label}: "answer" must be an integer, got ${JSON.stringify(q.answer)}`);
  else if (choicesOk && (q.answer < 0 || q.answer >= q.choices.length))
    errors.push(`${label}: "answer" ${q.answer} is out of range 0..${q.choices.length - 1}`);

  if (counts.has(q.category) && DIFFICULTIES.includes(q.difficulty)) {
    const c = counts.get(q.category);
    c[q.difficulty] += 1;
    c.total += 1;
  }
  if (TYPES.includes(q.type)) byType[q.type] += 1;
});

for (const [cat, c] of counts) {
  for (const d of DIFFICULTIES) {
    if (c[d] < MIN_PER_DIFFICULTY)
      errors.push(`category "${cat}" has ${c[d]} ${d} question(s), needs at least ${MIN_PER_DIFFICULTY}`);
  }
}

if (errors.length) fail(errors);

const perCategory = [...counts].map(([cat, c]) => `${cat} ${c.total}`).join(', ');
console.log(
  `OK: ${data.length} questions (${byType.multiple} multiple, ${byType.boolean} boolean); per category: ${perCategory}`,
);
