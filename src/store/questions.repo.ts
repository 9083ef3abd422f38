import type { Difficulty, Question } from '../shared/room';
import type { Db } from './db';

interface QuestionRow {
  id: number;
  category: string;
  difficulty: Difficulty;
  type: Question['type'];
  text: string;
  choices: string[];
  answer: number;
}

const toQuestion = (r: QuestionRow): Question => ({
  id: r.id, category: r.category, difficulty: r.difficulty, type: r.type, text: r.text, choices: r.choices, answer: r.answer,
});

export function createQuestionsRepo(db: Db) {
  return {
    /** Every question that fits the filters; the bank is small enough to pick from in memory. */
    async candidates(filter: { category: string | null; difficulty: Difficulty | null }): Promise<Question[]> {
      const q = db<QuestionRow>('questions').select('id', 'category', 'difficulty', 'type', 'text', 'choices', 'answer');
      if (filter.category) q.whereRaw('lower(category) = lower(?)', [filter.category]);
      if (filter.difficulty) q.where('difficulty', filter.difficulty);
      return (await q).map(toQuestion);
    },

    async categories(): Promise<{ category: string; easy: number; medium: number; hard: number; total: number }[]> {
      const rows = await db('questions')
        .select('category')
        .select(db.raw(`count(*) filter (where difficulty = 'easy')::int as easy`))
        .select(db.raw(`count(*) filter (where difficulty = 'medium')::int as medium`))
        .select(db.raw(`count(*) filter (where difficulty = 'hard')::int as hard`))
        .select(db.raw('count(*)::int as total'))
        .groupBy('category')
        .orderBy('category');
      return rows as { category: string; easy: number; medium: number; hard: number; total: number }[];
    },
  };
}
export type QuestionsRepo = ReturnType<typeof createQuestionsRepo>;
